using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Configuration;
using TeacherTrainer.AppHost.Extensions;

// GetEnvironmentVariableValuesAsync is marked obsolete in favour of ExecutionConfigurationBuilder,
// which needs a running execution context; for inspecting a model that is never started it is
// still the simplest faithful view of what a resource would receive.
#pragma warning disable CS0618

namespace TeacherTrainer.Tests.Unit;

/// <summary>
/// The containers-mode application model, built but not started (there is no container runtime
/// here): every resource, image, volume, GPU argument, model, reference and wait is as designed.
/// </summary>
public sealed class ContainersModeModelTests : IAsyncLifetime
{
    private IDistributedApplicationTestingBuilder _builder = null!;

    public async ValueTask InitializeAsync()
        => _builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TeacherTrainer_AppHost>(
            ["--Infrastructure:Mode=Containers"], TestContext.Current.CancellationToken);

    private T Resource<T>(string name) where T : IResource
        => Assert.IsType<T>(Assert.Single(_builder.Resources, r => r.Name == name), exactMatch: false);

    [Fact]
    public void Postgres_runs_the_pgvector_image_with_a_data_volume_and_the_teacherdb_database()
    {
        var postgres = Resource<ContainerResource>("postgres");
        var image = Assert.Single(postgres.Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal("pgvector/pgvector", image.Image);
        Assert.Equal("pg17", image.Tag);
        Assert.Contains(postgres.Annotations.OfType<ContainerMountAnnotation>(), m => m.Type == ContainerMountType.Volume && m.Target == "/var/lib/postgresql/data");
        var database = Resource<PostgresDatabaseResource>("teacherdb");
        Assert.Same(postgres, database.Parent);
        var password = Assert.Single(_builder.Resources.OfType<ParameterResource>(), p => p.Name == "postgres-password");
        Assert.True(password.Secret);
    }

    [Fact]
    public void Redis_is_the_cache()
    {
        var cache = Resource<ContainerResource>("cache");
        Assert.Contains("redis", Assert.Single(cache.Annotations.OfType<ContainerImageAnnotation>()).Image);
    }

    [Fact]
    public async Task The_cache_is_bounded_and_evicts_while_the_sign_in_store_is_a_separate_Redis_that_never_evicts()
    {
        var cache = string.Join(' ', await ArgumentsAsync(Resource<ContainerResource>("cache")));
        var sessions = Resource<ContainerResource>("sessions");
        var sessionArguments = string.Join(' ', await ArgumentsAsync(sessions));
        Assert.Contains("--maxmemory 256mb", cache);
        Assert.Contains("--maxmemory-policy allkeys-lru", cache);
        Assert.Contains("--maxmemory-policy noeviction", sessionArguments);
        Assert.Contains("--appendonly yes", sessionArguments);
        Assert.Contains("redis", Assert.Single(sessions.Annotations.OfType<ContainerImageAnnotation>()).Image);
        Assert.Contains(sessions.Annotations.OfType<ContainerMountAnnotation>(), m => m.Type == ContainerMountType.Volume);

        // The web holds only the sign-in store (and its key-ring key); the API only the cache.
        var web = await Resource<ProjectResource>("webfrontend").GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Publish);
        var api = await Resource<ProjectResource>("apiservice").GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Publish);
        Assert.Contains("ConnectionStrings__sessions", web.Keys);
        Assert.DoesNotContain("ConnectionStrings__cache", web.Keys);
        Assert.Contains("DataProtection__KeyEncryptionKey", web.Keys);
        Assert.DoesNotContain("ConnectionStrings__sessions", api.Keys);
    }

    private static async Task<List<string>> ArgumentsAsync(IResource resource, DistributedApplicationOperation? operation = null)
    {
        var arguments = new List<object>();
        foreach (var callback in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            var context = operation is { } op
                ? new CommandLineArgsCallbackContext(arguments, resource, TestContext.Current.CancellationToken) { ExecutionContext = new DistributedApplicationExecutionContext(op) }
                : new CommandLineArgsCallbackContext(arguments, TestContext.Current.CancellationToken);
            await callback.Callback(context);
        }
        return arguments.Select(a => a is IValueProvider ? "(value)" : a.ToString() ?? "").ToList();
    }

    [Fact]
    public async Task In_the_manifest_the_Redis_settings_are_inside_the_shell_command_that_starts_redis_server()
    {
        // Published, Aspire runs Redis as /bin/sh -c "redis-server ...": an argument after that
        // command would be the shell's positional parameter, never seen by redis-server.
        var cache = await ArgumentsAsync(Resource<ContainerResource>("cache"), DistributedApplicationOperation.Publish);
        var sessions = await ArgumentsAsync(Resource<ContainerResource>("sessions"), DistributedApplicationOperation.Publish);
        Assert.Equal("-c", Assert.Single(cache, a => a == "-c"));
        Assert.Equal(2, cache.Count);
        Assert.Equal(2, sessions.Count);
        Assert.StartsWith("redis-server ", cache[1]);
        Assert.EndsWith("--maxmemory 256mb --maxmemory-policy allkeys-lru", cache[1]);
        Assert.EndsWith("--maxmemory-policy noeviction --appendonly yes", sessions[1]);
    }

    [Fact]
    public async Task Ollama_has_a_GPU_a_model_volume_and_both_models()
    {
        var ollama = Resource<OllamaResource>("ollama");
        var image = Assert.Single(ollama.Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal("ollama/ollama", image.Image);
        Assert.Contains(ollama.Annotations.OfType<ContainerMountAnnotation>(), m => m.Type == ContainerMountType.Volume && m.Target == "/root/.ollama");
        Assert.Contains(ollama.Annotations.OfType<EndpointAnnotation>(), e => e.TargetPort == 11434);

        var runtimeArgs = new List<object>();
        foreach (var callback in ollama.Annotations.OfType<ContainerRuntimeArgsCallbackAnnotation>())
        {
            await callback.Callback(new ContainerRuntimeArgsCallbackContext(runtimeArgs, TestContext.Current.CancellationToken));
        }
        Assert.Equal(["--gpus", "all"], runtimeArgs.Select(a => a.ToString()));

        var chat = Resource<OllamaModelResource>("chat");
        var embedding = Resource<OllamaModelResource>("embedding");
        Assert.Equal("llama3.2", chat.ModelName);
        Assert.Equal("all-minilm", embedding.ModelName);
        Assert.Same(ollama, chat.Parent);
        Assert.NotEmpty(chat.Annotations.OfType<HealthCheckAnnotation>());
        Assert.Contains("Model=llama3.2", chat.ConnectionStringExpression.ValueExpression);
    }

    [Fact]
    public async Task The_api_references_and_waits_for_database_cache_and_models_and_the_web_waits_for_the_api()
    {
        var api = Resource<ProjectResource>("apiservice");
        var web = Resource<ProjectResource>("webfrontend");

        // WaitFor a child (database, model) also waits for its parent (server).
        Assert.Equal(["cache", "chat", "embedding", "ollama", "postgres", "teacherdb"], api.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).Distinct().Order());
        Assert.Equal(["apiservice", "sessions"], web.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).Order());

        var environment = await api.GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Publish);
        Assert.Contains("ConnectionStrings__teacherdb", environment.Keys);
        Assert.Contains("ConnectionStrings__cache", environment.Keys);
        Assert.Contains("ConnectionStrings__chat", environment.Keys);
        Assert.Contains("ConnectionStrings__embedding", environment.Keys);
        Assert.Equal("Ollama", environment["AI__Provider"]);
        Assert.Contains("Jwt__SigningKey", environment.Keys);
    }

    [Fact]
    public void Secrets_are_parameters()
    {
        var secrets = _builder.Resources.OfType<ParameterResource>().Where(p => p.Secret).Select(p => p.Name).Order();
        Assert.Equal(["admin-password", "data-protection-key", "jwt-signing-key", "postgres-password"],
            secrets.Where(n => n is not "cache-password" and not "sessions-password"));
    }

    public async ValueTask DisposeAsync() => await _builder.DisposeAsync();
}

