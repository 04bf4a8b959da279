using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.OutputCaching;
using TeacherTrainer.ApiService.Scenarios;

namespace TeacherTrainer.ApiService.Data;

/// <summary>Idempotent start-up seeding: the scenario library (new versions only for changed files).</summary>
public sealed class TeacherDbSeeder(ScenarioLibrary library, ScenarioVersioning versioning, IOutputCacheStore cache, ILogger<TeacherDbSeeder> logger)
    : IDbSeeder<TeacherDbContext>
{
    public async Task SeedAsync(TeacherDbContext context, CancellationToken cancellationToken)
    {
        var documents = library.Load();
        logger.LogInformation("Seeding the scenario library: {Count} content files", documents.Count);
        var written = await versioning.StageAsync(documents.Select(d => (d, "library")).ToList(), authorId: null, cancellationToken);
        await context.SaveChangesAsync(cancellationToken);
        await BackfillOwnershipAsync(context, cancellationToken);
        var refreshed = await BackfillEffectiveOverallsAsync(context, cancellationToken);
        if (refreshed > 0) logger.LogInformation("Stored overall refreshed from the effective scores on {Count} overridden session(s)", refreshed);
        // The cache outlives this process (Redis): catalog pages cached before a content change must go.
        if (written > 0) await cache.EvictByTagAsync(CachePolicies.ScenarioTag, cancellationToken);
        logger.LogInformation("Scenario library seeded: {Written} new version(s), {Unchanged} unchanged", written, documents.Count - written);
    }

    /// <summary>
    /// Sessions overridden before <see cref="Practice.EffectiveScores"/> was the one writer may keep the engine's
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
                var effective = Practice.EffectiveScores.Session(session.Turns);
                if (session.OverallScore == effective) continue;
                session.OverallScore = effective;
                changed++;
            }
            await context.SaveChangesAsync(cancellationToken);
            context.ChangeTracker.Clear();
        }
        return changed;
    }

    /// <summary>
    /// Scenarios stored before ownership existed: the library is published; an authored scenario
    /// was live and unowned, so it stays published and belongs to whoever wrote its first version
    /// (admins only when that is unknown). Idempotent: touches only rows never given these values.
    /// </summary>
    private static async Task BackfillOwnershipAsync(TeacherDbContext context, CancellationToken cancellationToken)
    {
        await context.Scenarios.Where(s => s.Source == ScenarioSources.Library && s.PublishedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.PublishedAt, x => x.CreatedAt), cancellationToken);
        await context.Scenarios
            .Where(s => s.Source != ScenarioSources.Library && s.OwnerId == null && s.PublishedAt == null
                && !context.ScenarioAudit.Any(a => a.ScenarioId == s.Id))
            .ExecuteUpdateAsync(s => s
                .SetProperty(x => x.PublishedAt, x => x.CreatedAt)
                .SetProperty(x => x.OwnerId, x => x.Versions.OrderBy(v => v.Number).Select(v => v.CreatedById).FirstOrDefault()), cancellationToken);
    }
}
