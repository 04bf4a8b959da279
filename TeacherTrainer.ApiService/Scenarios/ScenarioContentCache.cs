using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Data;

namespace TeacherTrainer.ApiService.Scenarios;

/// <summary>
/// Scenario versions never change once written, so their content is read from the database once per
/// process and kept: a practice turn needs the persona, reply bank and rubric of its session's
/// version, and reading and parsing that document (tens of kilobytes of JSON) on every turn was a
/// large share of a turn's database time (docs/performance.md).
/// </summary>
public sealed class ScenarioContentCache
{
    private readonly BuiltOnceCache<Guid, ScenarioVersion> _versions;

    public ScenarioContentCache(IServiceScopeFactory scopes)
        => _versions = new(async versionId =>
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TeacherDbContext>();
            return await db.ScenarioVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Id == versionId);
        });

    /// <summary>The version (without its exemplar rows); null when there is none. Shared: do not modify it.</summary>
    public Task<ScenarioVersion?> GetAsync(Guid versionId, CancellationToken cancellationToken)
        => _versions.GetAsync(versionId, cancellationToken);
}
