using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Data;

namespace TeacherTrainer.ApiService.Practice;

/// <summary>Start-up seeding step of practice: stored overalls brought in line with the effective scores.</summary>
public sealed class StoredOverallSeeder(ILogger<StoredOverallSeeder> logger) : IDbSeeder<TeacherDbContext>
{
    public async Task SeedAsync(TeacherDbContext context, CancellationToken cancellationToken)
    {
        var refreshed = await BackfillEffectiveOverallsAsync(context, cancellationToken);
        if (refreshed > 0) logger.LogInformation("Stored overall refreshed from the effective scores on {Count} overridden session(s)", refreshed);
    }

    /// <summary>
    /// Sessions overridden before <see cref="EffectiveScores"/> was the one writer may keep the engine's
    /// old overall, which lists (My sessions, Progress, the cohort's sessions) read without loading turns.
    /// Recomputes the stored overall of every completed session with an override, the way every page
    /// computes it, and saves only those that differ. Idempotent; a few hundred sessions at a time.
    /// </summary>
    internal static async Task<int> BackfillEffectiveOverallsAsync(TeacherDbContext context, CancellationToken cancellationToken)
    {
        var ids = await context.Sessions.Where(s => s.Status == SessionStatus.Completed
                && s.Turns.Any(t => t.CriterionScores.Any(c => c.OverrideScore != null)))
            .Select(s => s.Id).ToListAsync(cancellationToken);
        var changed = 0;
        foreach (var batch in ids.Chunk(200))
        {
            var sessions = await context.Sessions.Where(s => batch.Contains(s.Id))
                .Include(s => s.Turns).ThenInclude(t => t.CriterionScores).AsSplitQuery().ToListAsync(cancellationToken);
            foreach (var session in sessions)
            {
                var effective = EffectiveScores.Session(session.Turns);
                if (session.OverallScore == effective) continue;
                session.OverallScore = effective;
                changed++;
            }
            await context.SaveChangesAsync(cancellationToken);
            context.ChangeTracker.Clear();
        }
        return changed;
    }
}
