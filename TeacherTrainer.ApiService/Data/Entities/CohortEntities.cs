namespace TeacherTrainer.ApiService.Data.Entities;

/// <summary>A group of trainees taught by one instructor, joined with an invitation code or by accepting an invitation.</summary>
public sealed class Cohort
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    /// <summary>What a trainee types to join; unique, unambiguous characters, can be rotated.</summary>
    public required string InviteCode { get; set; }
    public Guid InstructorId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>
    /// The exemplar collection attached to the cohort: its trainees' practice is judged against it
    /// (unless the scenario has its own), and the judgement names it. Null: none.
    /// </summary>
    public Guid? JudgingCollectionId { get; set; }
    public List<CohortMember> Members { get; set; } = [];
    public List<Assignment> Assignments { get; set; } = [];
}

public sealed class CohortMember
{
    public Guid CohortId { get; set; }
    public Guid UserId { get; set; }
    public DateTimeOffset JoinedAt { get; set; }
    /// <summary>The instructor or admin whose invitation the trainee accepted; null when they joined by code.</summary>
    public Guid? AddedById { get; set; }
}

/// <summary>A scenario set for a cohort, with a due date.</summary>
public sealed class Assignment
{
    public Guid Id { get; set; }
    public Guid CohortId { get; set; }
    public Guid ScenarioId { get; set; }
    public DateTimeOffset DueAt { get; set; }
    public string Note { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public Guid CreatedById { get; set; }
}

/// <summary>
/// An instructor's invitation to join a cohort, addressed to an email. It makes nobody a member: the
/// person with that email sees it and accepts or declines. It is kept by email, not by account, so
/// inviting tells the instructor nothing about whether an account with that email exists.
/// Accepted, declined and withdrawn invitations are deleted (the security log keeps the history).
/// </summary>
public sealed class CohortInvitation
{
    public Guid Id { get; set; }
    public Guid CohortId { get; set; }
    /// <summary>As the instructor typed it (shown back to them).</summary>
    public required string Email { get; set; }
    /// <summary>Upper case, for matching the invitee's account email.</summary>
    public required string NormalizedEmail { get; set; }
    public Guid InvitedById { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// A trainee's choice to show one session to the instructor of one of their cohorts, beyond what that
/// cohort sees anyway (sessions practised for its assignments since joining). Removed when the trainee
/// unshares it or leaves the cohort.
/// </summary>
public sealed class SessionShare
{
    public Guid SessionId { get; set; }
    public Guid CohortId { get; set; }
    public DateTimeOffset SharedAt { get; set; }
}
