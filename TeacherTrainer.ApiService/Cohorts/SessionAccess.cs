using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Data;
using TeacherTrainer.ApiService.Identity;

namespace TeacherTrainer.ApiService.Cohorts;

/// <summary>
/// Who may see and review a trainee's practice. Every endpoint that returns or changes a session,
/// its turns or their scores asks here (the practice and review APIs alike), so the rule lives in one place:
/// <list type="bullet">
/// <item>read: the trainee who owns it, an instructor of one of the trainee's cohorts, or an admin;</item>
/// <item>review (comment, override a score): an instructor of one of the trainee's cohorts, or an admin.</item>
/// </list>
/// A caller who may not read a session should answer 404, not 403: its existence is not theirs to know.
/// </summary>
public sealed class SessionAccess(TeacherDbContext db)
{
    /// <summary>May <paramref name="user"/> read the sessions, transcripts and scores of <paramref name="traineeId"/>?</summary>
    public async Task<bool> CanReadAsync(ClaimsPrincipal user, Guid traineeId, CancellationToken cancellationToken = default)
    {
        if (!user.TryGetUserId(out var userId)) return false;
        if (userId == traineeId || user.IsAdmin()) return true;
        return user.IsInstructor() && await TeachesAsync(userId, traineeId, cancellationToken);
    }

    /// <summary>May <paramref name="user"/> comment on and override the scores of <paramref name="traineeId"/>'s sessions?</summary>
    public async Task<bool> CanReviewAsync(ClaimsPrincipal user, Guid traineeId, CancellationToken cancellationToken = default)
    {
        if (!user.TryGetUserId(out var userId)) return false;
        if (user.IsAdmin()) return true;
        return userId != traineeId && user.IsInstructor() && await TeachesAsync(userId, traineeId, cancellationToken);
    }

    /// <summary>May <paramref name="user"/> read the session <paramref name="sessionId"/>? False when it does not exist.</summary>
    public async Task<bool> CanReadSessionAsync(ClaimsPrincipal user, Guid sessionId, CancellationToken cancellationToken = default)
    {
        var owner = await db.Sessions.Where(s => s.Id == sessionId).Select(s => (Guid?)s.UserId).SingleOrDefaultAsync(cancellationToken);
        return owner is { } traineeId && await CanReadAsync(user, traineeId, cancellationToken);
    }

    /// <summary>Is <paramref name="instructorId"/> the instructor of a cohort that <paramref name="traineeId"/> belongs to?</summary>
    public Task<bool> TeachesAsync(Guid instructorId, Guid traineeId, CancellationToken cancellationToken = default)
        => db.CohortMembers.AnyAsync(m => m.UserId == traineeId && db.Cohorts.Any(c => c.Id == m.CohortId && c.InstructorId == instructorId), cancellationToken);
}
