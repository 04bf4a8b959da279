namespace TeacherTrainer.ApiService.Data.Entities;

/// <summary>An instructor's comment on one turn of a trainee's session.</summary>
public sealed class TurnComment
{
    public Guid Id { get; set; }
    public Guid SessionId { get; set; }
    public Guid TurnId { get; set; }
    public Guid AuthorId { get; set; }
    public required string Text { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// One change to a criterion score's override: who, what (engine score, the override before and
/// after), why and when. Rows are only ever added.
/// </summary>
public sealed class ScoreOverrideAudit
{
    public Guid Id { get; set; }
    public Guid SessionId { get; set; }
    public Guid TurnId { get; set; }
    public required string CriterionKey { get; set; }
    public int EngineScore { get; set; }
    public int? PreviousScore { get; set; }
    /// <summary>The new override; null when the override was removed.</summary>
    public int? NewScore { get; set; }
    public required string Reason { get; set; }
    public Guid ChangedById { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
}
