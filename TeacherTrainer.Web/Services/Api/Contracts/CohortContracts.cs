namespace TeacherTrainer.Web.Services.Api;

public sealed record CreateCohortRequest(string Name, string? Description);

public sealed record JoinCohortRequest(string InviteCode);

public sealed record InviteRequest(string Email);

/// <summary>A pending invitation as the cohort's instructor sees it.</summary>
public sealed record CohortInvitationView(Guid Id, string Email, DateTimeOffset InvitedAt);

public sealed record BulkInvitationRequest(string Csv);

/// <summary>What became of each row of a bulk intake, and the totals.</summary>
public sealed record BulkInvitationResult(int Invited, int AlreadyInvited, int Invalid, IReadOnlyList<BulkInvitationRow> Rows);

/// <param name="Outcome"><c>invited</c>, <c>already-invited</c> or <c>invalid</c>.</param>
public sealed record BulkInvitationRow(int Line, string Name, string Email, string Outcome, string? Reason);

/// <summary>A pending invitation as its invitee sees it.</summary>
public sealed record InvitationForMe(Guid Id, Guid CohortId, string CohortName, string CohortDescription, string InstructorName, string InvitedByName, DateTimeOffset InvitedAt);

public sealed record ShareSessionRequest(IReadOnlyList<Guid> CohortIds, bool Reflection);

public sealed record CohortVisibility(Guid CohortId, string CohortName, string InstructorName, DateTimeOffset JoinedAt,
    int AssignmentSessions, int SharedSessions, int SharedReflections);

public sealed record SessionSharing(Guid SessionId, string ScenarioTitle, string Status, DateTimeOffset StartedAt, Guid? AssignmentId,
    Guid? AssignmentCohortId, IReadOnlyList<Guid> SeenByCohorts, IReadOnlyList<Guid> SharedWith, bool HasReflection, bool ReflectionShared);

public sealed record MySharing(IReadOnlyList<CohortVisibility> Cohorts, IReadOnlyList<SessionSharing> Sessions);

public sealed record CreateAssignmentRequest(string ScenarioSlug, DateTimeOffset DueAt, string? Note);

/// <param name="InviteCode">Only for the cohort's instructor and admins.</param>
public sealed record CohortSummary(Guid Id, string Name, string Description, string InstructorName, int MemberCount, int AssignmentCount, string? InviteCode);

/// <param name="InviteCode">Only for the cohort's instructor and admins.</param>
/// <param name="Members">Only for the cohort's instructor and admins.</param>
public sealed record CohortDetails(Guid Id, string Name, string Description, Guid InstructorId, string InstructorName, DateTimeOffset CreatedAt,
    string? InviteCode, IReadOnlyList<CohortMemberView>? Members, IReadOnlyList<AssignmentView> Assignments,
    IReadOnlyList<CohortInvitationView>? Invitations = null);

public sealed record CohortMemberView(Guid UserId, string DisplayName, string Email, DateTimeOffset JoinedAt);

public sealed record JoinedCohort(Guid CohortId, string Name);

public sealed record InviteCodeResponse(string InviteCode);

/// <param name="Completed">Whether the caller has completed a session for it.</param>
public sealed record AssignmentView(Guid Id, Guid CohortId, string CohortName, string ScenarioSlug, string ScenarioTitle,
    DateTimeOffset DueAt, string Note, DateTimeOffset CreatedAt, bool Completed);

public sealed record CohortSessionView(Guid SessionId, Guid TraineeId, string TraineeName, string ScenarioSlug, Guid? AssignmentId,
    string Status, int TurnCount, int? OverallScore, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, bool CompletesAssignment = false);

/// <summary>The cohort dashboard in one call (GET /api/cohorts/{id}/dashboard): every number an effective score.</summary>
public sealed record CohortDashboardView(Guid CohortId, string Name, DateTimeOffset GeneratedAt, IReadOnlyList<DashboardTrainee> Trainees,
    IReadOnlyList<DashboardAssignment> Assignments, IReadOnlyList<ScenarioHeatmap> Scenarios, IReadOnlyList<WeekTrend> Weeks);

public sealed record DashboardTrainee(Guid TraineeId, string Name, int Sessions, int? AverageScore, IReadOnlyList<Guid> AssignmentsDone);

public sealed record DashboardAssignment(Guid Id, string ScenarioSlug, string ScenarioTitle, DateTimeOffset DueAt);

public sealed record DashboardCriterion(string Key, string Name);

public sealed record ScenarioHeatmap(string ScenarioSlug, string ScenarioTitle, IReadOnlyList<DashboardCriterion> Criteria, IReadOnlyList<HeatmapRow> Rows);

public sealed record HeatmapRow(Guid TraineeId, string TraineeName, Guid LatestSessionId, DateTimeOffset LatestAt, int Sessions, IReadOnlyList<HeatmapCell> Cells);

public sealed record HeatmapCell(string Key, int? Latest, int? Best, string? Band);

public sealed record WeekTrend(int Week, DateOnly Starts, int Sessions, IReadOnlyList<WeekCriterion> Criteria);

public sealed record WeekCriterion(string Key, string Name, int MeanScore, int Sessions);

/// <summary>Every trainee's reply at one turn of a scenario, grouped by the persona line answered (GET /api/cohorts/{id}/debrief).</summary>
public sealed record DebriefView(string? ScenarioSlug, string? ScenarioTitle, string? PersonaName, int Turn, int Turns,
    IReadOnlyList<DebriefScenario> Scenarios, IReadOnlyList<DebriefLine> Lines);

public sealed record DebriefScenario(string Slug, string Title, int Sessions);

public sealed record DebriefLine(string PersonaLine, IReadOnlyList<DebriefReply> Replies);

public sealed record DebriefReply(Guid SessionId, Guid TraineeId, string TraineeName, string Reply, int Score, int EngineScore, string Band,
    IReadOnlyList<DebriefCriterion> Criteria, string Suggestion);

public sealed record DebriefCriterion(string Key, string Name, int Score, int EngineScore, string? Evidence);

/// <summary>A downloaded file: its name and text.</summary>
public sealed record DownloadedFile(string FileName, string Text, string MediaType);
