using System.Net.ServerSentEvents;
using System.Security.Claims;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TeacherTrainer.ApiService.Cohorts;
using TeacherTrainer.ApiService.Data;
using TeacherTrainer.ApiService.Extensions;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.ApiService.Scenarios;
using TeacherTrainer.ApiService.Security;

namespace TeacherTrainer.ApiService.Practice;

public static class PracticeApi
{
    public static IEndpointRouteBuilder MapPracticeApi(this IEndpointRouteBuilder app)
    {
        var sessions = app.MapGroup("/api/sessions").WithTags("Practice").RequireAuthorization()
            .WithMetadata(new RequestSizeLimitAttribute(64 * 1024));

        sessions.MapPost("/", StartAsync)
            .WithName("StartSession")
            .WithSummary("Starts a practice session on a scenario (its current version); the persona's opening line is in the answer.")
            .RequireRateLimiting(RateLimitPolicies.Practice);
        sessions.MapGet("/", ListAsync)
            .WithName("ListSessions")
            .WithSummary("Your practice sessions, newest first.");
        sessions.MapGet("/{id:guid}", GetAsync)
            .WithName("GetSession")
            .WithSummary("A session with its transcript, every judgement, and (once ended) its summary.");
        sessions.MapPost("/{id:guid}/turns", TakeTurnAsync)
            .WithName("TakeTurn")
            .WithSummary("Sends the trainee's reply. With Accept: text/event-stream the answer streams: 'judgement' first, then 'persona-delta' pieces of the persona's reply, then 'turn' (saved). Otherwise one JSON answer.")
            .Produces<TurnResult>(StatusCodes.Status200OK, "application/json", "text/event-stream")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireRateLimiting(RateLimitPolicies.Practice);
        sessions.MapPost("/{id:guid}/turns/last/retry", RetryLastTurnAsync)
            .WithName("RetryLastTurn")
            .WithSummary("Try that turn again: the last turn stays in the transcript as retried (judged, but not counted), the persona's state goes back to before it, and the next reply takes its place. Only the session's owner, only while it is in progress.");
        sessions.MapPost("/{id:guid}/end", EndAsync)
            .WithName("EndSession")
            .WithSummary("Ends the session and returns it with its summary.");
        sessions.MapPut("/{id:guid}/reflection", SaveReflectionAsync)
            .WithName("SaveReflection")
            .WithSummary("Saves (or replaces) the trainee's written reflection on the session.");

        app.MapGet("/api/progress", GetProgressAsync)
            .RequireAuthorization()
            .WithName("GetProgress")
            .WithTags("Practice")
            .WithSummary("Your progress: each skill's score across sessions, coverage by category, recent sessions and what to practise next.");
        return app;
    }

    public static async Task<Results<Created<SessionView>, NotFoundProblem, BadRequestProblem>> StartAsync(
        StartSessionRequest request, [AsParameters] PracticeServices s, CancellationToken cancellationToken)
    {
        var started = await s.Practice.StartAsync(ScenarioCaller.From(s.User, s.Normalizer), request, cancellationToken);
        return started.Problem switch
        {
            null => TypedResults.Created($"/api/sessions/{started.Value!.Id}", started.Value),
            NotFoundProblem unknown => unknown,
            BadRequestProblem refused => refused,
            var other => throw Unexpected(other),
        };
    }

    public static async Task<Ok<List<SessionListItem>>> ListAsync([AsParameters] PracticeServices s, CancellationToken cancellationToken)
        => TypedResults.Ok(await s.Practice.ListAsync(s.User.GetUserId(), cancellationToken));

    public static async Task<Results<Ok<SessionView>, NotFoundProblem>> GetAsync(Guid id, [AsParameters] PracticeServices s, CancellationToken cancellationToken)
        => await VisibleSessionAsync(id, s.User, s.Practice, s.Access, cancellationToken) is { } session
            ? TypedResults.Ok(session)
            : PracticeProblems.UnseenSession(id);

