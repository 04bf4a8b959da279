using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace TeacherTrainer.Contracts;

public static class PracticeLimits
{
    public const int MaxTurnText = 1000;
    public const int MaxReflection = 8000;
}

/// <summary>POST /api/sessions: the scenario by slug or id, and the assignment it answers, if any.</summary>
/// <summary>Where a session stands; the API stores it by member name, and writes it on the wire in lower case.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SessionStatus>))]
public enum SessionStatus
{
    [JsonStringEnumMemberName("active")] Active,
    [JsonStringEnumMemberName("completed")] Completed,
}

public sealed record StartSessionRequest(
    [property: Required, StringLength(80, MinimumLength = 1), SafeText] string Scenario,
    Guid? AssignmentId = null);

/// <summary>POST /api/sessions/{id}/turns: what the trainee says.</summary>
public sealed record TurnRequest([property: Required, StringLength(PracticeLimits.MaxTurnText, MinimumLength = 1), SafeText] string Text);

public sealed record ReflectionRequest([property: Required, StringLength(PracticeLimits.MaxReflection, MinimumLength = 1), SafeText] string Text);

public sealed record SessionScenario(Guid Id, string Slug, string Title, string Category, string GradeBand, string Difficulty, int Version);

public sealed record SessionPersona(string Name, int Age, string Role, string Speaker);

public sealed record SessionView(
    Guid Id, Guid UserId, SessionScenario Scenario, SessionPersona Persona, string OpeningLine, IReadOnlyList<string> Goals,
    int TurnLimit, SessionStatus Status, string? EndReason, PersonaStateValues State, string Mood, int TurnCount,
    DateTimeOffset StartedAt, DateTimeOffset? EndedAt, IReadOnlyList<TurnView> Turns, SessionSummary? Summary,
    string? Reflection, Guid? AssignmentId, IReadOnlyList<PersonaGoalView>? PersonaGoals = null, bool ReflectionShared = false)
{
    [JsonIgnore]
    public bool IsActive => Status == SessionStatus.Active;
}

/// <summary>One of the persona's own goals and whether the trainee has met it yet.</summary>
public sealed record PersonaGoalView(string Key, string Description, bool Met);

/// <param name="OverrideReason">Why an instructor changed the score (shown to the trainee as to the instructor); null without an override.</param>
public sealed record CriterionScoreView(string Key, string Name, int EngineScore, int? OverrideScore, int EffectiveScore,
    string? OverrideReason = null, string? OverriddenBy = null);

/// <param name="Score">The engine's overall for the turn (the judgement's).</param>
/// <param name="EffectiveScore">The turn's score with any override applied (the API's <c>EffectiveScores</c>); what summaries count.</param>
/// <param name="EffectiveBand">The band of <paramref name="EffectiveScore"/>.</param>
public sealed record TurnView(
    Guid Id, int Index, string TraineeText, string Move, string MoveName, string PersonaPrompt, string PersonaReply,
    string PersonaReplySource, PersonaStateValues StateBefore, PersonaStateValues StateAfter, string Mood,
    int Score, Judgement Judgement, IReadOnlyList<CriterionScoreView> CriterionScores, DateTimeOffset CreatedAt,
    DateTimeOffset? RetriedAt = null, IReadOnlyList<string>? GoalsMet = null, string? MoodReason = null,
    int EffectiveScore = 0, Band EffectiveBand = Band.Poor)
{
    /// <summary>The trainee chose "try that turn again": kept in the transcript, judged, but not counted.</summary>
    [JsonIgnore]
    public bool Retried => RetriedAt is not null;
}

/// <summary>The final event of a turn: what was saved, and where the session stands.</summary>
public sealed record TurnResult(TurnView Turn, SessionStatus SessionStatus, string? EndReason, int TurnsLeft);

/// <summary>The first event of a turn: the judgement, before the persona answers.</summary>
public sealed record TurnJudged(int TurnIndex, Judgement Judgement, string Move, string MoveName, IReadOnlyList<string> AlsoDetected,
    PersonaStateValues State, string Mood, string? MoodReason = null, IReadOnlyList<string>? GoalsMet = null);

public sealed record SessionSummary(
    int OverallScore, Band Band, int Turns, string? EndReason, IReadOnlyList<SummaryCriterion> Criteria,
    WeakestTurn? WeakestTurn, string ReflectionPrompt, SuggestedScenario? SuggestedNext);

public sealed record SummaryCriterion(string Key, string Name, int Score, Band Band);

public sealed record WeakestTurn(int Index, string TraineeText, string PersonaPrompt, int Score, string Suggestion, string? ExpertExample, string? ExpertRationale);

public sealed record SuggestedScenario(string Slug, string Title, string Category, string Difficulty, string Why);

public sealed record SessionListItem(Guid Id, string ScenarioSlug, string ScenarioTitle, string Category, SessionStatus Status, int TurnCount,
    int? OverallScore, DateTimeOffset StartedAt, DateTimeOffset? EndedAt);

public sealed record ProgressView(
    ProgressTotals Totals,
    IReadOnlyList<SkillSeries> Skills,
    IReadOnlyList<SessionPoint> Overall,
    IReadOnlyList<CategoryCoverage> Categories,
    IReadOnlyList<SessionListItem> Recent,
    PractiseNext? PractiseNext);

public sealed record ProgressTotals(int Sessions, int Completed, int Turns, int? AverageScore);

/// <summary>One skill's score in each completed session that exercised it, oldest first.</summary>
public sealed record SkillSeries(string Key, string Name, IReadOnlyList<SessionPoint> Points, int? Latest, int? Change);

public sealed record SessionPoint(Guid SessionId, DateTimeOffset At, string ScenarioTitle, int Score);

public sealed record CategoryCoverage(string Category, int ScenariosPractised, int ScenariosTotal, int Sessions, int? AverageScore);

public sealed record PractiseNext(string SkillKey, string SkillName, int? SkillScore, SuggestedScenario? Scenario, string Why);
