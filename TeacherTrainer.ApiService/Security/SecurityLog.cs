namespace TeacherTrainer.ApiService.Security;

/// <summary>
/// The security log: one structured event per thing an auditor asks about (who failed to sign in
/// from where, who was refused, who changed whose role, who overrode, published, archived or
/// deleted what). Every event goes to the category <c>TeacherTrainer.Security</c> with a stable
/// event id and named properties (<c>ActorId</c>, <c>TargetId</c>, <c>SourceAddress</c> ...), so the
/// Aspire dashboard's structured logs can filter on them. Never log a password, token or text a
/// trainee wrote.
/// </summary>
public sealed partial class SecurityLog(ILoggerFactory loggers)
{
    public const string Category = "TeacherTrainer.Security";

    private readonly ILogger _logger = loggers.CreateLogger(Category);

    [LoggerMessage(EventId = 4001, EventName = "SignInFailed", Level = LogLevel.Warning,
        Message = "Sign-in failed for account {TargetId} from {SourceAddress}: {Reason}")]
    public partial void SignInFailed(string? targetId, string? sourceAddress, string reason);

    [LoggerMessage(EventId = 4002, EventName = "SignInThrottled", Level = LogLevel.Warning,
        Message = "Sign-in throttled for account {TargetId} from {SourceAddress}: {Reason}")]
    public partial void SignInThrottled(string? targetId, string? sourceAddress, string reason);

    [LoggerMessage(EventId = 4003, EventName = "AccountLocked", Level = LogLevel.Warning,
        Message = "Account {TargetId} locked by {ActorId} until {Until}: {Reason}")]
    public partial void AccountLocked(string actorId, string targetId, DateTimeOffset? until, string reason);

    [LoggerMessage(EventId = 4004, EventName = "AccountUnlocked", Level = LogLevel.Information,
        Message = "Account {TargetId} unlocked by {ActorId}")]
    public partial void AccountUnlocked(string actorId, string targetId);

    [LoggerMessage(EventId = 4010, EventName = "Unauthenticated", Level = LogLevel.Information,
        Message = "401 {Method} {Path} from {SourceAddress}")]
    public partial void Unauthenticated(string method, string path, string? sourceAddress);

    [LoggerMessage(EventId = 4011, EventName = "Forbidden", Level = LogLevel.Warning,
        Message = "403 {Method} {Path} for {ActorId} from {SourceAddress}")]
    public partial void Forbidden(string method, string path, string? actorId, string? sourceAddress);

    [LoggerMessage(EventId = 4012, EventName = "RateLimited", Level = LogLevel.Warning,
        Message = "429 {Method} {Path} for {ActorId} from {SourceAddress}")]
    public partial void RateLimited(string method, string path, string? actorId, string? sourceAddress);

    [LoggerMessage(EventId = 4020, EventName = "RoleChanged", Level = LogLevel.Warning,
        Message = "Role of {TargetId} changed from {FromRole} to {ToRole} by {ActorId}: {Reason}")]
    public partial void RoleChanged(string actorId, string targetId, string fromRole, string toRole, string? reason);

    [LoggerMessage(EventId = 4021, EventName = "PasswordChanged", Level = LogLevel.Information,
        Message = "Password of {TargetId} changed by {ActorId} ({How})")]
    public partial void PasswordChanged(string actorId, string targetId, string how);

    [LoggerMessage(EventId = 4022, EventName = "PasswordResetIssued", Level = LogLevel.Warning,
        Message = "Password reset link for {TargetId} issued by {ActorId}, expires {Expires}")]
    public partial void PasswordResetIssued(string actorId, string targetId, DateTimeOffset expires);

    [LoggerMessage(EventId = 4023, EventName = "TwoFactorChanged", Level = LogLevel.Warning,
        Message = "Two-factor sign-in for {TargetId} {Change} by {ActorId}")]
    public partial void TwoFactorChanged(string actorId, string targetId, string change);

    [LoggerMessage(EventId = 4024, EventName = "RefreshReplayed", Level = LogLevel.Warning,
        Message = "A used refresh token of {TargetId} was replayed from {SourceAddress}; its sign-in was revoked")]
    public partial void RefreshReplayed(string targetId, string? sourceAddress);

    [LoggerMessage(EventId = 4030, EventName = "ScoreOverridden", Level = LogLevel.Information,
        Message = "Score of session {SessionId} turn {TurnNumber} criterion {Criterion} overridden by {ActorId} for trainee {TargetId}")]
    public partial void ScoreOverridden(string actorId, string targetId, Guid sessionId, int turnNumber, string criterion);

    [LoggerMessage(EventId = 4031, EventName = "ScenarioPublished", Level = LogLevel.Information,
        Message = "Scenario {ScenarioId} version {Version} published by {ActorId} to {Audience}")]
    public partial void ScenarioPublished(string actorId, string scenarioId, int version, string audience);

    [LoggerMessage(EventId = 4032, EventName = "ScenarioArchived", Level = LogLevel.Information,
        Message = "Scenario {ScenarioId} archived by {ActorId}")]
    public partial void ScenarioArchived(string actorId, string scenarioId);

    [LoggerMessage(EventId = 4033, EventName = "Deleted", Level = LogLevel.Warning,
        Message = "{Kind} {TargetId} deleted by {ActorId}")]
    public partial void Deleted(string actorId, string kind, string targetId);

    [LoggerMessage(EventId = 4040, EventName = "CohortMembershipChanged", Level = LogLevel.Information,
        Message = "{TargetId} {Change} cohort {CohortId} (by {ActorId})")]
    public partial void CohortMembershipChanged(string actorId, string targetId, Guid cohortId, string change);

    [LoggerMessage(EventId = 4041, EventName = "SharingChanged", Level = LogLevel.Information,
        Message = "{ActorId} {Change} {Kind} {ObjectId} with {Audience}")]
    public partial void SharingChanged(string actorId, string change, string kind, string objectId, string audience);

    // 4100-4149: consent and scope (invitations, sharing).

    [LoggerMessage(EventId = 4100, EventName = "CohortInvitationChanged", Level = LogLevel.Information,
        Message = "Invitation {InvitationId} to cohort {CohortId} {Change} by {ActorId}")]
    public partial void CohortInvitationChanged(string actorId, Guid invitationId, Guid cohortId, string change);

    // Scenario and collection ownership (4150-4199).

    [LoggerMessage(EventId = 4150, EventName = "ScenarioCopied", Level = LogLevel.Information,
        Message = "Scenario {SourceId} copied by {ActorId} into their draft {ScenarioId}")]
    public partial void ScenarioCopied(string actorId, string sourceId, string scenarioId);

    [LoggerMessage(EventId = 4151, EventName = "ScenarioCoAuthorsChanged", Level = LogLevel.Information,
        Message = "A co-author of scenario {ScenarioId} {Change} by {ActorId}")]
    public partial void ScenarioCoAuthorsChanged(string actorId, string scenarioId, string change);

    // Educator tools (4200-4249).

    [LoggerMessage(EventId = 4200, EventName = "BulkInvitationsSent", Level = LogLevel.Information,
        Message = "Bulk intake to cohort {CohortId} by {ActorId}: {Invited} invited, {AlreadyInvited} already invited, {Invalid} invalid")]
    public partial void BulkInvitationsSent(string actorId, Guid cohortId, int invited, int alreadyInvited, int invalid);

    [LoggerMessage(EventId = 4201, EventName = "CollectionAttached", Level = LogLevel.Information,
        Message = "Collection {Collection} {Change} {Target} by {ActorId}")]
    public partial void CollectionAttached(string actorId, string collection, string change, string target);
}