public sealed class ExistingServicesModeModelTests
{
    [Fact]
    public async Task Has_no_container_resource_and_uses_the_embedded_provider()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TeacherTrainer_AppHost>(
            ["--Infrastructure:Mode=Existing", "--ConnectionStrings:teacherdb=Host=x", "--ConnectionStrings:cache=x:6379", "--ConnectionStrings:sessions=y:6380"],
            TestContext.Current.CancellationToken);

        Assert.Empty(builder.Resources.OfType<ContainerResource>());
        var api = Assert.Single(builder.Resources.OfType<ProjectResource>(), r => r.Name == "apiservice");
        var environment = await api.GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Publish);
        Assert.Equal("Embedded", environment["AI__Provider"]);
    }

    [Fact]
    public async Task Uses_an_existing_Ollama_when_both_model_connection_strings_are_given()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TeacherTrainer_AppHost>(
            ["--Infrastructure:Mode=Existing", "--ConnectionStrings:teacherdb=Host=x", "--ConnectionStrings:cache=x:6379", "--ConnectionStrings:sessions=y:6380",
             "--ConnectionStrings:chat=Endpoint=http://gpu-box:11434;Model=llama3.2",
             "--ConnectionStrings:embedding=Endpoint=http://gpu-box:11434;Model=all-minilm"],
            TestContext.Current.CancellationToken);

        Assert.Empty(builder.Resources.OfType<ContainerResource>());
        var api = Assert.Single(builder.Resources.OfType<ProjectResource>(), r => r.Name == "apiservice");
        var environment = await api.GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Publish);
        Assert.Equal("Ollama", environment["AI__Provider"]);
    }

    [Fact]
    public async Task Refuses_to_start_without_a_Redis_of_its_own_for_sign_ins()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TeacherTrainer_AppHost>(
                // Empty, not absent: scripts/local-services.sh may have put a value in the environment.
                ["--Infrastructure:Mode=Existing", "--ConnectionStrings:teacherdb=Host=x", "--ConnectionStrings:cache=x:6379", "--ConnectionStrings:sessions="],
                TestContext.Current.CancellationToken);
        });
        var messages = new List<string>();
        for (Exception? e = error; e is not null; e = e.InnerException) messages.Add(e.Message);
        Assert.Contains(messages, m => m.Contains("ConnectionStrings:sessions", StringComparison.Ordinal) && m.Contains("noeviction", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_mode_is_refused_clearly()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Infrastructure:Mode"] = "Kubernetes" }).Build();
        var error = Assert.Throws<InvalidOperationException>(() => InfrastructureExtensions.ResolveMode(configuration));
        Assert.Contains("Containers", error.Message);
    }
}
