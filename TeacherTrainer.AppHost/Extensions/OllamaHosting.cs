using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OllamaSharp;

namespace TeacherTrainer.AppHost.Extensions;

/// <summary>The Ollama server container.</summary>
public sealed class OllamaResource(string name) : ContainerResource(name), IResourceWithConnectionString
{
    public const string EndpointName = "http";
    public const int Port = 11434;

    public EndpointReference PrimaryEndpoint => field ??= new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"Endpoint={PrimaryEndpoint.Property(EndpointProperty.Url)}");
}

/// <summary>A model served by an <see cref="OllamaResource"/>, pulled when the server is ready.</summary>
public sealed class OllamaModelResource(string name, string modelName, OllamaResource parent)
    : Resource(name), IResourceWithParent<OllamaResource>, IResourceWithConnectionString
{
    public string ModelName { get; } = modelName;
    public OllamaResource Parent { get; } = parent;

    // The format the API's Ollama registration parses (and CommunityToolkit's Ollama integration writes).
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"Endpoint={Parent.PrimaryEndpoint.Property(EndpointProperty.Url)};Model={ModelName}");
}

/// <summary>
/// Models Ollama ourselves: CommunityToolkit.Aspire.Hosting.Ollama is not available from the
/// package mirror. Image, port, model volume, GPU, model pull with progress on the dashboard,
/// and health checks that hold dependants back until each model is present.
/// </summary>
public static class OllamaHostingExtensions
{
    public const string Image = "ollama/ollama";
    public const string Tag = "0.12.6";

    public static IResourceBuilder<OllamaResource> AddOllama(this IDistributedApplicationBuilder builder, string name)
        => builder.AddResource(new OllamaResource(name))
            .WithImage(Image, Tag)
            .WithIconName("BrainCircuit")
            .WithHttpEndpoint(targetPort: OllamaResource.Port, name: OllamaResource.EndpointName)
            .WithHttpHealthCheck("/api/version")
            // Ollama unloads a model after 5 minutes idle by default; a practice session must not pay
            // a cold start in the middle of a conversation.
            .WithEnvironment("OLLAMA_KEEP_ALIVE", "30m");

    public static IResourceBuilder<OllamaResource> WithDataVolume(this IResourceBuilder<OllamaResource> builder, string volumeName)
        => builder.WithVolume(volumeName, "/root/.ollama");

    /// <summary>Gives the container every NVIDIA GPU (Docker's <c>--gpus all</c>; Podman's CDI device).</summary>
    public static IResourceBuilder<OllamaResource> WithNvidiaGpu(this IResourceBuilder<OllamaResource> builder)
    {
        var runtime = builder.ApplicationBuilder.Configuration["ASPIRE_CONTAINER_RUNTIME"]
            ?? builder.ApplicationBuilder.Configuration["DOTNET_ASPIRE_CONTAINER_RUNTIME"];
        return string.Equals(runtime, "podman", StringComparison.OrdinalIgnoreCase)
            ? builder.WithContainerRuntimeArgs("--device", "nvidia.com/gpu=all")
            : builder.WithContainerRuntimeArgs("--gpus", "all");
    }

    public static IResourceBuilder<OllamaModelResource> AddModel(this IResourceBuilder<OllamaResource> ollama, string name, string modelName)
    {
        var model = new OllamaModelResource(name, modelName, ollama.Resource);
        var healthCheckKey = $"{name}-model-present";
        ollama.ApplicationBuilder.Services.AddHealthChecks()
            .Add(new HealthCheckRegistration(healthCheckKey, _ => new OllamaModelHealthCheck(model), failureStatus: null, tags: null));

        var builder = ollama.ApplicationBuilder.AddResource(model)
            .WithIconName("Brain")
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "OllamaModel",
                State = new ResourceStateSnapshot("Waiting for Ollama", KnownResourceStateStyles.Info),
                Properties = [new(CustomResourceKnownProperties.Source, modelName)],
            })
            .WithHealthCheck(healthCheckKey)
            // In the manifest as a connection string (which server, which model), so a deployment
            // generated from it (TeacherTrainer.Deploy) knows the models to pull and what the API is given.
            .WithManifestPublishingCallback(context =>
            {
                context.Writer.WriteString("type", "value.v0");
                context.WriteConnectionString(model);
            });

        ollama.ApplicationBuilder.Eventing.Subscribe<ResourceReadyEvent>(ollama.Resource, (@event, cancellationToken) =>
        {
            var notifications = @event.Services.GetRequiredService<ResourceNotificationService>();
            var logger = @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(model);
            _ = Task.Run(() => PullAsync(model, notifications, logger, cancellationToken), cancellationToken);
            return Task.CompletedTask;
        });
        return builder;
    }

    private static async Task PullAsync(OllamaModelResource model, ResourceNotificationService notifications, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            var endpoint = await model.Parent.PrimaryEndpoint.GetValueAsync(cancellationToken).ConfigureAwait(false);
            using var client = new OllamaApiClient(new Uri(endpoint!));
            var local = await client.ListLocalModelsAsync(cancellationToken).ConfigureAwait(false);
            if (!local.Any(m => OllamaModelHealthCheck.SameModel(m.Name, model.ModelName)))
            {
                logger.LogInformation("Pulling {Model}", model.ModelName);
                var lastPercent = -1;
                await foreach (var progress in client.PullModelAsync(model.ModelName, cancellationToken).ConfigureAwait(false))
                {
                    if (progress is null) continue;
                    var percent = progress.Total > 0 ? (int)(progress.Completed * 100 / progress.Total) : 0;
                    if (percent == lastPercent) continue;
                    lastPercent = percent;
                    var text = progress.Total > 0
                        ? string.Create(CultureInfo.InvariantCulture, $"Downloading {percent}% ({progress.Completed / 1_048_576} of {progress.Total / 1_048_576} MiB)")
                        : progress.Status ?? "Downloading";
                    logger.LogInformation("{Model}: {Progress}", model.ModelName, text);
                    await notifications.PublishUpdateAsync(model, s => s with
                    {
                        State = new ResourceStateSnapshot(text, KnownResourceStateStyles.Info),
                    }).ConfigureAwait(false);
                }
            }
            logger.LogInformation("{Model} is present", model.ModelName);
            await notifications.PublishUpdateAsync(model, s => s with
            {
                State = new ResourceStateSnapshot(KnownResourceStates.Running, KnownResourceStateStyles.Success),
            }).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Pulling {Model} failed", model.ModelName);
            await notifications.PublishUpdateAsync(model, s => s with
            {
                State = new ResourceStateSnapshot($"Pull failed: {ex.Message}", KnownResourceStateStyles.Error),
            }).ConfigureAwait(false);
        }
    }
}

/// <summary>Healthy when the Ollama server lists the model (so dependants start only after the pull).</summary>
internal sealed class OllamaModelHealthCheck(OllamaModelResource model) : IHealthCheck
{
    public static bool SameModel(string listed, string wanted)
        => string.Equals(listed, wanted, StringComparison.OrdinalIgnoreCase)
           || (!wanted.Contains(':') && string.Equals(listed, wanted + ":latest", StringComparison.OrdinalIgnoreCase));

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var endpoint = await model.Parent.PrimaryEndpoint.GetValueAsync(cancellationToken).ConfigureAwait(false);
            using var client = new OllamaApiClient(new Uri(endpoint!));
            var local = await client.ListLocalModelsAsync(cancellationToken).ConfigureAwait(false);
            return local.Any(m => SameModel(m.Name, model.ModelName))
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"{model.ModelName} is not pulled yet");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy($"Ollama did not answer: {ex.Message}");
        }
    }
}
