using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Cohorts;
using TeacherTrainer.ApiService.Data;
using TeacherTrainer.ApiService.Extensions;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.ApiService.Practice;
using TeacherTrainer.ApiService.Security;

namespace TeacherTrainer.ApiService.Review;

/// <summary>
/// Instructors' review of trainees' transcripts: read a session with its scores and comments,
/// comment on a turn, override a criterion score (the engine's score is kept; every change is
/// audited). Who may read and who may review follow <see cref="SessionAccess"/> (the trainee reads
/// too: they see the comments and overrides on their work). A session the caller may not read answers 404.
/// </summary>
public static class ReviewApi
{
    private const long MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapReviewApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/review").WithTags("Review").RequireAuthorization()
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes));

        api.MapGet("/sessions/{sessionId:guid}", GetSessionReviewAsync).WithName("GetSessionReview")
            .WithSummary("A session's transcript with each turn's criterion scores (engine, override, effective) and instructors' comments.");
        api.MapGet("/sessions/{sessionId:guid}/overrides", ListOverridesAsync).WithName("ListScoreOverrides")
            .WithSummary("The audit trail of score overrides on a session: who changed what, from what to what, why and when.");
        api.MapPost("/turns/{turnId:guid}/comments", AddCommentAsync).WithName("AddTurnComment")
            .WithSummary("Comments on one turn of a trainee's session (their instructor or an admin).")
            .RequireAuthorization(Policies.Instructor);
        api.MapPut("/turns/{turnId:guid}/scores/{criterionKey}", OverrideScoreAsync).WithName("OverrideScore")
            .WithSummary("Overrides (or, with score null, restores) one criterion's score on a turn; the engine's score is kept and the change audited.")
            .RequireAuthorization(Policies.Instructor);
        return app;
    }

    public static async Task<Results<Ok<SessionReview>, NotFound>> GetSessionReviewAsync(Guid sessionId, [AsParameters] ReviewServices s, CancellationToken ct)
    {
        var session = await s.Db.Sessions.AsNoTracking().Where(x => x.Id == sessionId)
            .Select(x => new
            {
                x.Id, x.UserId, x.Status, x.OverallScore, x.StartedAt, x.EndedAt, x.AssignmentId,
                Trainee = s.Db.Users.Where(u => u.Id == x.UserId).Select(u => u.DisplayName).First(),
                Scenario = s.Db.Scenarios.Where(sc => sc.Id == x.ScenarioId).Select(sc => sc.Slug).First(),
            })
            .SingleOrDefaultAsync(ct);
        var viewer = session is null ? SessionViewer.None : await s.Access.ViewerAsync(s.User, sessionId, ct);
        if (session is null || viewer == SessionViewer.None) return TypedResults.NotFound();

        var turns = await s.Db.Turns.AsNoTracking().Where(t => t.SessionId == sessionId).Include(t => t.CriterionScores)
            .OrderBy(t => t.Index).ThenBy(t => t.CreatedAt).ToListAsync(ct);
        var comments = (await s.Db.TurnComments.AsNoTracking().Where(c => c.SessionId == sessionId).OrderBy(c => c.CreatedAt)
            .Join(s.Db.Users, c => c.AuthorId, u => u.Id, (c, u) => new { c.TurnId, View = new CommentView(c.Id, c.AuthorId, u.DisplayName, c.Text, c.CreatedAt) })
            .ToListAsync(ct)).ToLookup(c => c.TurnId, c => c.View);
        var notes = await EffectiveScores.OverrideNotesAsync(s.Db, sessionId, ct);
        // Every number from EffectiveScores: the instructor reads what the trainee reads.
        var view = new SessionReview(session.Id, session.UserId, session.Trainee, session.Scenario,
            session.Status,
            session.Status == SessionStatus.Completed ? EffectiveScores.Session(turns) : null, session.StartedAt, session.EndedAt,
            turns.Select(t =>
            {
                var effective = EffectiveScores.Turn(t);
                return new TurnReview(t.Id, t.Index, t.PersonaPrompt, t.TraineeText, t.PersonaReply, effective, t.CreatedAt,
                    t.CriterionScores.OrderBy(c => c.CriterionKey).Select(c => CriterionViewOf(c, notes)).ToList(),
                    comments[t.Id].ToList(), t.RetriedAt, t.Score, EffectiveScores.Band(effective));
            }).ToList(),
            SessionAccess.CanReview(viewer));
        return TypedResults.Ok(view);
    }

    public static async Task<Results<Ok<List<OverrideAuditView>>, NotFound>> ListOverridesAsync(Guid sessionId, [AsParameters] ReviewServices s, CancellationToken ct)
    {
        if (!await s.Access.CanReadSessionAsync(s.User, sessionId, ct)) return TypedResults.NotFound();
        var audit = await s.Db.ScoreOverrideAudits.AsNoTracking().Where(a => a.SessionId == sessionId).OrderBy(a => a.ChangedAt)
            .Join(s.Db.Users, a => a.ChangedById, u => u.Id, (a, u) => new OverrideAuditView(a.Id, a.TurnId, a.CriterionKey, a.EngineScore,
                a.PreviousScore, a.NewScore, a.Reason, a.ChangedById, u.DisplayName, a.ChangedAt))
            .ToListAsync(ct);
        return TypedResults.Ok(audit);
    }

    public static async Task<Results<Created<CommentView>, NotFound, ForbidHttpResult>> AddCommentAsync(
        Guid turnId, AddCommentRequest request, [AsParameters] ReviewServices s, CancellationToken ct)
    {
        var turn = await s.Db.Turns.AsNoTracking().Where(t => t.Id == turnId)
            .Join(s.Db.Sessions, t => t.SessionId, x => x.Id, (t, x) => new { t.Id, t.SessionId, x.UserId })
            .SingleOrDefaultAsync(ct);
        if (turn is null) return TypedResults.NotFound();
        var viewer = await s.Access.ViewerAsync(s.User, turn.SessionId, ct);
        if (viewer == SessionViewer.None) return TypedResults.NotFound();
        if (!SessionAccess.CanReview(viewer)) return TypedResults.Forbid();
        var comment = new TurnComment
        {
            Id = Guid.CreateVersion7(), SessionId = turn.SessionId, TurnId = turn.Id, AuthorId = s.User.GetUserId(),
            Text = request.Text.Trim(), CreatedAt = s.Time.GetUtcNow(),
        };
        s.Db.TurnComments.Add(comment);
        await s.Db.SaveChangesAsync(ct);
        s.Logger.LogInformation("Comment {CommentId} on turn {TurnId} by {UserId}", comment.Id, turnId, comment.AuthorId);
        return TypedResults.Created($"/api/review/sessions/{turn.SessionId}",
            new CommentView(comment.Id, comment.AuthorId, s.User.FindFirstValue(ClaimsPrincipalExtensions.NameClaim) ?? "", comment.Text, comment.CreatedAt));
    }

    public static async Task<Results<Ok<CriterionView>, NotFound, ForbidHttpResult, ValidationProblem>> OverrideScoreAsync(
        Guid turnId, [StringLength(60), SafeText] string criterionKey, OverrideScoreRequest request, [AsParameters] ReviewServices s, CancellationToken ct)
    {
        // A score is a whole number: 5.5 is refused with a reason rather than quietly becoming 5.
        if (request.Score is { } asked && asked != decimal.Truncate(asked))
        {
            return ApiProblems.Invalid("score",
                $"A score is a whole number from 0 to 100; {asked} has decimals. Round it as you mean it, for example {Math.Round(asked, MidpointRounding.AwayFromZero)}.");
        }
        var owner = await s.Db.Turns.Where(t => t.Id == turnId)
            .Join(s.Db.Sessions, t => t.SessionId, x => x.Id, (t, x) => new { x.Id, x.UserId, t.Index })
            .SingleOrDefaultAsync(ct);
        if (owner is null) return TypedResults.NotFound();
        var viewer = await s.Access.ViewerAsync(s.User, owner.Id, ct);
        if (viewer == SessionViewer.None) return TypedResults.NotFound();
        if (!SessionAccess.CanReview(viewer)) return TypedResults.Forbid();
        // The whole session, tracked: its stored overall is refreshed from the effective scores in the same save.
        var session = await s.Db.Sessions.Include(x => x.Turns).ThenInclude(t => t.CriterionScores).AsSplitQuery().SingleAsync(x => x.Id == owner.Id, ct);
        var score = session.Turns.Single(t => t.Id == turnId).CriterionScores.SingleOrDefault(c => c.CriterionKey == criterionKey);
        if (score is null) return TypedResults.NotFound();

        var newScore = request.Score is { } whole ? (int)whole : (int?)null;
        var audit = new ScoreOverrideAudit
        {
            Id = Guid.CreateVersion7(), SessionId = owner.Id, TurnId = turnId, CriterionKey = criterionKey, EngineScore = score.EngineScore,
            PreviousScore = score.OverrideScore, NewScore = newScore, Reason = request.Reason.Trim(),
            ChangedById = s.User.GetUserId(), ChangedAt = s.Time.GetUtcNow(),
        };
        score.OverrideScore = newScore;
        EffectiveScores.Refresh(session);
        s.Db.ScoreOverrideAudits.Add(audit);
        var turnNumber = owner.Index + 1;
        await s.Db.SaveChangesAsync(ct);
        s.SecurityLog.ScoreOverridden(audit.ChangedById.ToString(), owner.UserId.ToString(), owner.Id, turnNumber, criterionKey);
        var name = s.User.FindFirstValue(ClaimsPrincipalExtensions.NameClaim) ?? "";
        return TypedResults.Ok(new CriterionView(score.CriterionKey, score.CriterionName, score.EngineScore, score.OverrideScore, EffectiveScores.Criterion(score),
            newScore is null ? null : audit.Reason, newScore is null ? null : name));
    }

    private static CriterionView CriterionViewOf(TurnCriterionScore c, IReadOnlyDictionary<(Guid TurnId, string Key), OverrideNote> notes)
    {
        var note = c.OverrideScore is null ? null : notes.GetValueOrDefault((c.TurnId, c.CriterionKey));
        return new(c.CriterionKey, c.CriterionName, c.EngineScore, c.OverrideScore, EffectiveScores.Criterion(c), note?.Reason, note?.ByName);
    }
}

/// <summary>What every handler here needs.</summary>
/// <remarks>Services are marked as such, so validation does not walk them (it would walk the DbContext's sets).</remarks>
public sealed record ReviewServices([FromServices] TeacherDbContext Db, [FromServices] SessionAccess Access, ClaimsPrincipal User, [FromServices] TimeProvider Time, [FromServices] ILogger<ReviewServices> Logger, [FromServices] SecurityLog SecurityLog);
