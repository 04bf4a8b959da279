using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace TeacherTrainer.Contracts;

public sealed record CreateCohortRequest(
    [property: Required, StringLength(100, MinimumLength = 1), SafeText] string Name,
    [property: StringLength(1000), SafeText] string? Description = null);

public sealed record JoinCohortRequest([property: Required, StringLength(32, MinimumLength = 4), SafeText] string InviteCode);

public sealed record InviteRequest([property: Required, EmailAddress, StringLength(254), SafeText] string Email);

/// <summary>A pending invitation as its cohort's instructor sees it: the email they typed, nothing about any account.</summary>
public sealed record CohortInvitationView(Guid Id, string Email, DateTimeOffset InvitedAt);

public sealed record CreateAssignmentRequest(
    [property: Required, StringLength(80, MinimumLength = 1), SafeText] string ScenarioSlug,
    DateTimeOffset DueAt,
    [property: StringLength(1000), SafeText] string? Note = null);

/// <param name="InviteCode">Only for the cohort's instructor and admins.</param>
public sealed record CohortSummary(Guid Id, string Name, string Description, string InstructorName, int MemberCount, int AssignmentCount, string? InviteCode);

/// <param name="InviteCode">Only for the cohort's instructor and admins.</param>
/// <param name="Members">Only for the cohort's instructor and admins.</param>
/// <param name="Invitations">Pending invitations; only for the cohort's instructor and admins.</param>
public sealed record CohortDetails(Guid Id, string Name, string Description, Guid InstructorId, string InstructorName, DateTimeOffset CreatedAt,
    string? InviteCode, IReadOnlyList<CohortMemberView>? Members, IReadOnlyList<AssignmentView> Assignments,
    IReadOnlyList<CohortInvitationView>? Invitations = null);

public sealed record CohortMemberView(Guid UserId, string DisplayName, string Email, DateTimeOffset JoinedAt);

public sealed record JoinedCohort(Guid CohortId, string Name);

public sealed record InviteCodeResponse(string InviteCode);

/// <param name="Completed">Whether the caller has completed a session for it.</param>
public sealed record AssignmentView(Guid Id, Guid CohortId, string CohortName, string ScenarioSlug, string ScenarioTitle,
    DateTimeOffset DueAt, string Note, DateTimeOffset CreatedAt, bool Completed);

/// <param name="CompletesAssignment">Whether this session completes its assignment (it ran its course: goals met or turn limit reached).</param>
public sealed record CohortSessionView(Guid SessionId, Guid TraineeId, string TraineeName, string ScenarioSlug, Guid? AssignmentId,
    string Status, int TurnCount, int? OverallScore, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, bool CompletesAssignment);

/// <summary>A pending invitation as its invitee sees it: which cohort, whose, who invited them.</summary>
public sealed record InvitationForMe(Guid Id, Guid CohortId, string CohortName, string CohortDescription, string InstructorName, string InvitedByName, DateTimeOffset InvitedAt);

/// <param name="Csv">The file's text: a header line naming an <c>email</c> column (and optionally <c>name</c>), then one row per person.</param>
public sealed record BulkInvitationRequest([property: Required, StringLength(120_000, MinimumLength = 1)] string Csv);

/// <summary>What became of each row, and the totals.</summary>
public sealed record BulkInvitationResult(int Invited, int AlreadyInvited, int Invalid, IReadOnlyList<BulkInvitationRow> Rows);

/// <param name="Line">The line of the file (the header is line 1).</param>
/// <param name="Outcome">What became of the row.</param>
/// <param name="Reason">Why the row was not invited; null for <c>invited</c>.</param>
public sealed record BulkInvitationRow(int Line, string Name, string Email, BulkInvitationOutcome Outcome, string? Reason);

/// <summary>What became of one row of a bulk intake.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BulkInvitationOutcome>))]
public enum BulkInvitationOutcome
{
    /// <summary>A pending invitation was made.</summary>
    [JsonStringEnumMemberName("invited")] Invited,

    /// <summary>An invitation to this cohort was already waiting for an answer.</summary>
    [JsonStringEnumMemberName("already-invited")] AlreadyInvited,

    /// <summary>Not invited; the row's reason says why.</summary>
    [JsonStringEnumMemberName("invalid")] Invalid,
}

/// <summary>The query string of <c>GET /api/cohorts/{id}/sessions</c> (init properties: see <see cref="UserQuery"/>).</summary>
public sealed record CohortSessionsQuery
{
    /// <summary>At most this many sessions, newest first (default 100).</summary>
    [Range(1, 500)] public int? Limit { get; init; }
}
