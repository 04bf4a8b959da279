namespace TeacherTrainer.ApiService.AI;

public enum AiProvider
{
    /// <summary>In-process ONNX embeddings; the persona speaks from the scenario's reply bank.</summary>
    Embedded,

    /// <summary>Ollama serves the chat model (persona) and the embedding model.</summary>
    Ollama,
}

/// <summary>The <c>AI</c> configuration section.</summary>
public sealed class AiOptions
{
    public const string Section = "AI";

    public AiProvider Provider { get; set; } = AiProvider.Embedded;

    /// <summary>How long the persona may take to answer before the reply bank answers instead.</summary>
    public double PersonaTimeoutSeconds { get; set; } = 20;

    /// <summary>Upper bound on the persona's reply length, in model tokens.</summary>
    public int PersonaMaxOutputTokens { get; set; } = 160;
}
