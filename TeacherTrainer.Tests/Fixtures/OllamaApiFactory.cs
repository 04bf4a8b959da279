namespace TeacherTrainer.Tests.Fixtures;

/// <summary>
/// The API of <see cref="ApiOptions.Ollama"/>: AI:Provider=Ollama, its chat and embedding models served by
/// <see cref="FakeOllamaServer"/> (no model weights can be had here): the persona is written by the "model",
/// streamed, bounded and guarded; the embeddings are the real all-MiniLM-L6-v2 behind Ollama's embed API.
/// </summary>
public sealed class OllamaApiFactory() : ApiFactory(ApiOptions.Ollama)
{
    /// <summary>
    /// Short, so a slow model's fallback is quick to observe; not so short that a cold first call on
    /// a busy CI machine (JIT, the first connection) misses it while the model is healthy.
    /// </summary>
    public const double PersonaTimeoutSeconds = 5;
}
