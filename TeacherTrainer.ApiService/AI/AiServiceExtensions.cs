using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace TeacherTrainer.ApiService.AI;

public static class AiServiceExtensions
{
    public const string ChatConnectionName = "chat";
    public const string EmbeddingConnectionName = "embedding";

    /// <summary>
    /// Registers <see cref="IEmbeddingGenerator{TInput,TEmbedding}"/> (always) and
    /// <see cref="IChatClient"/> (Ollama only). Everything else takes these abstractions and never
    /// asks which provider is behind them.
    /// </summary>
    public static IHostApplicationBuilder AddAiServices(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(AiOptions.Section).Get<AiOptions>() ?? new AiOptions();
        builder.Services.Configure<AiOptions>(builder.Configuration.GetSection(AiOptions.Section));

        if (options.Provider == AiProvider.Ollama)
        {
            if (!builder.AddOllamaEmbeddingGenerator(EmbeddingConnectionName)
                || !builder.AddOllamaChatClient(ChatConnectionName))
            {
                throw new InvalidOperationException(
                    "AI:Provider is Ollama but ConnectionStrings:chat and ConnectionStrings:embedding " +
                    "(Endpoint=http://host:11434;Model=name) are not both set.");
            }
        }
        else
        {
            // AI:WidePasses (Never, WhenCoresSpare, Always): whether a lone pass may use every core (AI/MiniLmEncoder.cs).
            var wide = builder.Configuration.GetValue("AI:WidePasses", WidePasses.WhenCoresSpare);
            builder.Services.AddEmbeddingGenerator(_ => new EmbeddedMiniLmGenerator(new MiniLmEncoder(widePasses: wide))).UseOpenTelemetry();
        }

        builder.Services.AddSingleton(sp => new AiStatus(
            sp.GetRequiredService<IOptions<AiOptions>>().Value.Provider,
            sp.GetService<IChatClient>() is not null));
        return builder;
    }
}

/// <summary>Which AI provider is configured, for status and for callers that can use a chat model.</summary>
public sealed record AiStatus(AiProvider Provider, bool HasChatModel);
