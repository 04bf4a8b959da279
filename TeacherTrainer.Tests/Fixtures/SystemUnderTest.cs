using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TeacherTrainer.Tests.Fixtures;

/// <summary>What a whole-system fixture runs the AppHost against (existing-services mode).</summary>
/// <param name="Redis">The output cache's Redis.</param>
/// <param name="Ollama">An in-test Ollama serving both models; null for embedded AI.</param>
/// <param name="Sessions">The web's sign-in Redis; null for a fresh logical database of the machine's sessions Redis.</param>
public sealed record SystemServices(string Database, string Redis, string AdminEmail, string AdminPassword, Uri? Ollama = null, string? Sessions = null);

/// <summary>
/// How every whole-system fixture builds and starts the real AppHost through Aspire.Hosting.Testing,
/// so they differ only in the services they hand it and the settings they add.
/// </summary>
public static class SystemUnderTest
{
    public static async Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync(SystemServices services, params string[] settings)
    {
        var sessions = services.Sessions ?? await TestEnvironment.CreateSessionsDatabaseAsync();
        string[] arguments =
        [
            "--Infrastructure:Mode=Existing",
            $"--ConnectionStrings:teacherdb={services.Database}",
            $"--ConnectionStrings:cache={services.Redis}",
            $"--ConnectionStrings:sessions={sessions}",
            // A fresh key-ring key per run, like the signing key below.
            $"--Parameters:data-protection-key={Guid.NewGuid():N}{Guid.NewGuid():N}",
            // A fresh signing key per run: nothing signed by one suite is accepted by another.
            $"--Parameters:jwt-signing-key={Guid.NewGuid():N}{Guid.NewGuid():N}",
            $"--Parameters:admin-email={services.AdminEmail}",
            $"--Parameters:admin-password={services.AdminPassword}",
            .. services.Ollama is null ? Array.Empty<string>() :
            [
                $"--ConnectionStrings:chat=Endpoint={services.Ollama};Model=llama3.2",
                $"--ConnectionStrings:embedding=Endpoint={services.Ollama};Model=all-minilm",
            ],
            .. settings,
        ];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TeacherTrainer_AppHost>(arguments);
        builder.Services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Aspire.Hosting.Dcp", LogLevel.Warning));
        return builder;
    }

    /// <summary>An extra environment variable for the API (settings the AppHost does not pass on).</summary>
    public static void SetApiEnvironment(IDistributedApplicationTestingBuilder builder, params (string Name, string Value)[] variables)
    {
        var api = builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "apiservice"));
        foreach (var (name, value) in variables) api.WithEnvironment(name, value);
    }

    /// <summary>Builds and starts the system, then waits until the named resources report healthy.</summary>
    public static async Task<DistributedApplication> StartAsync(IDistributedApplicationTestingBuilder builder, TimeSpan timeout, params string[] healthy)
    {
        var app = await builder.BuildAsync();
        using var cancellation = new CancellationTokenSource(timeout);
        await app.StartAsync(cancellation.Token);
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        foreach (var resource in healthy) await notifications.WaitForResourceHealthyAsync(resource, cancellation.Token);
        return app;
    }
}
