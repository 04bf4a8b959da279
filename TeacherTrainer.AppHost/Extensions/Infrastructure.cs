namespace TeacherTrainer.AppHost.Extensions;

/// <summary>How the backing services are provided.</summary>
public enum InfrastructureMode
{
    /// <summary>PostgreSQL (pgvector), Redis and Ollama run as containers (needs Docker or Podman).</summary>
    Containers,

    /// <summary>Services that already run, given by connection strings; no container resource at all.</summary>
    Existing,
}

/// <summary>The backing services the projects reference, whichever way they are provided.</summary>
/// <param name="Cache">Redis for the API's output cache: bounded, evicts the least recently used entry when full.</param>
/// <param name="Sessions">
/// A second Redis for the web's sign-in tickets and data-protection keys: never evicts, so filling
/// the cache can neither sign anyone out nor lose the key ring; and the API, which holds the cache,
/// has no connection to it.
/// </param>
public sealed record TeacherTrainerInfrastructure(
    InfrastructureMode Mode,
    IResourceBuilder<IResourceWithConnectionString> Database,
    IResourceBuilder<IResourceWithConnectionString> Cache,
    IResourceBuilder<IResourceWithConnectionString> Sessions,
    IResourceBuilder<IResourceWithConnectionString>? ChatModel,
    IResourceBuilder<IResourceWithConnectionString>? EmbeddingModel)
{
    /// <summary><c>Ollama</c> when both models are served by Ollama, else <c>Embedded</c>.</summary>
    public string AiProvider => ChatModel is not null && EmbeddingModel is not null ? "Ollama" : "Embedded";
}
