namespace TeacherTrainer.Web.Services.Api;

public sealed record AddCommentRequest(string Text);

/// <param name="Score">0 to 100; null restores the engine's score.</param>
public sealed record OverrideScoreRequest(int? Score, string Reason);

/// <param name="CanReview">Whether the caller may comment and override.</param>
public sealed record SessionReview(Guid SessionId, Guid TraineeId, string TraineeName, string ScenarioSlug, string Status, int? OverallScore,
    DateTimeOffset StartedAt, DateTimeOffset? EndedAt, IReadOnlyList<TurnReview> Turns, bool CanReview);

public sealed record TurnReview(Guid TurnId, int Index, string PersonaPrompt, string TraineeText, string PersonaReply, int Score, DateTimeOffset CreatedAt,
    IReadOnlyList<CriterionView> Criteria, IReadOnlyList<CommentView> Comments, DateTimeOffset? RetriedAt = null)
{
    /// <summary>The trainee tried this turn again: shown as a retried branch, not counted in the session's score.</summary>
    public bool Retried => RetriedAt is not null;
}

public sealed record CriterionView(string Key, string Name, int EngineScore, int? OverrideScore, int EffectiveScore);

public sealed record CommentView(Guid Id, Guid AuthorId, string AuthorName, string Text, DateTimeOffset CreatedAt);

public sealed record OverrideAuditView(Guid Id, Guid TurnId, string CriterionKey, int EngineScore, int? PreviousScore, int? NewScore,
    string Reason, Guid ChangedById, string ChangedByName, DateTimeOffset ChangedAt);
