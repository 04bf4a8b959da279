namespace TeacherTrainer.ApiService.Data.Entities;

/// <summary>
/// A refresh token, stored only as its SHA-256 hash. Tokens rotate: each use marks the token used
/// and issues a successor in the same family. A used token presented again means it was copied,
/// so the whole family is revoked (the thief and the owner both have to sign in again).
/// </summary>
public sealed class RefreshToken
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    /// <summary>All tokens descended from one sign-in share a family.</summary>
    public Guid FamilyId { get; set; }
    /// <summary>Lower-case hex SHA-256 of the token the client holds.</summary>
    public required string TokenHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    /// <summary>When it was exchanged for a successor.</summary>
    public DateTimeOffset? UsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    /// <summary><c>sign-out</c>, <c>reuse-detected</c>, <c>locked</c>.</summary>
    public string? RevokedReason { get; set; }
    /// <summary>Optimistic concurrency (xmin): two refreshes with one token cannot both succeed.</summary>
    public uint Version { get; set; }
}
