namespace TeacherTrainer.Web.Services.Api;

public sealed record AddCommentRequest(string Text);

/// <param name="Score">0 to 100, whole; null restores the engine's score. A decimal is sent as typed, and the API refuses it with a reason.</param>
public sealed record OverrideScoreRequest(decimal? Score, string Reason);

/// <param name="CanReview">Whether the caller may comment and override.</param>
public sealed record SessionReview(Guid SessionId, Guid TraineeId, string TraineeName, string ScenarioSlug, string Status, int? OverallScore,
    DateTimeOffset StartedAt, DateTimeOffset? EndedAt, IReadOnlyList<TurnReview> Turns, bool CanReview);

/// <param name="Score">The turn's effective score (overrides applied); <paramref name="EngineScore"/> is the engine's own.</param>
public sealed record TurnReview(Guid TurnId, int Index, string PersonaPrompt, string TraineeText, string PersonaReply, int Score, DateTimeOffset CreatedAt,
    IReadOnlyList<CriterionView> Criteria, IReadOnlyList<CommentView> Comments, DateTimeOffset? RetriedAt = null, int EngineScore = 0, string Band = "")
{
    /// <summary>The trainee tried this turn again: shown as a retried branch, not counted in the session's score.</summary>
    public bool Retried => RetriedAt is not null;
}

public sealed record CriterionView(string Key, string Name, int EngineScore, int? OverrideScore, int EffectiveScore,
    string? OverrideReason = null, string? OverriddenBy = null);

public sealed record CommentView(Guid Id, Guid AuthorId, string AuthorName, string Text, DateTimeOffset CreatedAt);

public sealed record OverrideAuditView(Guid Id, Guid TurnId, string CriterionKey, int EngineScore, int? PreviousScore, int? NewScore,
    string Reason, Guid ChangedById, string ChangedByName, DateTimeOffset ChangedAt);
