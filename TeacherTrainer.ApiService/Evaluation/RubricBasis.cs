using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using TeacherTrainer.ApiService.Data;
using TeacherTrainer.ApiService.Scenarios;

namespace TeacherTrainer.ApiService.Evaluation;

/// <summary>A criterion ready for scoring: its definition and the embeddings of its indicators.</summary>
public sealed record CriterionModel(RubricCriterion Criterion, float[][] Positive, float[][] Negative);

/// <summary>
/// A scenario's indicators and goal lines, in their order, embedded with every titled name written "someone", and the
/// names they use ("Mr Fletcher").
/// </summary>
public sealed record NamelessLines(IReadOnlyList<string> Names, IReadOnlyList<float[]> Indicators, IReadOnlyList<float[]> Aims);

/// <summary>A rated exemplar reply with its embedding.</summary>
public sealed record ExemplarModel(string Text, int Rating, string Rationale, string? After, float[] Embedding);

/// <summary>
/// What a reply is judged against when it is judged by a rubric: a scenario version's criteria and
/// exemplars, or the general rubric of good teacher talk. Immutable once built.
/// </summary>
public sealed record RubricBasis(string Kind, string Reference, IReadOnlyList<CriterionModel> Criteria, IReadOnlyList<ExemplarModel> Exemplars)
{
    /// <summary>The scenario's red lines, their examples and near-misses embedded (none for the general rubric).</summary>
    public IReadOnlyList<RedLineModel> RedLines { get; init; } = [];

    /// <summary>Near-misses of every scenario's red lines (<see cref="RedLineDetector.SafeInEveryScenario"/>), embedded when it has red lines.</summary>
    public IReadOnlyList<RedLinePhrase> NearMissesEverywhere { get; init; } = [];

    /// <summary>
    /// What the scenario asks of the teacher in the persona's own terms: its goals' example lines, embedded (none for the
    /// general rubric). A reply this near one of them is about the situation, whatever words it uses (<see cref="ReplyIntegrity.AboutWhatTheScenarioAsks"/>).
    /// </summary>
    public IReadOnlyList<float[]> Aims { get; init; } = [];

    /// <summary>
    /// Every indicator and goal line with each titled name written "someone" (<see cref="TitledNames.WithoutNames"/>), embedded,
    /// for a reply that names someone else (<see cref="ReplyIntegrity.ReadWithTheScenarioNamesAsync"/>); null when none names anyone.
    /// </summary>
    public NamelessLines? WithoutNames { get; init; }

    /// <summary>
    /// The words of what the persona knows and of the cues its lines answer that no other scenario of the library uses
    /// ("eleventy", "Annexe"): what happened, in this scenario's own words. A reply that takes one up is about the situation
    /// (<see cref="ReplyIntegrity.AboutTheSituation"/>). Empty for the general rubric.
    /// </summary>
    public IReadOnlySet<string> SituationWords { get; init; } = new HashSet<string>();

    public const string ScenarioKind = "scenario";
    public const string GeneralKind = "general";
}

/// <summary>The general rubric (Content/general-rubric.json): criteria and rated exemplars with contexts.</summary>
public sealed record GeneralRubricDocument(IReadOnlyList<RubricCriterion> Criteria, IReadOnlyList<GeneralExemplar> Exemplars);

public sealed record GeneralExemplar(IReadOnlyList<ContextTurn> Context, string Text, int Rating, string Rationale);

/// <summary>
/// Builds rubric bases and keeps them: a scenario version never changes, so its indicator
/// embeddings are computed once and its exemplar vectors read once from pgvector.
/// </summary>
public sealed class RubricBasisCache(IServiceScopeFactory scopes, IEmbeddingGenerator<string, Embedding<float>> embeddings)
{
    private readonly Lazy<Task<RubricBasis>> _general = new(() => BuildGeneralAsync(embeddings));
    private readonly BuiltOnceCache<Guid, RubricBasis> _scenarioBases = new(id => BuildScenarioAsync(id, scopes, embeddings));

    public Task<RubricBasis> GetGeneralAsync() => _general.Value;

    /// <summary>The basis of one scenario version; null when there is no such version.</summary>
    public Task<RubricBasis?> GetScenarioAsync(Guid scenarioVersionId, CancellationToken cancellationToken)
        => _scenarioBases.GetAsync(scenarioVersionId, cancellationToken);

