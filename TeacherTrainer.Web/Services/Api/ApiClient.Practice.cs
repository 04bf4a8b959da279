using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace TeacherTrainer.Web.Services.Api;

public sealed partial class ApiClient
{
    public Task<SessionView> StartSessionAsync(string scenarioSlug, Guid? assignmentId = null, CancellationToken cancellationToken = default)
        => SendJsonAsync<SessionView>(HttpMethod.Post, "/api/sessions", new StartSessionRequest(scenarioSlug, assignmentId), cancellationToken);

    public Task<IReadOnlyList<SessionListItem>> ListSessionsAsync(CancellationToken cancellationToken = default)
        => GetAsync<IReadOnlyList<SessionListItem>>("/api/sessions", cancellationToken);

    public Task<SessionView> GetSessionAsync(Guid sessionId, CancellationToken cancellationToken = default)
        => GetAsync<SessionView>($"/api/sessions/{sessionId}", cancellationToken);

    public Task<SessionView> EndSessionAsync(Guid sessionId, CancellationToken cancellationToken = default)
        => SendJsonAsync<SessionView>(HttpMethod.Post, $"/api/sessions/{sessionId}/end", null, cancellationToken);

    /// <summary>"Try that turn again": the last turn is kept as retried and the persona goes back to before it.</summary>
    public Task<SessionView> RetryLastTurnAsync(Guid sessionId, CancellationToken cancellationToken = default)
        => SendJsonAsync<SessionView>(HttpMethod.Post, $"/api/sessions/{sessionId}/turns/last/retry", null, cancellationToken);

    public Task<SessionView> SaveReflectionAsync(Guid sessionId, string text, CancellationToken cancellationToken = default)
        => SendJsonAsync<SessionView>(HttpMethod.Put, $"/api/sessions/{sessionId}/reflection", new ReflectionRequest(text), cancellationToken);

    public Task<ProgressView> GetProgressAsync(CancellationToken cancellationToken = default)
        => GetAsync<ProgressView>("/api/progress", cancellationToken);

    /// <summary>
    /// Sends the trainee's reply and yields the turn as it happens: the judgement first, then the
    /// persona's reply piece by piece (when a language model speaks), then the saved turn. A
    /// problem after streaming began arrives as a <see cref="TurnEvent.Failed"/> event.
    /// </summary>
    public async IAsyncEnumerable<TurnEvent> TakeTurnAsync(Guid sessionId, string text, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/api/sessions/{sessionId}/turns",
            () => JsonContent.Create(new TurnRequest(text), options: Json), cancellationToken,
            HttpCompletionOption.ResponseHeadersRead, accept: "text/event-stream");
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var turnEvent in ReadTurnEventsAsync(stream, cancellationToken))
        {
            yield return turnEvent;
        }
    }

    /// <summary>Reads the server-sent events of a turn: 'judgement', 'persona-delta', 'turn' and 'problem'.</summary>
    internal static async IAsyncEnumerable<TurnEvent> ReadTurnEventsAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken))
        {
            TurnEvent? parsed = item.EventType switch
            {
                "judgement" => new TurnEvent.Judged(Deserialize<TurnJudged>(item.Data)),
                "persona-delta" => new TurnEvent.PersonaDelta(Deserialize<DeltaPayload>(item.Data).Text ?? ""),
                "turn" => new TurnEvent.Completed(Deserialize<TurnResult>(item.Data)),
                "problem" => new TurnEvent.Failed(ToProblem(Deserialize<ProblemPayload>(item.Data))),
                _ => null,
            };
            if (parsed is not null) yield return parsed;
        }
    }

    private static T Deserialize<T>(string data)
        => JsonSerializer.Deserialize<T>(data, Json) ?? throw new JsonException($"The event carried no {typeof(T).Name}.");

    private static ApiProblemException ToProblem(ProblemPayload problem)
        => new(problem.Status ?? 503, problem.Title ?? "The turn was not saved", problem.Detail);

    private sealed record DeltaPayload(string? Text);

    private sealed record ProblemPayload(string? Title, string? Detail, int? Status);
}

/// <summary>What happens during one turn of practice, in order.</summary>
public abstract record TurnEvent
{
    /// <summary>The reply has been judged; the persona has not answered yet.</summary>
    public sealed record Judged(TurnJudged Value) : TurnEvent;

    /// <summary>A piece of the persona's reply, as the language model writes it.</summary>
    public sealed record PersonaDelta(string Text) : TurnEvent;

    /// <summary>The turn was saved: the authoritative persona reply and where the session stands.</summary>
    public sealed record Completed(TurnResult Value) : TurnEvent;

    /// <summary>The turn could not be completed; nothing was kept.</summary>
    public sealed record Failed(ApiProblemException Problem) : TurnEvent;
}
