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
        // The cache outlives this process (Redis): catalog pages cached before a content change must go.
        if (written > 0) await cache.EvictByTagAsync(CachePolicies.ScenarioTag, cancellationToken);
        logger.LogInformation("Scenario library seeded: {Written} new version(s), {Unchanged} unchanged", written, documents.Count - written);
    }
}