    /// <summary>The session as the caller may see it (null: not theirs to see), the rule of GET /api/sessions/{id} and of the pages built on it.</summary>
    public static async Task<SessionView?> VisibleSessionAsync(Guid id, ClaimsPrincipal user, PracticeService practice, SessionAccess access, CancellationToken cancellationToken)
    {
        var viewer = await access.ViewerAsync(user, id, cancellationToken);
        var session = viewer == SessionViewer.None ? null : await practice.GetAsync(id, cancellationToken);
        if (session is null) return null;
        // The reflection is the trainee's own unless they shared it.
        return SessionAccess.SeesReflection(viewer, session.ReflectionShared) ? session : session with { Reflection = null };
    }

    /// <remarks>
    /// Not a <c>Results&lt;...&gt;</c> union: the answer is a stream or pre-serialised JSON bytes (for the
    /// <c>Server-Timing</c> header), whose shapes the route declares with <c>Produces</c>, as it does its problems.
    /// </remarks>
    public static async Task<IResult> TakeTurnAsync(Guid id, TurnRequest request, HttpContext http, [AsParameters] PracticeServices s, CancellationToken cancellationToken)
    {
        var userId = s.User.GetUserId();
        var options = s.Json.Value.SerializerOptions;
        var logger = s.Loggers.CreateLogger(typeof(PracticeApi));
        var streaming = http.Request.Headers.Accept.Any(a => a?.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase) == true);
        if (!streaming)
        {
            return await TakeTurnAsJsonAsync(id, userId, request.Text, http, s.Scopes, s.Lifetime, options, logger);
        }

        // Problems known before anything streams are answered with their real status code.
        var session = await s.Db.Sessions.AsNoTracking().Where(x => x.Id == id)
            .Select(x => new { x.UserId, x.Status }).SingleOrDefaultAsync(cancellationToken);
        if (session is null || session.UserId != userId) return PracticeProblems.UnknownSession(id);
        if (session.Status != SessionStatus.Active) return PracticeProblems.SessionEnded();

