using System.Globalization;
using TeacherTrainer.Deploy;

// Generates Kubernetes manifests from the AppHost's application model (docs/kubernetes.md):
//   dotnet run --project TeacherTrainer.Deploy -- [--manifest aspire-manifest.json] [--output artifacts/k8s]
//     [--data in-cluster|managed] [--models gpu-pool|none] [--registry R] [--tag T] [--host H] [--cluster-issuer NAME]
//     [--tls-secret NAME] [--ingress-class C] [--pod-network CIDR] [--storage-class S] [--otlp-endpoint URL]
//     [--api-min-replicas N] [--api-max-replicas N] [--web-replicas N] [--parameter name=value]...
//   dotnet run --project TeacherTrainer.Deploy -- --example     (regenerates deploy/kubernetes/)
var root = AppHostPublisher.RepositoryRoot(Directory.GetCurrentDirectory());
var values = new Dictionary<string, string>(StringComparer.Ordinal);
var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
var example = false;
for (var i = 0; i < args.Length; i++)
{
    var arg = args[i];
    if (arg == "--example") { example = true; continue; }
    if (arg is "-h" or "--help")
    {
        Console.WriteLine("See docs/kubernetes.md for the options.");
        return 0;
    }
    if (!arg.StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
    {
        Console.Error.WriteLine($"Unexpected argument '{arg}' (see docs/kubernetes.md).");
        return 2;
    }
    var value = args[++i];
    if (arg == "--parameter")
    {
        var split = value.Split('=', 2);
        if (split.Length != 2) { Console.Error.WriteLine("--parameter takes name=value."); return 2; }
        parameters[split[0]] = split[1];
    }
    else values[arg[2..]] = value;
}

try
{
    var manifest = values.TryGetValue("manifest", out var manifestPath)
        ? AspireManifest.Load(manifestPath)
        : await AppHostPublisher.PublishAsync(["dotnet", "run", "--project", "TeacherTrainer.AppHost", "--"], root);

    if (example)
    {
        foreach (var mode in Enum.GetValues<DataStores>())
        {
            var directory = Path.Combine(root, ExampleDeployment.Directory, ExampleDeployment.Subdirectory(mode));
            await KubernetesGenerator.WriteAsync(KubernetesGenerator.Generate(manifest, ExampleDeployment.Options(mode)), directory);
            Console.WriteLine($"Wrote {directory}");
        }
        return 0;
    }

    var defaults = new DeploymentOptions();
    int Number(string key, int fallback) => values.TryGetValue(key, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
    var options = defaults with
    {
        DataStores = values.GetValueOrDefault("data") switch
        {
            null or "in-cluster" => DataStores.InCluster,
            "managed" => DataStores.Managed,
            var other => throw new ArgumentException($"--data is 'in-cluster' or 'managed', not '{other}'."),
        },
        Models = values.GetValueOrDefault("models") switch
        {
            null or "gpu-pool" => ModelHosting.GpuPool,
            "none" => ModelHosting.None,
            var other => throw new ArgumentException($"--models is 'gpu-pool' or 'none', not '{other}'."),
        },
        Registry = values.GetValueOrDefault("registry", defaults.Registry),
        Tag = values.GetValueOrDefault("tag", defaults.Tag),
        Host = values.GetValueOrDefault("host", defaults.Host),
        ClusterIssuer = values.GetValueOrDefault("cluster-issuer"),
        TlsSecretName = values.GetValueOrDefault("tls-secret", defaults.TlsSecretName),
        IngressClass = values.GetValueOrDefault("ingress-class", defaults.IngressClass),
        PodNetwork = values.GetValueOrDefault("pod-network", defaults.PodNetwork),
        StorageClass = values.GetValueOrDefault("storage-class"),
        OtlpEndpoint = values.GetValueOrDefault("otlp-endpoint"),
        ApiMinReplicas = Number("api-min-replicas", defaults.ApiMinReplicas),
        ApiMaxReplicas = Number("api-max-replicas", defaults.ApiMaxReplicas),
        WebReplicas = Number("web-replicas", defaults.WebReplicas),
        Parameters = parameters,
    };
    var output = Path.GetFullPath(values.GetValueOrDefault("output", Path.Combine(root, "artifacts", "k8s")));
    var deployment = KubernetesGenerator.Generate(manifest, options);
    await KubernetesGenerator.WriteAsync(deployment, output);
    Console.WriteLine($"Wrote {deployment.Files.Count} files to {output}:");
    foreach (var file in deployment.Files) Console.WriteLine($"  {file.Name}");
    foreach (var omitted in deployment.Omitted) Console.WriteLine($"  left out {omitted.Resource} {omitted.Name}: {omitted.Reason}");
    return 0;
}
catch (Exception error) when (error is InvalidOperationException or ArgumentException or FormatException)
{
    Console.Error.WriteLine(error.Message);
    return 1;
}
