namespace TeacherTrainer.Web.Services.Api;

public sealed partial class ApiClient
{
    /// <summary>A session's transcript with scores and instructors' comments (its trainee, their instructors, admins).</summary>
    public Task<SessionReview> GetReviewAsync(Guid sessionId, CancellationToken cancellationToken = default)
        => GetAsync<SessionReview>($"/api/review/sessions/{sessionId}", cancellationToken);

    public Task<IReadOnlyList<OverrideAuditView>> ListOverridesAsync(Guid sessionId, CancellationToken cancellationToken = default)
        => GetAsync<IReadOnlyList<OverrideAuditView>>($"/api/review/sessions/{sessionId}/overrides", cancellationToken);

    public Task<CommentView> AddCommentAsync(Guid turnId, string text, CancellationToken cancellationToken = default)
        => SendJsonAsync<CommentView>(HttpMethod.Post, $"/api/review/turns/{turnId}/comments", new AddCommentRequest(text), cancellationToken);

    public Task<CriterionView> OverrideScoreAsync(Guid turnId, string criterionKey, decimal? score, string reason, CancellationToken cancellationToken = default)
        => SendJsonAsync<CriterionView>(HttpMethod.Put, $"/api/review/turns/{turnId}/scores/{Segment(criterionKey)}",
            new OverrideScoreRequest(score, reason), cancellationToken);
}
