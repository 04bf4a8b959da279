using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Data;

namespace TeacherTrainer.ApiService.Practice;

/// <summary>How the caller comes to see a session; <see cref="None"/> when they may not.</summary>
public enum SessionViewer { None, Owner, Instructor, Admin }

/// <summary>
/// Who may see and review a trainee's practice: the one rule, asked by every endpoint that returns or
/// changes a session, its turns, scores or reflection (practice, review and cohort APIs alike).
/// <list type="bullet">
/// <item>The trainee who owns a session sees all of it.</item>
/// <item>The instructor of a cohort the trainee belongs to <em>now</em> sees a session when it was
/// practised for one of that cohort's assignments after the trainee joined, or when the trainee shared
/// it with that cohort. Nothing else: not sessions from before joining, not other practice, and nothing
/// once the trainee has left. Being an instructor is checked at request time (the role claim, which the
/// security stamp check keeps current): a demoted instructor sees none of it.</item>
/// <item>An admin may open any session (support, moderation).</item>
/// <item>The reflection is the trainee's own unless they share it; then whoever may see the session sees it.</item>
/// <item>Review (comment, override a score): an instructor who may see the session, or an admin; never the owner.</item>
/// </list>
/// A caller who may not read a session is answered 404, not 403: its existence is not theirs to know.
/// </summary>
public sealed class SessionAccess(TeacherDbContext db)
{
    /// <summary>
    /// Sessions the instructors of <paramref name="cohortIds"/> see through those cohorts: of a current
    /// member, and either for the cohort's assignment (begun since joining) or shared with the cohort.
    /// </summary>
    public IQueryable<PracticeSession> VisibleInCohorts(IQueryable<Guid> cohortIds)
        => db.Sessions.Where(s => db.CohortMembers.Any(m => m.UserId == s.UserId && cohortIds.Contains(m.CohortId)
            && ((s.AssignmentId != null && s.StartedAt >= m.JoinedAt && db.Assignments.Any(a => a.Id == s.AssignmentId && a.CohortId == m.CohortId))
                || db.SessionShares.Any(x => x.SessionId == s.Id && x.CohortId == m.CohortId))));

    /// <summary>The cohorts <paramref name="user"/> teaches, as an instructor now; none for anyone else.</summary>
    public IQueryable<Guid> CohortsTaughtBy(ClaimsPrincipal user)
    {
        var me = user.TryGetUserId(out var id) && user.IsInstructor() ? id : Guid.Empty;
        return db.Cohorts.Where(c => c.InstructorId == me && me != Guid.Empty).Select(c => c.Id);
    }

    /// <summary>How <paramref name="user"/> may see session <paramref name="sessionId"/>; None when not at all or when it does not exist.</summary>
    public async Task<SessionViewer> ViewerAsync(ClaimsPrincipal user, Guid sessionId, CancellationToken cancellationToken = default)
    {
        if (!user.TryGetUserId(out var me)) return SessionViewer.None;
        var owner = await db.Sessions.Where(s => s.Id == sessionId).Select(s => (Guid?)s.UserId).SingleOrDefaultAsync(cancellationToken);
        if (owner is null) return SessionViewer.None;
        if (owner == me) return SessionViewer.Owner;
        if (user.IsAdmin()) return SessionViewer.Admin;
        if (user.IsInstructor() && await VisibleInCohorts(CohortsTaughtBy(user)).AnyAsync(s => s.Id == sessionId, cancellationToken))
            return SessionViewer.Instructor;
        return SessionViewer.None;
    }

    /// <summary>May <paramref name="user"/> read session <paramref name="sessionId"/>? False when it does not exist.</summary>
    public async Task<bool> CanReadSessionAsync(ClaimsPrincipal user, Guid sessionId, CancellationToken cancellationToken = default)
        => await ViewerAsync(user, sessionId, cancellationToken) != SessionViewer.None;

    /// <summary>May this viewer comment on and override the scores of the session?</summary>
    public static bool CanReview(SessionViewer viewer) => viewer is SessionViewer.Instructor or SessionViewer.Admin;

    /// <summary>Does this viewer see the session's reflection?</summary>
    public static bool SeesReflection(SessionViewer viewer, bool reflectionShared)
        => viewer == SessionViewer.Owner || (viewer != SessionViewer.None && reflectionShared);
}