    private static async Task<RubricBasis?> BuildScenarioAsync(Guid versionId, IServiceScopeFactory scopes, IEmbeddingGenerator<string, Embedding<float>> embeddings)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TeacherDbContext>();
        var version = await db.ScenarioVersions.AsNoTracking()
            .Include(v => v.Exemplars)
            .SingleOrDefaultAsync(v => v.Id == versionId);
        if (version is null) return null;
        var criteria = await EmbedCriteriaAsync(version.Content.Rubric, embeddings);
        var exemplars = version.Exemplars.OrderBy(e => e.Ordinal)
            .Select(e => new ExemplarModel(e.Text, e.Rating, e.Rationale, e.After, e.Embedding.ToArray()))
            .ToList();
        var (redLines, everywhere) = await EmbedRedLinesAsync(version.Content.RedLines, embeddings);
        var aims = await EmbedAimsAsync(version.Content, embeddings);
        return new RubricBasis(RubricBasis.ScenarioKind, $"{version.Content.Slug}@v{version.Number}", criteria, exemplars)
        {
            RedLines = redLines,
            NearMissesEverywhere = everywhere,
            Aims = aims,
            WithoutNames = await EmbedWithoutNamesAsync(version.Content, criteria, aims, embeddings),
            SituationWords = SituationWordsOf(version.Content),
        };
    }

    /// <summary>A basis straight from a document, embedding its exemplars too (benchmarks and offline checks; the service reads exemplar vectors from pgvector).</summary>
    public static async Task<RubricBasis> FromDocumentAsync(ScenarioDocument document, IEmbeddingGenerator<string, Embedding<float>> embeddings)
    {
        var criteria = await EmbedCriteriaAsync(document.Rubric, embeddings);
        var vectors = await embeddings.GenerateAsync(document.Exemplars.Select(e => e.Text));
        var exemplars = document.Exemplars.Select((e, i) => new ExemplarModel(e.Text, e.Rating, e.Rationale, e.After, vectors[i].Vector.ToArray())).ToList();
        var (redLines, everywhere) = await EmbedRedLinesAsync(document.RedLines, embeddings);
        var aims = await EmbedAimsAsync(document, embeddings);
        return new RubricBasis(RubricBasis.ScenarioKind, document.Slug, criteria, exemplars)
        {
            RedLines = redLines,
            NearMissesEverywhere = everywhere,
            Aims = aims,
            WithoutNames = await EmbedWithoutNamesAsync(document, criteria, aims, embeddings),
            SituationWords = SituationWordsOf(document),
        };
    }

    /// <summary>Puts a basis in the cache under a version id (for benchmarks that run without a database).</summary>
    internal void Preload(Guid scenarioVersionId, RubricBasis basis)
        => _scenarioBases.Set(scenarioVersionId, basis);

    private static async Task<RubricBasis> BuildGeneralAsync(IEmbeddingGenerator<string, Embedding<float>> embeddings)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Content", "general-rubric.json");
        var document = JsonSerializer.Deserialize<GeneralRubricDocument>(await File.ReadAllTextAsync(path), ScenarioDocument.JsonOptions)
            ?? throw new InvalidDataException($"{path} is empty");
        var criteria = await EmbedCriteriaAsync(document.Criteria, embeddings);
        var vectors = await embeddings.GenerateAsync(document.Exemplars.Select(e => e.Text));
        var exemplars = document.Exemplars
            .Select((e, i) => new ExemplarModel(e.Text, e.Rating, e.Rationale, e.Context.LastOrDefault()?.Text, vectors[i].Vector.ToArray()))
            .ToList();
        return new RubricBasis(RubricBasis.GeneralKind, "general-rubric", criteria, exemplars);
    }

    /// <summary>
    /// Embeds every red line's examples and near-misses, and the near-misses of every scenario's red lines, in one batch (once
    /// per scenario version).
    /// </summary>
    public static async Task<(IReadOnlyList<RedLineModel> RedLines, IReadOnlyList<RedLinePhrase> NearMissesEverywhere)> EmbedRedLinesAsync(
        IReadOnlyList<RedLine> redLines, IEmbeddingGenerator<string, Embedding<float>> embeddings)
    {
        if (redLines.Count == 0) return ([], []);
        var everywhere = RedLineDetector.SafeInEveryScenario;
        var texts = redLines.SelectMany(r => r.Examples.Concat(r.NearMisses)).Concat(everywhere).ToList();
        var vectors = (await embeddings.GenerateAsync(texts)).Select(e => e.Vector.ToArray()).ToList();
        var cursor = 0;
        var models = new List<RedLineModel>(redLines.Count);
        foreach (var red in redLines)
        {
            var examples = red.Examples.Select(t => new RedLinePhrase(t, vectors[cursor++], RedLineDetector.PolarityOf(t))).ToList();
            var nearMisses = red.NearMisses.Select(t => new RedLinePhrase(t, vectors[cursor++], RedLineDetector.PolarityOf(t))).ToList();
            models.Add(new RedLineModel(red, examples, nearMisses));
        }
        // Safe in every scenario: asking a child to say more crosses no red line, whatever its topic words.
        var shared = everywhere.Select(t => new RedLinePhrase(t, vectors[cursor++], RedLineDetector.PolarityOf(t))).ToList();
        return (models, shared);
    }

    /// <summary>The indicators and goal lines without their names: only the lines that name someone are embedded again.</summary>
    private static async Task<NamelessLines?> EmbedWithoutNamesAsync(ScenarioDocument document, IReadOnlyList<CriterionModel> criteria,
        IReadOnlyList<float[]> aims, IEmbeddingGenerator<string, Embedding<float>> embeddings)
    {
        var indicators = document.Rubric.SelectMany(c => c.PositiveIndicators.Concat(c.NegativeIndicators)).ToList();
        var goals = document.Persona.Goals.SelectMany(g => g.MetBy).ToList();
        var names = TitledNames.In(string.Join('\n', indicators.Concat(goals)));
        if (names.Count == 0) return null;
        var named = indicators.Concat(goals).Where(t => TitledNames.In(t).Count > 0).Distinct(StringComparer.Ordinal).ToList();
        var embedded = await embeddings.GenerateAsync(named.Select(TitledNames.WithoutNames));
        var vectors = named.Select((t, i) => (t, embedded[i].Vector.ToArray())).ToDictionary(StringComparer.Ordinal);
        var original = criteria.SelectMany(c => c.Positive.Concat(c.Negative)).ToList();
        return new NamelessLines(names,
            [.. indicators.Select((t, i) => vectors.GetValueOrDefault(t) ?? original[i])],
            [.. goals.Select((g, i) => vectors.GetValueOrDefault(g) ?? aims[i])]);
    }

    /// <summary>
    /// The topic words of what the persona knows and of the cues its lines answer, only those no other scenario of the library
    /// uses: "homework" and "football" are in what Mateo and Ethan know, and "Have you finished your spelling homework yet?" is
    /// still small talk.
    /// </summary>
    private static HashSet<string> SituationWordsOf(ScenarioDocument document)
        => document.Persona.Knows.Concat(document.ReplyLines.SelectMany(l => l.RespondsTo.Cues))
            .SelectMany(text => EverydayWords.TopicStems(text)).Where(stem => EverydayWords.ScenariosUsing(stem) <= 1).ToHashSet(StringComparer.Ordinal);

    /// <summary>The persona's goal lines in one batch (once per scenario version).</summary>
    private static async Task<IReadOnlyList<float[]>> EmbedAimsAsync(ScenarioDocument document, IEmbeddingGenerator<string, Embedding<float>> embeddings)
    {
        var lines = document.Persona.Goals.SelectMany(g => g.MetBy).ToList();
        return lines.Count == 0 ? [] : (await embeddings.GenerateAsync(lines)).Select(e => e.Vector.ToArray()).ToList();
    }

    private static async Task<List<CriterionModel>> EmbedCriteriaAsync(IReadOnlyList<RubricCriterion> rubric, IEmbeddingGenerator<string, Embedding<float>> embeddings)
    {
        var texts = rubric.SelectMany(c => c.PositiveIndicators.Concat(c.NegativeIndicators)).ToList();
        var vectors = (await embeddings.GenerateAsync(texts)).Select(e => e.Vector.ToArray()).ToList();
        var cursor = 0;
        var models = new List<CriterionModel>(rubric.Count);
        foreach (var criterion in rubric)
        {
            var positive = vectors.Skip(cursor).Take(criterion.PositiveIndicators.Count).ToArray();
            cursor += criterion.PositiveIndicators.Count;
            var negative = vectors.Skip(cursor).Take(criterion.NegativeIndicators.Count).ToArray();
            cursor += criterion.NegativeIndicators.Count;
            models.Add(new CriterionModel(criterion, positive, negative));
        }
        return models;
    }
}
