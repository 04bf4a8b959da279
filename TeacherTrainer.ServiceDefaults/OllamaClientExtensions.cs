using System.Data.Common;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OllamaSharp;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Registers Ollama as the <see cref="IChatClient"/> and <see cref="IEmbeddingGenerator{TInput,TEmbedding}"/>
/// from Aspire-style connection strings (<c>Endpoint=http://host:11434;Model=name</c>), the format
/// the AppHost's Ollama resource writes. Stands in for CommunityToolkit.Aspire.OllamaSharp.
/// </summary>
public static class OllamaClientExtensions
{
    /// <summary>Name of the HttpClient Ollama uses: its own timeouts, no standard resilience.</summary>
    public const string HttpClientName = "ollama";

    public static OllamaConnection ParseOllamaConnectionString(string connectionString)
    {
        var parts = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!parts.TryGetValue("Endpoint", out var endpoint) || !Uri.TryCreate(endpoint?.ToString(), UriKind.Absolute, out var uri))
        {
            throw new InvalidOperationException($"Ollama connection string must hold 'Endpoint=http://host:11434': '{connectionString}'.");
        }
        var model = parts.TryGetValue("Model", out var m) ? m?.ToString() : null;
        if (string.IsNullOrWhiteSpace(model))
        {
            throw new InvalidOperationException($"Ollama connection string must hold 'Model=name': '{connectionString}'.");
        }
        return new OllamaConnection(uri, model);
    }

    /// <summary>Registers the Ollama chat client when <c>ConnectionStrings:{name}</c> is set. Returns whether it did.</summary>
    public static bool AddOllamaChatClient(this IHostApplicationBuilder builder, string connectionName, TimeSpan? timeout = null)
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName);
        if (string.IsNullOrWhiteSpace(connectionString)) return false;
        var connection = ParseOllamaConnectionString(connectionString);
        builder.AddOllamaHttpClient(timeout ?? TimeSpan.FromMinutes(5));
        builder.Services.AddChatClient(sp => new OllamaApiClient(CreateHttpClient(sp, connection), connection.Model))
            .UseOpenTelemetry(configure: t => t.EnableSensitiveData = false);
        return true;
    }

    /// <summary>Registers the Ollama embedding generator when <c>ConnectionStrings:{name}</c> is set. Returns whether it did.</summary>
    public static bool AddOllamaEmbeddingGenerator(this IHostApplicationBuilder builder, string connectionName, TimeSpan? timeout = null)
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName);
        if (string.IsNullOrWhiteSpace(connectionString)) return false;
        var connection = ParseOllamaConnectionString(connectionString);
        builder.AddOllamaHttpClient(timeout ?? TimeSpan.FromMinutes(5));
        builder.Services.AddEmbeddingGenerator(sp => new OllamaApiClient(CreateHttpClient(sp, connection), connection.Model))
            .UseOpenTelemetry();
        return true;
    }

    private static HttpClient CreateHttpClient(IServiceProvider sp, OllamaConnection connection)
    {
        var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);
        http.BaseAddress = connection.Endpoint;
        return http;
    }

    private static void AddOllamaHttpClient(this IHostApplicationBuilder builder, TimeSpan timeout)
    {
        // A generation can run for minutes on a cold model: the standard handler's 10 s attempt
        // timeout and retries would cut it off and repeat it. Callers set their own, shorter
        // deadlines per request (the persona has one), so the client-wide limit is only a backstop.
#pragma warning disable EXTEXP0001 // The documented way to opt one client out of ConfigureHttpClientDefaults' handler.
        builder.Services.AddHttpClient(HttpClientName, http => http.Timeout = timeout)
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
    }
}

public sealed record OllamaConnection(Uri Endpoint, string Model);
