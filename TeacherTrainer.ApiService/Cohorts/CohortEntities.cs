namespace TeacherTrainer.ApiService.Cohorts;

/// <summary>A group of trainees taught by one instructor, joined with an invitation code.</summary>
public sealed class Cohort
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    /// <summary>What a trainee types to join; unique, unambiguous characters, can be rotated.</summary>
    public required string InviteCode { get; set; }
    public Guid InstructorId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<CohortMember> Members { get; set; } = [];
    public List<Assignment> Assignments { get; set; } = [];
}

public sealed class CohortMember
{
    public Guid CohortId { get; set; }
    public Guid UserId { get; set; }
    public DateTimeOffset JoinedAt { get; set; }
    /// <summary>The instructor or admin who added the trainee; null when they joined by code.</summary>
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
