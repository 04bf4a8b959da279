using Microsoft.AspNetCore.Hosting;

namespace TeacherTrainer.Tests.Fixtures;

/// <summary>
/// The API with AI:Provider=Ollama, its chat and embedding models served by <see cref="FakeOllamaServer"/>
/// (no model weights can be had here): the persona is written by the "model", streamed, bounded and
/// guarded; the embeddings are the real all-MiniLM-L6-v2 behind Ollama's embed API.
/// </summary>
public sealed class OllamaApiFactory : ApiFactory
{
    /// <summary>
    /// Short, so a slow model's fallback is quick to observe; not so short that a cold first call on
    /// a busy CI machine (JIT, the first connection) misses it while the model is healthy.
    /// </summary>
    public const double PersonaTimeoutSeconds = 5;

    public FakeOllamaServer Ollama { get; private set; } = null!;

    protected override async Task StartDependenciesAsync() => Ollama = await FakeOllamaServer.StartAsync();

    protected override void ConfigureSettings(IWebHostBuilder builder)
    {
        builder.UseSetting("AI:Provider", "Ollama");
        builder.UseSetting("ConnectionStrings:chat", $"Endpoint={Ollama.Endpoint};Model=llama3.2");
        builder.UseSetting("ConnectionStrings:embedding", $"Endpoint={Ollama.Endpoint};Model=all-minilm");
        builder.UseSetting("AI:PersonaTimeoutSeconds", PersonaTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("RateLimits:Practice:PermitLimit", "100000");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Ollama is not null) await Ollama.DisposeAsync();
    }
}
