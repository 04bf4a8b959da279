using Pgvector;

namespace TeacherTrainer.ApiService.Data.Entities;

/// <summary>An institution's own rated data: contexts with expert and novice replies.</summary>
public sealed class ExemplarCollection
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public int ItemCount { get; set; }
    public Guid? OwnerId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// A collection shared with a cohort: the cohort's members and instructor may judge replies against
/// it and read its rated texts. Its owner shares it with one of their own cohorts (admins with any).
/// </summary>
public sealed class CollectionShare
{
    public Guid CollectionId { get; set; }
    public Guid CohortId { get; set; }
    public DateTimeOffset SharedAt { get; set; }
    public Guid SharedById { get; set; }
}

public sealed class CollectionItem
{
    public Guid Id { get; set; }
    public Guid CollectionId { get; set; }
    public int Ordinal { get; set; }
    public required List<ContextTurn> Context { get; set; }
    public required string Response { get; set; }
    /// <summary><c>expert</c> or <c>novice</c>.</summary>
    public required string Quality { get; set; }
    /// <summary>Embedding of the context's last two turns (what "a similar moment" means).</summary>
    public required Vector ContextEmbedding { get; set; }
    public required Vector ResponseEmbedding { get; set; }
}

/// <summary>One turn of a conversation: <c>student</c>, <c>parent</c>, <c>teacher</c> or <c>colleague</c>.</summary>
public sealed record ContextTurn(string Speaker, string Text);
