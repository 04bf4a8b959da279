using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Data;

namespace TeacherTrainer.ApiService.Practice;

/// <summary>
/// "Try that turn again": the session's last counted turn becomes a retried branch. It stays in the
/// transcript with its own judgement, but the persona's state goes back to what it was before it,
/// the turn no longer counts (score, progress, turn limit, the context the judge and persona see),
/// and the next reply takes its index.
/// </summary>
public static class TurnRetry
{
    /// <summary>Marks the last counted turn of the trainee's active session as retried and returns the session as it now stands.</summary>
    /// <returns>The session, or 404 when it is not the caller's, 409 when it has ended, has no turn to retry, or changed meanwhile.</returns>
    public static async Task<PracticeOutcome<SessionView>> RetryLastAsync(TeacherDbContext db, PracticeService practice, TimeProvider time,
        Guid sessionId, Guid userId, CancellationToken cancellationToken)
    {
        var session = await db.Sessions.SingleOrDefaultAsync(s => s.Id == sessionId, cancellationToken);
        if (session is null || session.UserId != userId) return PracticeProblems.UnknownSession(sessionId);
        if (session.Status != SessionStatus.Active) return PracticeProblems.SessionEndedNoRetry();
        var last = await db.Turns.Where(t => t.SessionId == sessionId && t.RetriedAt == null)
            .OrderByDescending(t => t.Index).FirstOrDefaultAsync(cancellationToken);
        if (last is null) return PracticeProblems.NoTurnToRetry();

        // The persona's goals go back to where they stood before the retried turn: what the earlier counted turn had met.
        var goalsBefore = await db.Turns.Where(t => t.SessionId == sessionId && t.RetriedAt == null && t.Index < last.Index)
            .OrderByDescending(t => t.Index).Select(t => t.GoalsMet).FirstOrDefaultAsync(cancellationToken);
        last.RetriedAt = time.GetUtcNow();
        session.State = last.StateBefore;
        session.GoalsMet = goalsBefore ?? [];
        // Counted turns are numbered 0..n-1, so the retried turn's index is how many still count.
        session.TurnCount = last.Index;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The session's row version moved: a turn (or another retry) was saved at the same moment.
            return PracticeProblems.RetryClashed();
        }
        return await practice.GetAsync(sessionId, cancellationToken)
            ?? throw new InvalidOperationException($"Session {sessionId} vanished after its turn was retried.");
    }
}
