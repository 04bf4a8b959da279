using System.ComponentModel.DataAnnotations;

namespace TeacherTrainer.Contracts;

/// <summary>The cohort dashboard, in one call.</summary>
public sealed record CohortDashboard(Guid CohortId, string Name, DateTimeOffset GeneratedAt, IReadOnlyList<DashboardTrainee> Trainees,
    IReadOnlyList<DashboardAssignment> Assignments, IReadOnlyList<ScenarioHeatmap> Scenarios, IReadOnlyList<WeekTrend> Weeks);

/// <param name="Sessions">Completed sessions the cohort may see.</param>
/// <param name="AverageScore">Mean effective overall of those sessions.</param>
/// <param name="AssignmentsDone">Assignments completed (a session that ran its course).</param>
public sealed record DashboardTrainee(Guid TraineeId, string Name, int Sessions, int? AverageScore, IReadOnlyList<Guid> AssignmentsDone);

public sealed record DashboardAssignment(Guid Id, string ScenarioSlug, string ScenarioTitle, DateTimeOffset DueAt);

public sealed record DashboardCriterion(string Key, string Name);

/// <summary>A scenario's heat map: a row per trainee who practised it, a cell per criterion.</summary>
public sealed record ScenarioHeatmap(string ScenarioSlug, string ScenarioTitle, IReadOnlyList<DashboardCriterion> Criteria, IReadOnlyList<HeatmapRow> Rows);

/// <param name="Cells">In the order of the heat map's criteria.</param>
public sealed record HeatmapRow(Guid TraineeId, string TraineeName, Guid LatestSessionId, DateTimeOffset LatestAt, int Sessions, IReadOnlyList<HeatmapCell> Cells);

/// <param name="Latest">The criterion's effective score in the trainee's latest session of the scenario.</param>
/// <param name="Best">The best of their sessions.</param>
/// <param name="Band">The band of <paramref name="Latest"/>.</param>
public sealed record HeatmapCell(string Key, int? Latest, int? Best, string? Band);

/// <param name="Week">1 for the week the cohort began.</param>
public sealed record WeekTrend(int Week, DateOnly Starts, int Sessions, IReadOnlyList<WeekCriterion> Criteria);

/// <param name="Sessions">How many sessions that week exercised the criterion.</param>
public sealed record WeekCriterion(string Key, string Name, int MeanScore, int Sessions);

/// <param name="Turns">The longest of the chosen sessions, in counted turns (the turns one may choose).</param>
public sealed record DebriefView(string? ScenarioSlug, string? ScenarioTitle, string? PersonaName, int Turn, int Turns,
    IReadOnlyList<DebriefScenario> Scenarios, IReadOnlyList<DebriefLine> Lines);

public sealed record DebriefScenario(string Slug, string Title, int Sessions);

/// <summary>One persona line and every reply to it, side by side.</summary>
public sealed record DebriefLine(string PersonaLine, IReadOnlyList<DebriefReply> Replies);

/// <param name="Score">The turn's effective score.</param>
public sealed record DebriefReply(Guid SessionId, Guid TraineeId, string TraineeName, string Reply, int Score, int EngineScore, string Band,
    IReadOnlyList<DebriefCriterion> Criteria, string Suggestion);

public sealed record DebriefCriterion(string Key, string Name, int Score, int EngineScore, string? Evidence);

/// <summary>The query string of <c>GET /api/cohorts/{id}/debrief</c> (init properties: see <see cref="UserQuery"/>).</summary>
public sealed record DebriefQuery
{
    /// <summary>The scenario's slug; by default the one the cohort practised most.</summary>
    [StringLength(80), SafeText] public string? Scenario { get; init; }

    /// <summary>The turn, from 1 (the reply to the opening line); by default 1.</summary>
    [Range(1, 100)] public int? Turn { get; init; }
}
