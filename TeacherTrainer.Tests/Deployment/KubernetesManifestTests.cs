using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;
using TeacherTrainer.Deploy;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Deployment;

/// <summary>
/// The AppHost's real Aspire manifest (its manifest publisher, run on the built AppHost, with known
/// values given for every secret parameter) and the Kubernetes objects TeacherTrainer.Deploy makes of
/// it, read back from their YAML by KubernetesClient, in both data-store modes.
/// </summary>
public sealed class KubernetesDeploymentFixture : IAsyncLifetime
{
    /// <summary>A value given to each secret parameter of the AppHost: none may appear in the output.</summary>
    public static string Sentinel(string parameter) => $"SENTINEL-{parameter}-7d1c9e";

    public static readonly string[] KnownSecretParameters =
        ["postgres-password", "jwt-signing-key", "admin-password", "data-protection-key", "cache-password", "sessions-password"];

    public AspireManifest Manifest { get; private set; } = null!;
    public Dictionary<DataStores, GeneratedDeployment> Deployments { get; } = [];

    /// <summary>Every object of each mode, parsed back from the files' YAML.</summary>
    public Dictionary<DataStores, List<(string File, object Object)>> Parsed { get; } = [];

    /// <summary>In-cluster data stores and no model server (<c>--models none</c>), parsed back.</summary>
    public (GeneratedDeployment Deployment, List<object> Objects) WithoutModels { get; private set; }

    private static List<(string File, object Object)> ParseBack(GeneratedDeployment deployment)
        => deployment.Files.Where(f => f.Name.EndsWith(".yaml", StringComparison.Ordinal))
            .SelectMany(f => KubernetesYaml.LoadAllFromString(f.Content).Select(o => (f.Name, o)))
            .ToList();

