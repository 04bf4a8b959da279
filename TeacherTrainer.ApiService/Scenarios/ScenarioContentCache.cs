using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Data;

namespace TeacherTrainer.ApiService.Scenarios;

/// <summary>
/// Scenario versions never change once written, so their content is read from the database once per
/// process and kept: a practice turn needs the persona, reply bank and rubric of its session's
/// version, and reading and parsing that document (tens of kilobytes of JSON) on every turn was a
/// large share of a turn's database time (docs/performance.md).
/// </summary>
public sealed class ScenarioContentCache(IServiceScopeFactory scopes)
{
    private readonly ConcurrentDictionary<Guid, Lazy<Task<ScenarioVersion?>>> _versions = new();

    /// <summary>The version (without its exemplar rows); null when there is none. Shared: do not modify it.</summary>
    public async Task<ScenarioVersion?> GetAsync(Guid versionId, CancellationToken cancellationToken)
    {
        var lazy = _versions.GetOrAdd(versionId, id => new Lazy<Task<ScenarioVersion?>>(() => LoadAsync(id)));
        try
        {
            var version = await lazy.Value.WaitAsync(cancellationToken);
            if (version is null) _versions.TryRemove(versionId, out _);
            return version;
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            // A failed read (the database away) is not remembered: the next call tries again.
            _versions.TryRemove(new KeyValuePair<Guid, Lazy<Task<ScenarioVersion?>>>(versionId, lazy));
            throw;
        }
    }

    private async Task<ScenarioVersion?> LoadAsync(Guid versionId)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TeacherDbContext>();
        return await db.ScenarioVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Id == versionId);
    }
}
