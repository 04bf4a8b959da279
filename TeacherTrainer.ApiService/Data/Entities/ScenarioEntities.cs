using TeacherTrainer.ApiService.Scenarios;
using Pgvector;

namespace TeacherTrainer.ApiService.Data.Entities;

/// <summary>A scenario in the library; its content lives in versions.</summary>
public sealed class Scenario
{
    public Guid Id { get; set; }
    public required string Slug { get; set; }
    public required string Title { get; set; }
    public required string Category { get; set; }
    public required string GradeBand { get; set; }
    public required string Difficulty { get; set; }
    public required string Summary { get; set; }
    /// <summary>Where it came from: <c>library</c> (the repository's content files) or <c>authored</c>.</summary>
    public required string Source { get; set; }
    /// <summary>
    /// The instructor or admin who authored (or copied) it; null for the built-in library, which
    /// only admins change. Only the owner, their co-authors and admins edit, publish or archive it.
    /// </summary>
    public Guid? OwnerId { get; set; }
    /// <summary>When it was first published; null while it is a draft, which nobody but its authors and admins can see.</summary>
    public DateTimeOffset? PublishedAt { get; set; }
    /// <summary>
    /// Published only to the cohorts in <see cref="Audiences"/> (their trainees and instructors see it), not to
    /// the library for everyone. False for the built-in library and for what an admin publishes to the library.
    /// </summary>
    public bool CohortsOnly { get; set; }
    /// <summary>
    /// The exemplar collection its owner attached: practice of this scenario is judged against it
    /// (the judgement names it). Null: judged against the scenario's own rubric and exemplars.
    /// </summary>
    public Guid? JudgingCollectionId { get; set; }
    public bool IsArchived { get; set; }
    public DateTimeOffset? ArchivedAt { get; set; }
    public Guid? ArchivedById { get; set; }
    public Guid CurrentVersionId { get; set; }
    public int CurrentVersionNumber { get; set; }
    /// <summary>Embedding of title, summary, setting and persona, for "find me a scenario about...".</summary>
    public Vector? SearchEmbedding { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public Guid? UpdatedById { get; set; }
    public List<ScenarioVersion> Versions { get; set; } = [];
    public List<ScenarioCoAuthor> CoAuthors { get; set; } = [];
    public List<ScenarioAudience> Audiences { get; set; } = [];
}

/// <summary>A cohort a scenario is published to (while <see cref="Scenario.CohortsOnly"/>): its members and instructor see it.</summary>
public sealed class ScenarioAudience
{
    public Guid ScenarioId { get; set; }
    public Guid CohortId { get; set; }
    public Cohort? Cohort { get; set; }
    public DateTimeOffset AddedAt { get; set; }
    public Guid AddedById { get; set; }
}

/// <summary>
/// Someone the owner named to edit their scenario with them, kept by email as the owner typed it
/// (normalised), so the answer to naming one never tells whether that email has an account. It
/// grants editing only to a signed-in instructor or admin with that email.
/// </summary>
public sealed class ScenarioCoAuthor
{
    public Guid ScenarioId { get; set; }
    /// <summary>Upper-cased as ASP.NET Identity normalises emails.</summary>
    public required string NormalizedEmail { get; set; }
    /// <summary>As the owner typed it, for display.</summary>
    public required string Email { get; set; }
    public DateTimeOffset AddedAt { get; set; }
    public Guid AddedById { get; set; }
}

/// <summary>Who published or archived which version of a scenario, and when. Rows are only ever added.</summary>
public sealed class ScenarioAuditEntry
{
    public Guid Id { get; set; }
    public Guid ScenarioId { get; set; }
    public int VersionNumber { get; set; }
    /// <summary><c>published</c>, <c>archived</c>, <c>copied</c> (a new draft made from another scenario).</summary>
    public required string Action { get; set; }
    public Guid? ActorId { get; set; }
    public DateTimeOffset At { get; set; }
}

/// <summary>
/// One immutable version of a scenario's content. Editing makes a new version; sessions keep a
/// reference to the version they were held with, so their results never change.
/// </summary>
public sealed class ScenarioVersion
{
    public Guid Id { get; set; }
    public Guid ScenarioId { get; set; }
    public Scenario? Scenario { get; set; }
    public int Number { get; set; }
    /// <summary>SHA-256 of the canonical content: the seeder makes a new version only when it changes.</summary>
    public required string ContentHash { get; set; }
    public required ScenarioDocument Content { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public Guid? CreatedById { get; set; }
    public List<ScenarioExemplarVector> Exemplars { get; set; } = [];
}

/// <summary>A rated exemplar of a scenario version with its embedding, for nearest-neighbour judgement.</summary>
public sealed class ScenarioExemplarVector
{
    public Guid Id { get; set; }
    public Guid ScenarioVersionId { get; set; }
    public int Ordinal { get; set; }
    public required string Text { get; set; }
    public int Rating { get; set; }
    public required string Rationale { get; set; }
    public string? After { get; set; }
    public required Vector Embedding { get; set; }
}
