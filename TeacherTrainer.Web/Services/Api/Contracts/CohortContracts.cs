namespace TeacherTrainer.Web.Services.Api;

public sealed record CreateCohortRequest(string Name, string? Description);

public sealed record JoinCohortRequest(string InviteCode);

public sealed record AddMemberRequest(string Email);

public sealed record CreateAssignmentRequest(string ScenarioSlug, DateTimeOffset DueAt, string? Note);

/// <param name="InviteCode">Only for the cohort's instructor and admins.</param>
public sealed record CohortSummary(Guid Id, string Name, string Description, string InstructorName, int MemberCount, int AssignmentCount, string? InviteCode);

/// <param name="InviteCode">Only for the cohort's instructor and admins.</param>
/// <param name="Members">Only for the cohort's instructor and admins.</param>
public sealed record CohortDetails(Guid Id, string Name, string Description, Guid InstructorId, string InstructorName, DateTimeOffset CreatedAt,
    string? InviteCode, IReadOnlyList<CohortMemberView>? Members, IReadOnlyList<AssignmentView> Assignments);

public sealed record CohortMemberView(Guid UserId, string DisplayName, string Email, DateTimeOffset JoinedAt);

public sealed record JoinedCohort(Guid CohortId, string Name);

public sealed record InviteCodeResponse(string InviteCode);

/// <param name="Completed">Whether the caller has completed a session for it.</param>
public sealed record AssignmentView(Guid Id, Guid CohortId, string CohortName, string ScenarioSlug, string ScenarioTitle,
    DateTimeOffset DueAt, string Note, DateTimeOffset CreatedAt, bool Completed);

public sealed record CohortSessionView(Guid SessionId, Guid TraineeId, string TraineeName, string ScenarioSlug, Guid? AssignmentId,
    string Status, int TurnCount, int? OverallScore, DateTimeOffset StartedAt, DateTimeOffset? EndedAt);
