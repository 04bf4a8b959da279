using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace TeacherTrainer.Contracts;

public sealed record AddCommentRequest([property: Required, StringLength(2000, MinimumLength = 1), SafeText] string Text);

/// <param name="Score">The instructor's score, 0 to 100; null removes the override (the engine's score applies again).</param>
/// <param name="Reason">Why: recorded in the audit trail, shown to the trainee.</param>
/// <remarks>Score is read as a decimal so that 5.5 can be refused with a clear reason instead of failing to parse or being truncated.</remarks>
public sealed record OverrideScoreRequest(
    [property: Range(typeof(decimal), "0", "100")] decimal? Score,
    [property: Required, StringLength(500, MinimumLength = 3), SafeText] string Reason);

/// <param name="CanReview">Whether the caller may comment and override.</param>
public sealed record SessionReview(Guid SessionId, Guid TraineeId, string TraineeName, string ScenarioSlug, SessionStatus Status, int? OverallScore,
    DateTimeOffset StartedAt, DateTimeOffset? EndedAt, IReadOnlyList<TurnReview> Turns, bool CanReview);

/// <param name="Score">The turn's effective score (the API's <c>EffectiveScores</c>): the engine's, or recomputed from overridden criteria.</param>
/// <param name="RetriedAt">Set for a turn the trainee tried again: shown as a retried branch, not counted in the session's score.</param>
/// <param name="EngineScore">The engine's own overall for the turn, kept beside the effective one.</param>
/// <param name="Band">The band of the effective score.</param>
public sealed record TurnReview(Guid TurnId, int Index, string PersonaPrompt, string TraineeText, string PersonaReply, int Score, DateTimeOffset CreatedAt,
    IReadOnlyList<CriterionView> Criteria, IReadOnlyList<CommentView> Comments, DateTimeOffset? RetriedAt = null, int EngineScore = 0, Band Band = Band.Poor)
{
    /// <summary>The trainee tried this turn again: shown as a retried branch, not counted in the session's score.</summary>
    [JsonIgnore]
    public bool Retried => RetriedAt is not null;
}

/// <param name="OverrideReason">Why the standing override was made; null without one.</param>
/// <param name="OverriddenBy">Who made the standing override.</param>
public sealed record CriterionView(string Key, string Name, int EngineScore, int? OverrideScore, int EffectiveScore,
    string? OverrideReason = null, string? OverriddenBy = null);

public sealed record CommentView(Guid Id, Guid AuthorId, string AuthorName, string Text, DateTimeOffset CreatedAt);

public sealed record OverrideAuditView(Guid Id, Guid TurnId, string CriterionKey, int EngineScore, int? PreviousScore, int? NewScore,
    string Reason, Guid ChangedById, string ChangedByName, DateTimeOffset ChangedAt);