        // The turn runs in its own scope and is saved even if the client goes away mid-stream:
        // a reply the trainee sent is never half-kept.
        var scopes = s.Scopes;
        var lifetime = s.Lifetime;
        var work = Channel.CreateUnbounded<SseItem<string>>(new UnboundedChannelOptions { SingleReader = true });
        _ = Task.Run(async () =>
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var practice = scope.ServiceProvider.GetRequiredService<PracticeService>();
                var result = await practice.TakeTurnAsync(id, userId, request.Text,
                    judged => Write(work, "judgement", judged, options),
                    delta => Write(work, "persona-delta", new { text = delta }, options),
                    lifetime.ApplicationStopping);
                if (result.Problem is { } problem) await Write(work, "problem", problem.Value, options);
                else await Write(work, "turn", result.Value, options);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || lifetime.ApplicationStopping.IsCancellationRequested)
            {
                logger.LogError(ex, "Turn on session {SessionId} failed", id);
                await Write(work, "problem", TurnNotSaved(), options);
            }
            finally
            {
                work.Writer.TryComplete();
            }
        }, CancellationToken.None);
        return TypedResults.ServerSentEvents(work.Reader.ReadAllAsync(http.RequestAborted));
    }

    /// <summary>
    /// One JSON answer. The turn is not cancelled when the client goes away (it is saved whole or not
    /// at all), and the answer carries a <c>Server-Timing</c> header saying where the time went.
    /// </summary>
    private static async Task<IResult> TakeTurnAsJsonAsync(Guid id, Guid userId, string text, HttpContext http,
        IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, JsonSerializerOptions options, ILogger logger)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var timings = new TurnTimings();
        PracticeOutcome<TurnResult> result;
        try
        {
            // Its own scope, as for a stream: nothing of the request's scope is shared with the turn's work.
            await using var scope = scopes.CreateAsyncScope();
            var practice = scope.ServiceProvider.GetRequiredService<PracticeService>();
            result = await practice.TakeTurnAsync(id, userId, text, _ => Task.CompletedTask, _ => Task.CompletedTask,
                lifetime.ApplicationStopping, timings);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || lifetime.ApplicationStopping.IsCancellationRequested)
        {
            logger.LogError(ex, "Turn on session {SessionId} failed", id);
            http.Response.Headers.RetryAfter = TransientFailures.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(TurnNotSaved());
        }
        if (result.Problem is { } problem) return problem;
        var serialising = System.Diagnostics.Stopwatch.GetTimestamp();
        var body = JsonSerializer.SerializeToUtf8Bytes(result.Value, options);
        timings.Serialise = TurnTimings.Since(serialising);
        http.Response.Headers["Server-Timing"] = timings.ToHeader(TurnTimings.Since(started));
        return TypedResults.Bytes(body, "application/json");
    }

    /// <summary>The turn failed for a reason the trainee cannot fix (the model, the database): 503, send it again.</summary>
    private static ProblemDetails TurnNotSaved() => new()
    {
        Status = StatusCodes.Status503ServiceUnavailable,
        Title = "Turn not saved",
        Detail = "The reply could not be judged and saved just now; nothing was kept. Send it again.",
    };

    public static async Task<Results<Ok<SessionView>, NotFoundProblem>> EndAsync(Guid id, [AsParameters] PracticeServices s, CancellationToken cancellationToken)
    {
        var ended = await s.Practice.EndAsync(id, s.User.GetUserId(), cancellationToken);
        return ended.Problem switch
        {
            null => TypedResults.Ok(ended.Value!),
            NotFoundProblem unknown => unknown,
            var other => throw Unexpected(other),
        };
    }

    public static async Task<Results<Ok<SessionView>, NotFoundProblem, ConflictProblem>> RetryLastTurnAsync(
        Guid id, [AsParameters] PracticeServices s, CancellationToken cancellationToken)
    {
        var retried = await TurnRetry.RetryLastAsync(s.Db, s.Practice, s.Time, id, s.User.GetUserId(), cancellationToken);
        return retried.Problem switch
        {
            null => TypedResults.Ok(retried.Value!),
            NotFoundProblem unknown => unknown,
            ConflictProblem conflict => conflict,
            var other => throw Unexpected(other),
        };
    }

    public static async Task<Results<Ok<SessionView>, NotFoundProblem>> SaveReflectionAsync(
        Guid id, ReflectionRequest request, [AsParameters] PracticeServices s, CancellationToken cancellationToken)
    {
        var saved = await s.Practice.SaveReflectionAsync(id, s.User.GetUserId(), request.Text, cancellationToken);
        return saved.Problem switch
        {
            null => TypedResults.Ok(saved.Value!),
            NotFoundProblem unknown => unknown,
            var other => throw Unexpected(other),
        };
    }

    public static async Task<Ok<ProgressView>> GetProgressAsync([AsParameters] PracticeServices s, CancellationToken cancellationToken)
        => TypedResults.Ok(await s.Progress.GetAsync(s.User.GetUserId(), cancellationToken));

    /// <summary>A problem the service gave that this handler's answer does not declare: a bug, not an outcome.</summary>
    private static InvalidOperationException Unexpected(TypedProblem problem)
        => new($"The practice service answered {problem.StatusCode} '{problem.Value.Title}', which this endpoint does not declare.");

    private static async Task Write<T>(Channel<SseItem<string>> channel, string type, T payload, JsonSerializerOptions options)
        => await channel.Writer.WriteAsync(new SseItem<string>(JsonSerializer.Serialize(payload, options), type));
}

/// <summary>What every practice handler needs; marked as services, so validation does not walk them.</summary>
public sealed record PracticeServices(
    [FromServices] PracticeService Practice, [FromServices] SessionAccess Access, [FromServices] TeacherDbContext Db, ClaimsPrincipal User,
    [FromServices] Microsoft.AspNetCore.Identity.ILookupNormalizer Normalizer, [FromServices] TimeProvider Time,
    [FromServices] IServiceScopeFactory Scopes, [FromServices] IHostApplicationLifetime Lifetime,
    [FromServices] IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> Json, [FromServices] ILoggerFactory Loggers,
    [FromServices] ProgressService Progress);
