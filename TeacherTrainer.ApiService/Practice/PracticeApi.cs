using System.Net.ServerSentEvents;
using System.Security.Claims;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TeacherTrainer.ApiService.Cohorts;
using TeacherTrainer.ApiService.Data;
using TeacherTrainer.ApiService.Identity;
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

    public static async Task<Results<Created<SessionView>, ProblemHttpResult>> StartAsync(
        StartSessionRequest request, ClaimsPrincipal user, PracticeService practice, Microsoft.AspNetCore.Identity.ILookupNormalizer normalizer, CancellationToken cancellationToken)
    {
        try
        {
            var session = await practice.StartAsync(Scenarios.ScenarioCaller.From(user, normalizer), request, cancellationToken);
            return TypedResults.Created($"/api/sessions/{session.Id}", session);
        }
        catch (PracticeProblem problem)
        {
            return Problem(problem);
        }
    }

    public static async Task<Ok<List<SessionListItem>>> ListAsync(ClaimsPrincipal user, PracticeService practice, CancellationToken cancellationToken)
        => TypedResults.Ok(await practice.ListAsync(user.GetUserId(), cancellationToken));

    public static async Task<Results<Ok<SessionView>, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal user, PracticeService practice, SessionAccess access, CancellationToken cancellationToken)
    {
        var viewer = await access.ViewerAsync(user, id, cancellationToken);
        var session = viewer == SessionViewer.None ? null : await practice.GetAsync(id, cancellationToken);
        if (session is null)
        {
            return Problem(new PracticeProblem(StatusCodes.Status404NotFound, "Unknown session", $"There is no session {id} you can see."));
        }
        // The reflection is the trainee's own unless they shared it.
        return TypedResults.Ok(SessionAccess.SeesReflection(viewer, session.ReflectionShared) ? session : session with { Reflection = null });
    }

    public static async Task<IResult> TakeTurnAsync(
        Guid id, TurnRequest request, HttpContext http, ClaimsPrincipal user, TeacherDbContext db,
        IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var userId = user.GetUserId();
        var options = json.Value.SerializerOptions;
        var logger = loggers.CreateLogger(typeof(PracticeApi));
        var streaming = http.Request.Headers.Accept.Any(a => a?.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase) == true);
        if (!streaming)
        {
            return await TakeTurnAsJsonAsync(id, userId, request.Text, http, scopes, lifetime, options, logger);
        }

        // Problems known before anything streams are answered with their real status code.
        var session = await db.Sessions.AsNoTracking().Where(s => s.Id == id)
            .Select(s => new { s.UserId, s.Status }).SingleOrDefaultAsync(cancellationToken);
        if (session is null || session.UserId != userId)
        {
            return Problem(new PracticeProblem(StatusCodes.Status404NotFound, "Unknown session", $"There is no session {id} of yours."));
        }
        if (session.Status != SessionStatus.Active)
        {
            return Problem(new PracticeProblem(StatusCodes.Status409Conflict, "Session has ended", "This session has ended; start a new one to practise again."));
        }

        // The turn runs in its own scope and is saved even if the client goes away mid-stream:
        // a reply the trainee sent is never half-kept.
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
                await Write(work, "turn", result, options);
            }
            catch (PracticeProblem problem)
            {
                await Write(work, "problem", ToProblemDetails(problem), options);
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
        TurnResult result;
        try
        {
            // Its own scope, as for a stream: nothing of the request's scope is shared with the turn's work.
            await using var scope = scopes.CreateAsyncScope();
            var practice = scope.ServiceProvider.GetRequiredService<PracticeService>();
            result = await practice.TakeTurnAsync(id, userId, text, _ => Task.CompletedTask, _ => Task.CompletedTask,
                lifetime.ApplicationStopping, timings);
        }
        catch (PracticeProblem problem)
        {
            return Problem(problem);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || lifetime.ApplicationStopping.IsCancellationRequested)
        {
            logger.LogError(ex, "Turn on session {SessionId} failed", id);
            http.Response.Headers.RetryAfter = TransientFailures.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(TurnNotSaved());
        }
        var serialising = System.Diagnostics.Stopwatch.GetTimestamp();
        var body = JsonSerializer.SerializeToUtf8Bytes(result, options);
        timings.Serialise = TurnTimings.Since(serialising);
        http.Response.Headers["Server-Timing"] = timings.ToHeader(TurnTimings.Since(started));
        return TypedResults.Bytes(body, "application/json");
    }

    private static ProblemDetails TurnNotSaved() => new()
    {
        Status = StatusCodes.Status503ServiceUnavailable,
        Title = "Turn not saved",
        Detail = "The reply could not be judged and saved just now; nothing was kept. Send it again.",
    };

    public static async Task<Results<Ok<SessionView>, ProblemHttpResult>> EndAsync(
        Guid id, ClaimsPrincipal user, PracticeService practice, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await practice.EndAsync(id, user.GetUserId(), cancellationToken));
        }
        catch (PracticeProblem problem)
        {
            return Problem(problem);
        }
    }

    public static async Task<Results<Ok<SessionView>, ProblemHttpResult>> RetryLastTurnAsync(
        Guid id, ClaimsPrincipal user, TeacherDbContext db, PracticeService practice, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await TurnRetry.RetryLastAsync(db, practice, time, id, user.GetUserId(), cancellationToken));
        }
        catch (PracticeProblem problem)
        {
            return Problem(problem);
        }
    }

    public static async Task<Results<Ok<SessionView>, ProblemHttpResult>> SaveReflectionAsync(
        Guid id, ReflectionRequest request, ClaimsPrincipal user, PracticeService practice, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await practice.SaveReflectionAsync(id, user.GetUserId(), request.Text, cancellationToken));
        }
        catch (PracticeProblem problem)
        {
            return Problem(problem);
        }
    }

    public static async Task<Ok<ProgressView>> GetProgressAsync(ClaimsPrincipal user, ProgressService progress, CancellationToken cancellationToken)
        => TypedResults.Ok(await progress.GetAsync(user.GetUserId(), cancellationToken));

    private static async Task Write<T>(Channel<SseItem<string>> channel, string type, T payload, JsonSerializerOptions options)
        => await channel.Writer.WriteAsync(new SseItem<string>(JsonSerializer.Serialize(payload, options), type));

    private static ProblemDetails ToProblemDetails(PracticeProblem problem)
        => new() { Status = problem.Status, Title = problem.Title, Detail = problem.Message };

    private static ProblemHttpResult Problem(PracticeProblem problem) => TypedResults.Problem(ToProblemDetails(problem));
}
