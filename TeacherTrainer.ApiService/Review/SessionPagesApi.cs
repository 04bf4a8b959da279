using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TeacherTrainer.ApiService.Cohorts;
using TeacherTrainer.ApiService.Data;
using TeacherTrainer.ApiService.Extensions;
using TeacherTrainer.ApiService.Practice;
using TeacherTrainer.ApiService.Security;

namespace TeacherTrainer.ApiService.Review;

/// <summary>
/// One answer per page that shows a whole session: the instructor's review page and the session summary each load
/// with one call instead of stitching the transcript, the review and the score changes together. Who may read
/// follows <see cref="SessionAccess"/>, as for the parts: a session the caller may not read answers 404.
/// </summary>
public static class SessionPagesApi
{
    public static IEndpointRouteBuilder MapSessionPagesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/review/sessions").WithTags("Review").RequireAuthorization();

        api.MapGet("/{sessionId:guid}/review-page", GetReviewPageAsync).WithName("GetSessionReviewPage")
            .WithSummary("What the review page shows: the transcript with the engine's judgements, each turn's criterion scores and comments, and the score changes.")
            .RequireAuthorization(Policies.Instructor);
        api.MapGet("/{sessionId:guid}/summary-page", GetSummaryPageAsync).WithName("GetSessionSummaryPage")
            .WithSummary("What the session summary shows: the transcript with its summary, instructors' comments by turn, and the score changes.");
        return app;
    }

    public static async Task<Results<Ok<SessionReviewPageView>, NotFoundProblem>> GetReviewPageAsync(Guid sessionId, [AsParameters] SessionPageServices s, CancellationToken ct)
    {
        var parts = await PartsAsync(sessionId, s, ct);
        return parts is var (session, review, overrides) ? TypedResults.Ok(new SessionReviewPageView(review, session, overrides)) : PracticeProblems.UnseenSession(sessionId);
    }

    public static async Task<Results<Ok<SessionSummaryPageView>, NotFoundProblem>> GetSummaryPageAsync(Guid sessionId, [AsParameters] SessionPageServices s, CancellationToken ct)
    {
        var parts = await PartsAsync(sessionId, s, ct);
        if (parts is not var (session, review, overrides)) return PracticeProblems.UnseenSession(sessionId);
        var comments = review.Turns.Where(t => t.Comments.Count > 0).Select(t => new TurnComments(t.TurnId, t.Comments)).ToList();
        return TypedResults.Ok(new SessionSummaryPageView(session, comments, overrides));
    }

    /// <summary>The three parts a session page is made of, each read (and its access checked) as its own endpoint does; null when any is hidden.</summary>
    private static async Task<(SessionView Session, SessionReview Review, List<OverrideAuditView> Overrides)?> PartsAsync(
        Guid sessionId, SessionPageServices s, CancellationToken ct)
    {
        var review = s.Review;
        if (await PracticeApi.VisibleSessionAsync(sessionId, s.User, s.Practice, s.Access, ct) is not { } session) return null;
        if ((await ReviewApi.GetSessionReviewAsync(sessionId, review, ct)).Result is not Ok<SessionReview> { Value: { } reviewed }) return null;
        if ((await ReviewApi.ListOverridesAsync(sessionId, review, ct)).Result is not Ok<List<OverrideAuditView>> { Value: { } overrides }) return null;
        return (session, reviewed, overrides);
    }

}

/// <summary>What the session pages need.</summary>
/// <remarks>Services are marked as such, so validation does not walk them.</remarks>
public sealed record SessionPageServices(
    [FromServices] TeacherDbContext Db, [FromServices] SessionAccess Access, [FromServices] PracticeService Practice, ClaimsPrincipal User,
    [FromServices] TimeProvider Time, [FromServices] ILogger<ReviewServices> Logger, [FromServices] SecurityLog SecurityLog)
{
    public ReviewServices Review => new(Db, Access, User, Time, Logger, SecurityLog);
}
