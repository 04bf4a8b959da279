using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TeacherTrainer.ApiService.AI;

namespace TeacherTrainer.Tests.Fixtures;

/// <summary>
/// An in-test HTTP server speaking the parts of the Ollama API we use (version, tags, pull, embed,
/// chat with streaming), because no model weights can be had on these machines. Embeddings come
/// from the real all-MiniLM-L6-v2 (what Ollama's all-minilm is); chat replies come from
/// <see cref="ChatReply"/>, streamed word by word. Every request is recorded for assertions.
/// </summary>
public sealed class FakeOllamaServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lazy<EmbeddedMiniLmGenerator> _embedder = new(() => new EmbeddedMiniLmGenerator());

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    private static readonly Func<JsonArray, string> DefaultChatReply = _ => "Okay. I hear you.";
    private static readonly string[] DefaultModels = ["llama3.2:latest", "all-minilm:latest"];

    /// <summary>What the "model" answers to a chat request (given the request's messages).</summary>
    public Func<JsonArray, string> ChatReply { get; set; } = DefaultChatReply;

    /// <summary>Delay before each streamed chunk (simulates a slow model).</summary>
    public TimeSpan TokenDelay { get; set; } = TimeSpan.Zero;

    /// <summary>When set, chat and embed answer with this status code (simulates a model that is down).</summary>
    public int? FailWithStatus { get; set; }

    /// <summary>When set, only chat answers with this status code (the chat model is down; embeddings still work).</summary>
    public int? FailChatWithStatus { get; set; }

    public string[] Models { get; set; } = DefaultModels;

    public Uri Endpoint { get; private set; } = null!;

    private FakeOllamaServer(WebApplication app) => _app = app;

    /// <summary>Every knob back to its default, so a test that changed one leaves the shared server as it found it.</summary>
    public void Reset()
    {
        ChatReply = DefaultChatReply;
        TokenDelay = TimeSpan.Zero;
        FailWithStatus = null;
        FailChatWithStatus = null;
        Models = DefaultModels;
    }

    public static async Task<FakeOllamaServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeOllamaServer(app);
        server.MapRoutes();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Endpoint = new Uri(address);
        return server;
    }

    private void MapRoutes()
    {
        _app.MapGet("/", () => "Ollama is running");
        _app.MapGet("/api/version", () => Results.Json(new { version = "0.12.6" }));
        _app.MapGet("/api/tags", () => Results.Json(new
        {
            models = Models.Select(m => new { name = m, model = m, size = 1_000_000, digest = "sha256:" + new string('0', 64), modified_at = "2026-11-01T00:00:00Z" }),
        }));
        _app.MapPost("/api/pull", async (HttpContext context) =>
        {
            var body = await Record(context);
            context.Response.ContentType = "application/x-ndjson";
            foreach (var completed in new[] { 0L, 50L, 100L })
            {
                await WriteLine(context, new { status = "pulling manifest", digest = "sha256:abc", total = 100, completed });
            }
            await WriteLine(context, new { status = "success" });
            Models = [.. Models, body?["model"]?.GetValue<string>() ?? "unknown"];
        });
        _app.MapPost("/api/embed", async (HttpContext context) =>
        {
            var body = await Record(context);
            if (FailWithStatus is { } status) return Results.StatusCode(status);
            var input = body?["input"];
            var texts = input is JsonArray array ? array.Select(n => n!.GetValue<string>()).ToArray() : [input!.GetValue<string>()];
            var embeddings = await _embedder.Value.GenerateAsync(texts);
            return Results.Json(new
            {
                model = body?["model"]?.GetValue<string>(),
                embeddings = embeddings.Select(e => e.Vector.ToArray()),
                prompt_eval_count = texts.Sum(t => t.Length / 4),
            });
        });
        _app.MapPost("/api/chat", async (HttpContext context) =>
        {
            var body = await Record(context);
            if ((FailWithStatus ?? FailChatWithStatus) is { } status)
            {
                context.Response.StatusCode = status;
                await context.Response.WriteAsJsonAsync(new { error = "model failed to load" });
                return;
            }
            var model = body?["model"]?.GetValue<string>() ?? "llama3.2";
            var reply = ChatReply(body?["messages"] as JsonArray ?? []);
            var stream = body?["stream"]?.GetValue<bool>() ?? true;
            context.Response.ContentType = stream ? "application/x-ndjson" : "application/json";
            if (!stream)
            {
                await context.Response.WriteAsJsonAsync(Chunk(model, reply, done: true));
                return;
            }
            var words = reply.Split(' ');
            for (var i = 0; i < words.Length; i++)
            {
                if (TokenDelay > TimeSpan.Zero) await Task.Delay(TokenDelay, context.RequestAborted);
                await WriteLine(context, Chunk(model, (i == 0 ? "" : " ") + words[i], done: false));
            }
            await WriteLine(context, Chunk(model, "", done: true));
        });
    }

    private static object Chunk(string model, string content, bool done) => done
        ? new { model, created_at = DateTimeOffset.UtcNow, message = new { role = "assistant", content }, done = true, done_reason = "stop", total_duration = 1_000_000, eval_count = 10, prompt_eval_count = 20 }
        : new { model, created_at = DateTimeOffset.UtcNow, message = new { role = "assistant", content }, done = false };

    private static async Task WriteLine(HttpContext context, object value)
    {
        await context.Response.WriteAsync(JsonSerializer.Serialize(value) + "\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    private async Task<JsonNode?> Record(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var text = await reader.ReadToEndAsync();
        var node = string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
        Requests.Enqueue(new RecordedRequest(context.Request.Path, node));
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        if (_embedder.IsValueCreated) _embedder.Value.Dispose();
    }
}

public sealed record RecordedRequest(string Path, JsonNode? Body);
