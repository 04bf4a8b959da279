namespace TeacherTrainer.Web.Services.Api;

public sealed record StartSessionRequest(string Scenario, Guid? AssignmentId = null);

public sealed record TurnRequest(string Text);

public sealed record ReflectionRequest(string Text);

public sealed record PersonaStateValues(double Escalation, double Trust, double Engagement);

public sealed record SessionScenario(Guid Id, string Slug, string Title, string Category, string GradeBand, string Difficulty, int Version);

public sealed record SessionPersona(string Name, int Age, string Role, string Speaker);

public sealed record SessionView(
    Guid Id, Guid UserId, SessionScenario Scenario, SessionPersona Persona, string OpeningLine, IReadOnlyList<string> Goals,
    int TurnLimit, string Status, string? EndReason, PersonaStateValues State, string Mood, int TurnCount,
    DateTimeOffset StartedAt, DateTimeOffset? EndedAt, IReadOnlyList<TurnView> Turns, SessionSummary? Summary,
    string? Reflection, Guid? AssignmentId, IReadOnlyList<PersonaGoalView>? PersonaGoals = null)
{
    public bool IsActive => Status == SessionStatuses.Active;
}

/// <summary>One of the persona's own goals and whether the trainee has met it yet.</summary>
public sealed record PersonaGoalView(string Key, string Description, bool Met);

public static class SessionStatuses
{
    public const string Active = "active";
    public const string Completed = "completed";
}

/// <param name="OverrideReason">Why the instructor changed the score (null without an override).</param>
public sealed record CriterionScoreView(string Key, string Name, int EngineScore, int? OverrideScore, int EffectiveScore,
    string? OverrideReason = null, string? OverriddenBy = null);

public sealed record TurnView(
    Guid Id, int Index, string TraineeText, string Move, string MoveName, string PersonaPrompt, string PersonaReply,
    string PersonaReplySource, PersonaStateValues StateBefore, PersonaStateValues StateAfter, string Mood,
    int Score, Judgement Judgement, IReadOnlyList<CriterionScoreView> CriterionScores, DateTimeOffset CreatedAt,
    DateTimeOffset? RetriedAt = null, string? MoodReason = null, IReadOnlyList<string>? GoalsMet = null,
    int EffectiveScore = 0, string EffectiveBand = "")
{
    /// <summary>The trainee chose "try that turn again": kept in the transcript, judged, but not counted.</summary>
    public bool Retried => RetriedAt is not null;
}

/// <summary>The last event of a turn: what was saved, and where the session stands.</summary>
public sealed record TurnResult(TurnView Turn, string SessionStatus, string? EndReason, int TurnsLeft);

/// <summary>The first event of a turn: the judgement, before the persona answers.</summary>
public sealed record TurnJudged(int TurnIndex, Judgement Judgement, string Move, string MoveName, IReadOnlyList<string> AlsoDetected,
    PersonaStateValues State, string Mood, string? MoodReason = null, IReadOnlyList<string>? GoalsMet = null);

public sealed record SessionSummary(
    int OverallScore, string Band, int Turns, string? EndReason, IReadOnlyList<SummaryCriterion> Criteria,
    WeakestTurn? WeakestTurn, string ReflectionPrompt, SuggestedScenario? SuggestedNext);

public sealed record SummaryCriterion(string Key, string Name, int Score, string Band);

public sealed record WeakestTurn(int Index, string TraineeText, string PersonaPrompt, int Score, string Suggestion, string? ExpertExample, string? ExpertRationale);

public sealed record SuggestedScenario(string Slug, string Title, string Category, string Difficulty, string Why);

public sealed record SessionListItem(Guid Id, string ScenarioSlug, string ScenarioTitle, string Category, string Status, int TurnCount,
    int? OverallScore, DateTimeOffset StartedAt, DateTimeOffset? EndedAt);

public sealed record ProgressView(
    ProgressTotals Totals, IReadOnlyList<SkillSeries> Skills, IReadOnlyList<SessionPoint> Overall,
    IReadOnlyList<CategoryCoverage> Categories, IReadOnlyList<SessionListItem> Recent, PractiseNext? PractiseNext);

public sealed record ProgressTotals(int Sessions, int Completed, int Turns, int? AverageScore);

public sealed record SkillSeries(string Key, string Name, IReadOnlyList<SessionPoint> Points, int? Latest, int? Change);

public sealed record SessionPoint(Guid SessionId, DateTimeOffset At, string ScenarioTitle, int Score);

public sealed record CategoryCoverage(string Category, int ScenariosPractised, int ScenariosTotal, int Sessions, int? AverageScore);

public sealed record PractiseNext(string SkillKey, string SkillName, int? SkillScore, SuggestedScenario? Scenario, string Why);
