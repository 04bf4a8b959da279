using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.ApiService.Scenarios;

namespace TeacherTrainer.ApiService.Data.Entities;

public sealed class PracticeSession
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public Guid ScenarioId { get; set; }
    public Guid ScenarioVersionId { get; set; }
    public ScenarioVersion? ScenarioVersion { get; set; }
    public Guid? AssignmentId { get; set; }
    public SessionStatus Status { get; set; }
    /// <summary>Why it ended: <c>goals-met</c>, <c>turn-limit</c> or <c>ended-by-trainee</c>.</summary>
    public string? EndReason { get; set; }
    public required PersonaStateValues State { get; set; }
    public int TurnCount { get; set; }
    /// <summary>Keys of the persona's goals met so far, in the order the scenario lists them.</summary>
    public List<string> GoalsMet { get; set; } = [];
    /// <summary>Mean of the turns' overall scores, set when the session ends.</summary>
    public int? OverallScore { get; set; }
    public string? Reflection { get; set; }
    public DateTimeOffset? ReflectionAt { get; set; }
    /// <summary>The reflection is private unless the trainee shares it; then whoever may read the session reads it too.</summary>
    public bool ReflectionShared { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    /// <summary>Optimistic concurrency: two turns posted at once must not both become turn N.</summary>
    public uint Version { get; set; }
    public List<SessionTurn> Turns { get; set; } = [];
}

public sealed class SessionTurn
{
    public Guid Id { get; set; }
    public Guid SessionId { get; set; }
    public int Index { get; set; }
    public required string TraineeText { get; set; }
    public required string Move { get; set; }
    public double MoveConfidence { get; set; }
    /// <summary>What the persona said just before (the context the reply was judged in).</summary>
    public required string PersonaPrompt { get; set; }
    public required string PersonaReply { get; set; }
    /// <summary><c>reply-bank</c>, <c>model</c>, or <c>reply-bank-fallback</c> (the model was slow or down).</summary>
    public required string PersonaReplySource { get; set; }
    public required PersonaStateValues StateBefore { get; set; }
    public required PersonaStateValues StateAfter { get; set; }
    public required Judgement Judgement { get; set; }
    public int Score { get; set; }
    /// <summary>Keys of the persona's goals met once this turn was taken (this turn's and earlier ones).</summary>
    public List<string> GoalsMet { get; set; } = [];
    /// <summary>Why the persona's mood moved, for the trainee ("Andre eased: you acknowledged how they feel.").</summary>
    public string? MoodReason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>
    /// Set when the trainee chose "try that turn again": the turn stays in the transcript as a retried
    /// branch with its own judgement, but counts for nothing (score, progress, turn limit, context) and
    /// the next turn takes its index.
    /// </summary>
    public DateTimeOffset? RetriedAt { get; set; }
    public List<TurnCriterionScore> CriterionScores { get; set; } = [];
}

/// <summary>One criterion's score on one turn, as a row so progress can be charted by query.</summary>
public sealed class TurnCriterionScore
{
    public Guid TurnId { get; set; }
    public required string CriterionKey { get; set; }
    public required string CriterionName { get; set; }
    public int EngineScore { get; set; }
    /// <summary>An instructor's override; the engine's score is kept beside it.</summary>
    public int? OverrideScore { get; set; }
    /// <summary>The instructor's override when there is one, else the engine's score (EffectiveScores builds on it).</summary>
    public int EffectiveScore => OverrideScore ?? EngineScore;
}
