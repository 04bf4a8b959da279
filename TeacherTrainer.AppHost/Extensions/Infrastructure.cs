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
public sealed record TeacherTrainerInfrastructure(
    InfrastructureMode Mode,
    IResourceBuilder<IResourceWithConnectionString> Database,
    IResourceBuilder<IResourceWithConnectionString> Cache,
    IResourceBuilder<IResourceWithConnectionString>? ChatModel,
    IResourceBuilder<IResourceWithConnectionString>? EmbeddingModel)
{
    /// <summary><c>Ollama</c> when both models are served by Ollama, else <c>Embedded</c>.</summary>
    public string AiProvider => ChatModel is not null && EmbeddingModel is not null ? "Ollama" : "Embedded";
}
