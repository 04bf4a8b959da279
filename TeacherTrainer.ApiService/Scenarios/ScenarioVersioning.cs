using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Pgvector;
using TeacherTrainer.ApiService.Data;

namespace TeacherTrainer.ApiService.Scenarios;

/// <summary>
/// Creates scenarios and new versions of them, with the embeddings their judgement and search
/// need. Used by the seeder (content files) and by the authoring API alike.
/// </summary>
public sealed class ScenarioVersioning(
    TeacherDbContext db,
    IEmbeddingGenerator<string, Embedding<float>> embeddings,
    TimeProvider time,
    ILogger<ScenarioVersioning> logger)
{
    private const int EmbeddingBatchSize = 64;

    /// <summary>Text that represents a scenario for "find me a scenario about..." search.</summary>
    public static string SearchText(ScenarioDocument d)
        => $"{d.Title}. {d.Summary} {d.Setting} {d.Persona.Role}. {string.Join(", ", d.Tags)}";

    /// <summary>
    /// Adds each document as a new scenario, or as a new version of the scenario with its slug when
    /// its content changed. Returns how many versions were written. Changes are saved by the caller.
    /// </summary>
    public async Task<int> StageAsync(IReadOnlyList<(ScenarioDocument Document, string Source)> documents, Guid? authorId, CancellationToken cancellationToken)
    {
        var slugs = documents.Select(d => d.Document.Slug).ToList();
        var existing = await db.Scenarios.Where(s => slugs.Contains(s.Slug)).ToDictionaryAsync(s => s.Slug, cancellationToken);
        var currentHashes = await db.ScenarioVersions
            .Where(v => slugs.Contains(v.Scenario!.Slug) && v.Id == v.Scenario.CurrentVersionId)
            .Select(v => new { v.Scenario!.Slug, v.ContentHash })
            .ToDictionaryAsync(v => v.Slug, v => v.ContentHash, cancellationToken);

        var changed = documents
            .Select(d => (d.Document, d.Source, Hash: ScenarioLibrary.Hash(d.Document)))
            .Where(d => !currentHashes.TryGetValue(d.Document.Slug, out var hash) || hash != d.Hash)
            .ToList();
        if (changed.Count == 0) return 0;

        // One embedding pass for everything that changed: search texts and exemplars, in batches.
        var texts = changed.SelectMany(c => c.Document.Exemplars.Select(e => e.Text).Prepend(SearchText(c.Document))).ToList();
        var vectors = await EmbedAsync(texts, cancellationToken);

        var now = time.GetUtcNow();
        var cursor = 0;
        foreach (var (document, source, hash) in changed)
        {
            var searchVector = vectors[cursor++];
            if (!existing.TryGetValue(document.Slug, out var scenario))
            {
                scenario = new Scenario
                {
                    Id = Guid.CreateVersion7(), Slug = document.Slug, Title = document.Title, Category = document.Category,
                    GradeBand = document.GradeBand, Difficulty = document.Difficulty, Summary = document.Summary,
                    Source = source, CreatedAt = now,
                    // The library is published as it ships and belongs to no one (admins keep it);
                    // an authored scenario starts as its author's private draft.
                    OwnerId = source == ScenarioSources.Library ? null : authorId,
                    PublishedAt = source == ScenarioSources.Library ? now : null,
                };
                db.Scenarios.Add(scenario);
            }
            var version = new ScenarioVersion
            {
                Id = Guid.CreateVersion7(), ScenarioId = scenario.Id, Number = scenario.CurrentVersionNumber + 1,
                ContentHash = hash, Content = document, CreatedAt = now, CreatedById = authorId,
            };
            for (var i = 0; i < document.Exemplars.Count; i++)
            {
                var exemplar = document.Exemplars[i];
                version.Exemplars.Add(new ScenarioExemplarVector
                {
                    Id = Guid.CreateVersion7(), ScenarioVersionId = version.Id, Ordinal = i, Text = exemplar.Text,
                    Rating = exemplar.Rating, Rationale = exemplar.Rationale, After = exemplar.After, Embedding = vectors[cursor++],
                });
            }
            db.ScenarioVersions.Add(version);
            scenario.Title = document.Title;
            scenario.Category = document.Category;
            scenario.GradeBand = document.GradeBand;
            scenario.Difficulty = document.Difficulty;
            scenario.Summary = document.Summary;
            scenario.SearchEmbedding = searchVector;
            scenario.CurrentVersionId = version.Id;
            scenario.CurrentVersionNumber = version.Number;
            scenario.UpdatedAt = now;
            scenario.UpdatedById = authorId;
            logger.LogInformation("Scenario {Slug} is now version {Version}", document.Slug, version.Number);
        }
        return changed.Count;
    }

    private async Task<List<Vector>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var result = new List<Vector>(texts.Count);
        for (var offset = 0; offset < texts.Count; offset += EmbeddingBatchSize)
        {
            var batch = texts.Skip(offset).Take(EmbeddingBatchSize).ToList();
            var generated = await embeddings.GenerateAsync(batch, cancellationToken: cancellationToken);
            result.AddRange(generated.Select(e => new Vector(e.Vector)));
            logger.LogInformation("Embedded {Done}/{Total} scenario texts", Math.Min(offset + batch.Count, texts.Count), texts.Count);
        }
        return result;
    }
}
