using Pgvector;

namespace TeacherTrainer.ApiService.Scenarios;

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
    public bool IsArchived { get; set; }
    public Guid CurrentVersionId { get; set; }
    public int CurrentVersionNumber { get; set; }
    /// <summary>Embedding of title, summary, setting and persona, for "find me a scenario about...".</summary>
    public Vector? SearchEmbedding { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public Guid? UpdatedById { get; set; }
    public List<ScenarioVersion> Versions { get; set; } = [];
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