    public async ValueTask InitializeAsync()
    {
        var root = TestEnvironment.RepositoryRoot;
        // The AppHost this test project was built with, run as its own process in publish mode.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var appHost = Path.Combine(root, "TeacherTrainer.AppHost", "bin", configuration, "net10.0", "TeacherTrainer.AppHost.dll");
        Assert.True(File.Exists(appHost), $"The AppHost is not built at {appHost}.");
        var secrets = KnownSecretParameters.ToDictionary(p => $"Parameters__{p}", Sentinel);
        Manifest = await AppHostPublisher.PublishAsync(["dotnet", appHost], root, secrets, TestContext.Current.CancellationToken);

        foreach (var mode in Enum.GetValues<DataStores>())
        {
            var deployment = KubernetesGenerator.Generate(Manifest, ExampleDeployment.Options(mode));
            Deployments[mode] = deployment;
            Parsed[mode] = ParseBack(deployment);
        }
        var withoutModels = KubernetesGenerator.Generate(Manifest, ExampleDeployment.Options(DataStores.InCluster) with { Models = ModelHosting.None });
        WithoutModels = (withoutModels, ParseBack(withoutModels).Select(p => p.Object).ToList());
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

public sealed partial class KubernetesManifestTests(KubernetesDeploymentFixture fixture) : IClassFixture<KubernetesDeploymentFixture>
{
    public static TheoryData<DataStores> Modes => [DataStores.InCluster, DataStores.Managed];

    [GeneratedRegex(@"(?<!\$)\$\(([A-Za-z0-9_]+)\)")]
    private static partial Regex DependentVariable();

    [GeneratedRegex(@"\{[A-Za-z0-9-]+\.[A-Za-z0-9.]+\}")]
    private static partial Regex ManifestExpression();

    private List<object> Objects(DataStores mode) => fixture.Parsed[mode].Select(p => p.Object).ToList();

    private T Single<T>(DataStores mode, string name) where T : IMetadata<V1ObjectMeta>
        => Assert.Single(Objects(mode).OfType<T>(), o => o.Metadata.Name == name);

    /// <summary>Every workload's pod template, by name.</summary>
    private static Dictionary<string, V1PodSpec> Pods(IEnumerable<object> objects) => objects.Select(o => o switch
        {
            V1Deployment d => (d.Metadata.Name, d.Spec.Template.Spec),
            V1StatefulSet s => (s.Metadata.Name, s.Spec.Template.Spec),
            V1Job j => (j.Metadata.Name, j.Spec.Template.Spec),
            _ => (null!, null!),
        })
        .Where(p => p.Item1 is not null)
        .ToDictionary(p => p.Item1, p => p.Item2);

    [Theory]
    [MemberData(nameof(Modes))]
    public void Every_file_parses_back_into_the_objects_generated(DataStores mode)
    {
        var deployment = fixture.Deployments[mode];
        Assert.Equal(deployment.Objects.Count(), fixture.Parsed[mode].Count);
        var kinds = Objects(mode).Select(o => ((IKubernetesObject)o).Kind).ToHashSet();
        Assert.Superset(new HashSet<string> { "Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Ingress", "ConfigMap", "StatefulSet" }, kinds);
        // Secrets are created by the operator (secrets.sh), never generated with values.
        Assert.DoesNotContain("Secret", kinds);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Each_container_has_every_variable_the_app_model_gives_it_from_a_value_a_secret_or_the_config_map(DataStores mode)
        => AssertEnvironmentSatisfied(fixture.Deployments[mode], Objects(mode), mode, ModelHosting.GpuPool);

    [Fact]
    public void Without_a_model_server_the_API_embeds_itself_and_every_other_variable_is_still_satisfied()
    {
        var (deployment, objects) = fixture.WithoutModels;
        AssertEnvironmentSatisfied(deployment, objects, DataStores.InCluster, ModelHosting.None);
        Assert.DoesNotContain(objects, o => ((IMetadata<V1ObjectMeta>)o).Metadata.Name == "ollama");
        var api = Assert.Single(Pods(objects)["apiservice"].Containers);
        Assert.Equal("Embedded", Assert.Single(api.Env, v => v.Name == "AI__Provider").Value);
        Assert.DoesNotContain(api.Env, v => v.Name is "ConnectionStrings__chat" or "ConnectionStrings__embedding");
        Assert.Equal(
            new[] { "ConnectionStrings__chat", "ConnectionStrings__embedding" },
            deployment.Omitted.Where(o => o.Reason == OmissionReason.NoModelServer).Select(o => o.Name).Order());
    }

    private void AssertEnvironmentSatisfied(GeneratedDeployment deployment, List<object> objects, DataStores mode, ModelHosting models)
    {
        var pods = Pods(objects);
        var config = Assert.Single(objects.OfType<V1ConfigMap>(), c => c.Metadata.Name == "teachertrainer-config");
        var workloads = fixture.Manifest.Resources.Where(r => r.IsProject
            || (r.IsContainer && !(mode == DataStores.Managed && IsDataStore(r)) && !(models == ModelHosting.None && r.Image!.Contains("ollama")))).ToList();
        Assert.Contains(workloads, r => r.Name == "apiservice");
        Assert.Contains(workloads, r => r.Name == "webfrontend");
        Assert.Equal(mode == DataStores.InCluster, workloads.Any(r => r.Name == "postgres"));

        foreach (var resource in workloads)
        {
            var container = Assert.Single(pods[resource.Name].Containers);
            var defined = new HashSet<string>();
            foreach (var variable in container.Env)
            {
                if (variable.ValueFrom is { } from)
                {
                    Assert.Null(variable.Value);
                    if (from.SecretKeyRef is { } secret)
                    {
                        if (secret.Name == "teachertrainer-connections")
                        {
                            Assert.Equal(DataStores.Managed, mode);
                            Assert.Contains(secret.Key, new[] { "teacherdb", "cache", "sessions" });
                        }
                        else
                        {
                            Assert.Equal("teachertrainer-secrets", secret.Name);
                            Assert.True(fixture.Manifest.Get(secret.Key) is { IsParameter: true, Secret: true }, $"{secret.Key} is not a secret parameter");
                        }
                    }
                    else
                    {
                        var key = Assert.IsType<V1ConfigMapKeySelector>(from.ConfigMapKeyRef);
                        Assert.Equal("teachertrainer-config", key.Name);
                        Assert.False(string.IsNullOrEmpty(config.Data[key.Key]));
                    }
                }
                else
                {
                    Assert.NotNull(variable.Value);
                    // $(NAME) expands only a variable defined above it in the same container.
                    foreach (Match reference in DependentVariable().Matches(variable.Value))
                    {
                        Assert.True(defined.Contains(reference.Groups[1].Value), $"{resource.Name} {variable.Name} refers to $({reference.Groups[1].Value}) before it is defined");
                    }
                    Assert.DoesNotMatch(ManifestExpression(), variable.Value);
                }
                defined.Add(variable.Name);
            }

            var present = container.Env.Select(v => v.Name).ToHashSet();
            foreach (var (name, expression) in resource.Env)
            {
                if (present.Contains(name)) continue;
                var omitted = Assert.Single(deployment.Omitted, o => o.Resource == resource.Name && o.Name == name);
                // Only what a pod cannot have: an https endpoint inside the cluster, or a property of a managed store.
                if (omitted.Reason == OmissionReason.HttpsEndpointInsideCluster)
                {
                    Assert.Contains(".bindings.https.", expression);
                }
                else if (omitted.Reason == OmissionReason.NoModelServer)
                {
                    Assert.Equal(ModelHosting.None, models);
                    Assert.StartsWith("ConnectionStrings__", name);
                }
                else
                {
                    Assert.Equal(DataStores.Managed, mode);
                    Assert.Equal(OmissionReason.DerivedFromManagedDataStore, omitted.Reason);
                    var store = name.Split('_')[0].ToLowerInvariant();
                    Assert.Contains($"ConnectionStrings__{store}", present);
                }
            }
        }

        // The connection strings the API and web read are all there.
        var api = Assert.Single(pods["apiservice"].Containers).Env.Select(v => v.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "ConnectionStrings__teacherdb", "ConnectionStrings__cache", "Jwt__SigningKey" }, api);
        if (models == ModelHosting.GpuPool) Assert.Superset(new HashSet<string> { "ConnectionStrings__chat", "ConnectionStrings__embedding" }, api);
        var web = Assert.Single(pods["webfrontend"].Containers).Env.Select(v => v.Name).ToList();
        Assert.Superset(new HashSet<string> { "ConnectionStrings__sessions", "services__apiservice__http__0", "DataProtection__KeyEncryptionKey" }, web.ToHashSet());
    }

    [Fact]
    public void Every_secret_parameter_is_referenced_and_no_secret_value_appears_anywhere()
    {
        var secretParameters = fixture.Manifest.Resources.Where(r => r.IsParameter && r.Secret).Select(r => r.Name).ToHashSet();
        Assert.Superset(KubernetesDeploymentFixture.KnownSecretParameters.ToHashSet(), secretParameters);

        foreach (var mode in Enum.GetValues<DataStores>())
        {
            var referenced = Pods(Objects(mode)).Values.SelectMany(p => p.Containers).SelectMany(c => c.Env)
                .Select(v => v.ValueFrom?.SecretKeyRef).OfType<V1SecretKeySelector>()
                .Where(s => s.Name == "teachertrainer-secrets").Select(s => s.Key).ToHashSet();
            // Managed: the data stores' own passwords are the provider's, inside its connection strings.
            var expected = mode == DataStores.InCluster
                ? secretParameters
                : secretParameters.Except(["postgres-password", "cache-password", "sessions-password"]).ToHashSet();
            Assert.Equal(expected.Order(), referenced.Order());

            foreach (var file in fixture.Deployments[mode].Files)
            {
                foreach (var parameter in KubernetesDeploymentFixture.KnownSecretParameters)
                {
                    Assert.DoesNotContain(KubernetesDeploymentFixture.Sentinel(parameter), file.Content);
                }
            }
            // secrets.sh creates every key referenced, and no other.
            var script = Assert.Single(fixture.Deployments[mode].Files, f => f.Name == "secrets.sh").Content;
            foreach (var key in expected) Assert.Contains($"--from-literal={key}=", script);
        }

        var error = Assert.Throws<InvalidOperationException>(() => KubernetesGenerator.Generate(fixture.Manifest,
            ExampleDeployment.Options(DataStores.InCluster) with { Parameters = new Dictionary<string, string> { ["jwt-signing-key"] = "inline-me" } }));
        Assert.Contains("never written", error.Message);
    }

    [Fact]
    public void Api_and_web_run_in_Production_with_probes_on_the_health_endpoints()
    {
        foreach (var mode in Enum.GetValues<DataStores>())
        {
            foreach (var name in new[] { "apiservice", "webfrontend" })
            {
                var container = Assert.Single(Single<V1Deployment>(mode, name).Spec.Template.Spec.Containers);
                Assert.Equal("Production", Assert.Single(container.Env, v => v.Name == "ASPNETCORE_ENVIRONMENT").Value);
                Assert.DoesNotContain(container.Env, v => v.Name == "DOTNET_ENVIRONMENT");
                Assert.Equal("http://otel-collector.monitoring:4317", Assert.Single(container.Env, v => v.Name == "OTEL_EXPORTER_OTLP_ENDPOINT").Value);
                Assert.True(container.SecurityContext.RunAsNonRoot);
                Assert.Equal(KubernetesGenerator.HealthPath, container.ReadinessProbe.HttpGet.Path);
                Assert.Equal(KubernetesGenerator.AlivePath, container.LivenessProbe.HttpGet.Path);
                Assert.Equal(KubernetesGenerator.AlivePath, container.StartupProbe.HttpGet.Path);
                Assert.All(new[] { container.ReadinessProbe, container.LivenessProbe, container.StartupProbe },
                    p => Assert.Equal("http", p.HttpGet.Port.Value));
                Assert.Contains(container.Ports, p => p.Name == "http" && p.ContainerPort == 8080);
                Assert.Equal("8080", Assert.Single(container.Env, v => v.Name == "HTTP_PORTS").Value);
                Assert.NotNull(container.Resources.Requests["cpu"]);
                Assert.NotNull(container.Resources.Requests["memory"]);
            }
        }
    }

    [Fact]
    public void The_API_scales_on_CPU_the_web_is_reached_through_a_sticky_WebSocket_ingress_and_Ollama_runs_on_the_GPU_pool()
    {
        const DataStores mode = DataStores.InCluster;
        var autoscaler = Single<V2HorizontalPodAutoscaler>(mode, "apiservice");
        Assert.Equal("apiservice", autoscaler.Spec.ScaleTargetRef.Name);
        Assert.Equal("cpu", Assert.Single(autoscaler.Spec.Metrics).Resource.Name);
        Assert.True(autoscaler.Spec.MaxReplicas > autoscaler.Spec.MinReplicas);

        var ingress = Assert.Single(Objects(mode).OfType<V1Ingress>());
        Assert.Equal("cookie", ingress.Metadata.Annotations["nginx.ingress.kubernetes.io/affinity"]);
        Assert.Equal("3600", ingress.Metadata.Annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]);
        Assert.Equal("letsencrypt", ingress.Metadata.Annotations["cert-manager.io/cluster-issuer"]);
        var backend = Assert.Single(Assert.Single(ingress.Spec.Rules).Http.Paths).Backend.Service;
        Assert.Equal("webfrontend", backend.Name);
        Assert.Contains(Single<V1Service>(mode, "webfrontend").Spec.Ports, p => p.Name == backend.Port.Name);
        Assert.Equal("teachertrainer.example.org", Assert.Single(Assert.Single(ingress.Spec.Tls).Hosts));
        // The API is not reachable from outside: only the web calls it.
        Assert.DoesNotContain(ingress.Spec.Rules, r => r.Http.Paths.Any(p => p.Backend.Service.Name == "apiservice"));

        var ollama = Single<V1StatefulSet>(mode, "ollama");
        var pod = ollama.Spec.Template.Spec;
        Assert.Equal("true", pod.NodeSelector["nvidia.com/gpu.present"]);
        Assert.Contains(pod.Tolerations, t => t.Key == "nvidia.com/gpu" && t.Effect == "NoSchedule");
        Assert.Equal("1", Assert.Single(pod.Containers).Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.Single(ollama.Spec.VolumeClaimTemplates);
        // Each replica pulls the AppHost's two models before it is ready.
        var pull = Assert.Single(pod.Containers).Lifecycle.PostStart.Exec.Command.Last();
        Assert.Contains("ollama show llama3.2 >/dev/null 2>&1 || ollama pull llama3.2", pull);
        Assert.Contains("ollama show all-minilm >/dev/null 2>&1 || ollama pull all-minilm", pull);

        var postgres = Single<V1StatefulSet>(mode, "postgres");
        Assert.Equal("docker.io/pgvector/pgvector:pg17", Assert.Single(postgres.Spec.Template.Spec.Containers).Image);
        Assert.Single(postgres.Spec.VolumeClaimTemplates);
        Assert.Contains(Assert.Single(postgres.Spec.Template.Spec.Containers).Env, v => v.Name == "PGDATA");
        Assert.Single(Single<V1StatefulSet>(mode, "sessions").Spec.VolumeClaimTemplates);
        // redis-server itself gets the AppHost's arguments (not the shell's positional parameters).
        var cache = Assert.Single(Single<V1Deployment>(mode, "cache").Spec.Template.Spec.Containers);
        Assert.Equal(["-c", "redis-server --requirepass $REDIS_PASSWORD --maxmemory 256mb --maxmemory-policy allkeys-lru"], cache.Args);
        var sessions = Assert.Single(Single<V1StatefulSet>(mode, "sessions").Spec.Template.Spec.Containers);
        Assert.Contains("--maxmemory-policy noeviction --appendonly yes", Assert.Single(sessions.Args.Skip(1)));

        Assert.DoesNotContain(Objects(DataStores.Managed).OfType<V1StatefulSet>(), s => s.Metadata.Name is "postgres" or "cache" or "sessions");
        Assert.DoesNotContain(Objects(DataStores.Managed).OfType<V1Deployment>(), s => s.Metadata.Name is "postgres" or "cache" or "sessions");
    }

    [Fact]
    public void The_committed_example_is_what_the_generator_makes_from_the_AppHost_now()
    {
        foreach (var mode in Enum.GetValues<DataStores>())
        {
            var directory = Path.Combine(TestEnvironment.RepositoryRoot, ExampleDeployment.Directory, ExampleDeployment.Subdirectory(mode));
            var committed = Directory.GetFiles(directory).Select(Path.GetFileName).Order().ToList();
            Assert.Equal(fixture.Deployments[mode].Files.Select(f => f.Name).Order(), committed);
            foreach (var file in fixture.Deployments[mode].Files)
            {
                Assert.True(file.Content == File.ReadAllText(Path.Combine(directory, file.Name)),
                    $"{directory}/{file.Name} is stale: run `dotnet run --project TeacherTrainer.Deploy -- --example` (docs/kubernetes.md).");
            }
        }
    }

    private static bool IsDataStore(ManifestResource resource)
        => resource.Image is { } image && (image.Contains("postgres") || image.Contains("pgvector") || image.Contains("redis"));
}

/// <summary>The probes' paths against the real API and web: each answers 200 there.</summary>
[Collection(ApiCollection.Name)]
public sealed class KubernetesProbeTests(ApiFactory api, KubernetesDeploymentFixture fixture) : IClassFixture<KubernetesDeploymentFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_probe_paths_answer_on_the_API_and_on_the_web()
    {
        var paths = new Dictionary<string, HashSet<string>>();
        foreach (var deployment in fixture.Parsed[DataStores.InCluster].Select(p => p.Object).OfType<V1Deployment>()
                     .Where(d => d.Metadata.Name is "apiservice" or "webfrontend"))
        {
            var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
            paths[deployment.Metadata.Name] = [container.ReadinessProbe.HttpGet.Path, container.LivenessProbe.HttpGet.Path, container.StartupProbe.HttpGet.Path];
        }

        using var apiClient = api.CreateClient();
        foreach (var path in paths["apiservice"])
        {
            Assert.Equal(HttpStatusCode.OK, (await apiClient.GetAsync(path, Ct)).StatusCode);
        }
        // A path the API does not map is refused (401 under the fallback policy): the 200s are the health endpoints'.
        Assert.NotEqual(HttpStatusCode.OK, (await apiClient.GetAsync("/healthz", Ct)).StatusCode);

        var sessions = await TestEnvironment.CreateSessionsDatabaseAsync();
        using var web = new WebApplicationFactory<TeacherTrainer.Web.Components.App>().WithWebHostBuilder(b => b
            .UseEnvironment(Environments.Production)
            .UseSetting("ConnectionStrings:sessions", sessions)
            // Production refuses to start without the API's address; the probes never call it.
            .UseSetting("services:apiservice:http:0", "http://127.0.0.1:1")
            .UseSetting(TeacherTrainer.Web.Services.Security.KeyRingEncryption.ConfigurationKey, TestEnvironment.NewSecretKey()));
        using var webClient = web.CreateClient();
        foreach (var path in paths["webfrontend"])
        {
            Assert.Equal(HttpStatusCode.OK, (await webClient.GetAsync(path, Ct)).StatusCode);
        }
    }
}
