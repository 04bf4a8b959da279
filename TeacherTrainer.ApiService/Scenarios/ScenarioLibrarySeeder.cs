using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.OutputCaching;
using TeacherTrainer.ApiService.Data;

namespace TeacherTrainer.ApiService.Scenarios;

/// <summary>Idempotent start-up seeding: the scenario library (new versions only for changed files).</summary>
public sealed class ScenarioLibrarySeeder(ScenarioLibrary library, ScenarioVersioning versioning, IOutputCacheStore cache, ILogger<ScenarioLibrarySeeder> logger)
    : IDbSeeder<TeacherDbContext>
{
    public async Task SeedAsync(TeacherDbContext context, CancellationToken cancellationToken)
    {
        var documents = library.Load();
        logger.LogInformation("Seeding the scenario library: {Count} content files", documents.Count);
        var written = await versioning.StageAsync(documents.Select(d => (d, "library")).ToList(), authorId: null, cancellationToken);
        await context.SaveChangesAsync(cancellationToken);
        await BackfillOwnershipAsync(context, cancellationToken);
        // The cache outlives this process (Redis): catalog pages cached before a content change must go.
        if (written > 0) await cache.EvictByTagAsync(CachePolicies.ScenarioTag, cancellationToken);
        logger.LogInformation("Scenario library seeded: {Written} new version(s), {Unchanged} unchanged", written, documents.Count - written);
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
