namespace TeacherTrainer.ApiService.Data.Entities;

/// <summary>A setting an administrator changes at run time (kept in the database, so every replica reads the same).</summary>
public sealed class AppSetting
{
    public required string Key { get; set; }
    public required string Value { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public Guid? UpdatedBy { get; set; }
}

/// <summary>One throttle counter, keyed by a hash (emails and addresses are not stored as such).</summary>
public sealed class SignInThrottleEntry
{
    /// <summary><c>p:</c> or <c>a:</c> and a SHA-256 hex digest.</summary>
    public required string Key { get; set; }
    public DateTimeOffset WindowStartedAt { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset LastAttemptAt { get; set; }
}
