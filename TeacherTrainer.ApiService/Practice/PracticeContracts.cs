using System.ComponentModel.DataAnnotations;
using TeacherTrainer.ApiService.Security;
using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.ApiService.Scenarios;

namespace TeacherTrainer.ApiService.Practice;

public static class PracticeLimits
{
    public const int MaxTurnText = 1000;
    public const int MaxReflection = 8000;
}

/// <summary>POST /api/sessions: the scenario by slug or id, and the assignment it answers, if any.</summary>
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
    int TurnLimit, string Status, string? EndReason, PersonaStateValues State, string Mood, int TurnCount,
    DateTimeOffset StartedAt, DateTimeOffset? EndedAt, IReadOnlyList<TurnView> Turns, SessionSummary? Summary,
    string? Reflection, Guid? AssignmentId, IReadOnlyList<PersonaGoalView>? PersonaGoals = null, bool ReflectionShared = false);

/// <summary>One of the persona's own goals and whether the trainee has met it yet.</summary>
public sealed record PersonaGoalView(string Key, string Description, bool Met);

/// <param name="OverrideReason">Why an instructor changed the score (shown to the trainee as to the instructor); null without an override.</param>
public sealed record CriterionScoreView(string Key, string Name, int EngineScore, int? OverrideScore, int EffectiveScore,
    string? OverrideReason = null, string? OverriddenBy = null);

/// <param name="Score">The engine's overall for the turn (the judgement's).</param>
/// <param name="EffectiveScore">The turn's score with any override applied (<see cref="EffectiveScores"/>); what summaries count.</param>
/// <param name="EffectiveBand">The band of <paramref name="EffectiveScore"/>.</param>
public sealed record TurnView(
    Guid Id, int Index, string TraineeText, string Move, string MoveName, string PersonaPrompt, string PersonaReply,
    string PersonaReplySource, PersonaStateValues StateBefore, PersonaStateValues StateAfter, string Mood,
    int Score, Judgement Judgement, IReadOnlyList<CriterionScoreView> CriterionScores, DateTimeOffset CreatedAt,
    DateTimeOffset? RetriedAt = null, IReadOnlyList<string>? GoalsMet = null, string? MoodReason = null,
    int EffectiveScore = 0, string EffectiveBand = "");

/// <summary>The final event of a turn: what was saved, and where the session stands.</summary>
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
