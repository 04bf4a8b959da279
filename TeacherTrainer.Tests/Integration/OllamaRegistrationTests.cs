using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TeacherTrainer.ApiService.AI;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Integration;

/// <summary>The Ollama provider, registered from connection strings, against an in-test Ollama server.</summary>
public sealed class OllamaRegistrationTests : IAsyncLifetime
{
    private FakeOllamaServer _ollama = null!;
    private IHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _ollama = await FakeOllamaServer.StartAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AI:Provider"] = "Ollama",
            ["ConnectionStrings:chat"] = $"Endpoint={_ollama.Endpoint};Model=llama3.2",
            ["ConnectionStrings:embedding"] = $"Endpoint={_ollama.Endpoint};Model=all-minilm",
        });
        builder.Services.AddHttpClient();
        builder.AddAiServices();
        _host = builder.Build();
    }

    [Fact]
    public async Task Embeddings_come_from_the_Ollama_embed_API()
    {
        var generator = _host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        var vectors = await generator.GenerateAsync(["You seem frustrated.", "That looks frustrating for you."], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, vectors.Count);
        Assert.All(vectors, v => Assert.Equal(384, v.Vector.Length));
        Assert.True(TensorPrimitives.CosineSimilarity(vectors[0].Vector.Span, vectors[1].Vector.Span) > 0.5);
        var request = Assert.Single(_ollama.Requests, r => r.Path == "/api/embed");
        Assert.Equal("all-minilm", request.Body!["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task Chat_streams_from_the_Ollama_chat_API()
    {
        _ollama.ChatReply = _ => "Fine. But I still think it was unfair.";
        var chat = _host.Services.GetRequiredService<IChatClient>();

        var chunks = new List<string>();
        await foreach (var update in chat.GetStreamingResponseAsync(
            [new ChatMessage(ChatRole.System, "You are Sam."), new ChatMessage(ChatRole.User, "Can we talk?")],
            new ChatOptions { MaxOutputTokens = 50 }, TestContext.Current.CancellationToken))
        {
            if (!string.IsNullOrEmpty(update.Text)) chunks.Add(update.Text);
        }

        Assert.True(chunks.Count > 3, "the reply should arrive in several chunks");
        Assert.Equal("Fine. But I still think it was unfair.", string.Concat(chunks));
        var request = Assert.Single(_ollama.Requests, r => r.Path == "/api/chat");
        Assert.Equal("llama3.2", request.Body!["model"]!.GetValue<string>());
        Assert.Equal(50, request.Body!["options"]!["num_predict"]!.GetValue<int>());
    }

    [Fact]
    public void A_malformed_connection_string_is_refused_clearly()
    {
        var error = Assert.Throws<InvalidOperationException>(() => OllamaClientExtensions.ParseOllamaConnectionString("Model=llama3.2"));
        Assert.Contains("Endpoint", error.Message);
    }

    public async ValueTask DisposeAsync()
    {
        _host.Dispose();
        await _ollama.DisposeAsync();
    }
}
