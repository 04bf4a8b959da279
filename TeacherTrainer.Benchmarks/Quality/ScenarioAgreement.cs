using System.Text.Json;
using MathNet.Numerics.Statistics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using TeacherTrainer.ApiService.AI;
using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.ApiService.Scenarios;
using TeacherTrainer.ApiService.Simulation;

namespace TeacherTrainer.Benchmarks.Quality;

/// <summary>
/// Leave-one-out agreement with the scenario library's rated exemplars: each exemplar is judged
/// against its own scenario with itself removed from the exemplar pool, and its overall score is
/// compared with the rating its author gave it. Exemplars that share a run of six or more words
/// with one of their own scenario's indicators are left out: the indicator would be judging its own
/// copy, which inflates the figure. Used to choose <see cref="RubricWeights"/>, by a grid
/// cross-validated over scenarios (<see cref="CrossValidate"/>), never scored on the scenarios that chose it.
/// </summary>
public sealed class ScenarioAgreement
{
    public const int OverlapRun = 6;

    private sealed record Case(string Scenario, int Rating, EncodedReply Reply, MoveClassification Move, UptakeResult? Uptake, string Speaker, string Previous, int TurnNumber,
        IntegrityReport Integrity);
    private sealed record ScenarioCases(RubricBasis Basis, List<Case> Cases);

    private readonly List<ScenarioCases> _scenarios = [];
    private readonly MoveCatalog _catalog = new();
    private MoveClassifier? _classifier;

    /// <summary>TT_WARNING_STANCE=0 measures the rubric without reading the warnings' own stance (docs/evaluation.md).</summary>
    private static readonly bool WithoutWarningStance = Environment.GetEnvironmentVariable("TT_WARNING_STANCE") == "0";

    /// <summary>Exemplars left out because they share a six-word run with their own scenario's indicators.</summary>
    public int ExcludedForOverlap { get; private set; }

    public static async Task<ScenarioAgreement> LoadAsync(string contentDirectory)
    {
        var agreement = new ScenarioAgreement();
        var services = EvaluationServices.CreateInProcess();
        var generator = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var encoder = services.GetRequiredService<ReplyEncoder>();
        var classifier = await MoveClassifier.CreateAsync(agreement._catalog, generator, CancellationToken.None);
        agreement._classifier = classifier;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(contentDirectory, "Scenarios"), "*.json").Order())
        {
            var document = JsonSerializer.Deserialize<ScenarioDocument>(File.ReadAllText(file), ScenarioDocument.JsonOptions)!;
            var basis = await RubricBasisCache.FromDocumentAsync(document, generator);
            var cases = new List<Case>();
            var indicatorRuns = document.Rubric.SelectMany(c => c.PositiveIndicators.Concat(c.NegativeIndicators))
                .SelectMany(i => Runs(i, OverlapRun)).ToHashSet(StringComparer.Ordinal);
            foreach (var exemplar in document.Exemplars)
            {
                if (Runs(exemplar.Text, OverlapRun).Any(indicatorRuns.Contains))
                {
                    agreement.ExcludedForOverlap++;
                    continue;
                }
                var reply = await encoder.EncodeReplyAsync(exemplar.Text, CancellationToken.None);
                var move = await classifier.HearAsync(reply, encoder.EncodeReplyAsync, CancellationToken.None);
                var previous = exemplar.After ?? document.OpeningLine;
                UptakeResult? uptake = null;
                var previousVector = await encoder.EncodeTextAsync(previous, CancellationToken.None);
                if (document.Persona.Speaker is "student" or "parent")
                {
                    uptake = UptakeScorer.Score(previous, exemplar.Text, previousVector, reply.Vector, speaker: $"the {document.Persona.Speaker}");
                }
                // Judged as the API judges it: the integrity checks read the reply against the line it answers, and against
                // what the scenario asks (its persona's goal lines).
                var integrity = ReplyIntegrity.AboutTheScenario(
                    ReplyIntegrity.Inspect([new ContextTurn(document.Persona.Speaker, previous)], reply, previousVector, basis.Criteria, classifier), reply, basis);
                // An exemplar answering the opening line is a first reply; one answering a later line is not.
                var turn = exemplar.After is null || exemplar.After == document.OpeningLine ? 1 : 3;
                cases.Add(new Case(document.Slug, exemplar.Rating, reply, move, uptake, document.Persona.Speaker, previous, turn, integrity));
            }
            agreement._scenarios.Add(new ScenarioCases(basis, cases));
        }
        return agreement;
    }

    public sealed record Result(double Spearman, double PairwiseAccuracy, double MeanScoreStrong, double MeanScoreAcceptable, double MeanScorePoor, int Cases);

    public Result Measure(RubricWeights weights) => Measure(weights, _scenarios);

    private Result Measure(RubricWeights weights, IEnumerable<ScenarioCases> scenarios)
    {
        var ratings = new List<double>();
        var scores = new List<double>();
        int agreed = 0, pairs = 0;
        foreach (var scenario in scenarios)
        {
            var local = new List<(int Rating, int Score)>();
            foreach (var c in scenario.Cases)
            {
                var score = Judge(scenario, c, weights);
                local.Add((c.Rating, score));
                ratings.Add(c.Rating);
                scores.Add(score);
            }
            for (var i = 0; i < local.Count; i++)
                for (var j = i + 1; j < local.Count; j++)
                {
                    if (local[i].Rating == local[j].Rating) continue;
                    pairs++;
                    var higher = local[i].Rating > local[j].Rating ? local[i] : local[j];
                    var lower = local[i].Rating > local[j].Rating ? local[j] : local[i];
                    if (higher.Score > lower.Score) agreed++;
                }
        }
        double Mean(Func<double, bool> band) => ratings.Zip(scores).Where(x => band(x.First)).Select(x => x.Second).DefaultIfEmpty(0).Average();
        return new Result(Correlation.Spearman(ratings, scores), agreed / (double)pairs,
            Mean(r => r >= 4), Mean(r => r == 3), Mean(r => r <= 2), ratings.Count);
    }

    /// <summary>A coarse grid over the weights, each measured on every scenario (for looking at the grid, not for reporting).</summary>
    public IEnumerable<(RubricWeights Weights, Result Result)> Tune() => Grid().Select(w => (w, Measure(w)));

    /// <summary>
    /// The figure to report: scenarios split into <paramref name="folds"/> fixed groups; for each,
    /// the grid's best weights by pairwise accuracy on the other groups are measured on it. Returns
    /// the pooled held-out result and each fold's chosen weights and held-out pairwise accuracy.
    /// </summary>
    public (Result Pooled, IReadOnlyList<(RubricWeights Chosen, double HeldOutPairwise)> Folds) CrossValidate(int folds = 4)
    {
        var grid = Grid().ToList();
        var ordered = _scenarios.OrderBy(s => s.Basis.Reference, StringComparer.Ordinal).ToList();
        var chosen = new List<(RubricWeights, double)>();
        var heldOutScenarios = new List<(ScenarioCases Scenario, RubricWeights Weights)>();
        for (var fold = 0; fold < folds; fold++)
        {
            var train = ordered.Where((_, i) => i % folds != fold).ToList();
            var test = ordered.Where((_, i) => i % folds == fold).ToList();
            var best = grid.MaxBy(w => Measure(w, train).PairwiseAccuracy)!;
            chosen.Add((best, Measure(best, test).PairwiseAccuracy));
            heldOutScenarios.AddRange(test.Select(t => (t, best)));
        }
        return (MeasureEach(heldOutScenarios), chosen);
    }

    private Result MeasureEach(IReadOnlyList<(ScenarioCases Scenario, RubricWeights Weights)> scenarios)
    {
        // Pool the held-out judgements: each scenario scored with the weights its fold chose.
        var ratings = new List<double>();
        var scores = new List<double>();
        int agreed = 0, pairs = 0;
        foreach (var (scenario, weights) in scenarios)
        {
            var local = scenario.Cases.Select(c => (c.Rating, Score: Judge(scenario, c, weights))).ToList();
            ratings.AddRange(local.Select(l => (double)l.Rating));
            scores.AddRange(local.Select(l => (double)l.Score));
            for (var i = 0; i < local.Count; i++)
                for (var j = i + 1; j < local.Count; j++)
                {
                    if (local[i].Rating == local[j].Rating) continue;
                    pairs++;
                    if ((local[i].Rating > local[j].Rating) == (local[i].Score > local[j].Score) && local[i].Score != local[j].Score) agreed++;
                }
        }
        double Mean(Func<double, bool> band) => ratings.Zip(scores).Where(x => band(x.First)).Select(x => x.Second).DefaultIfEmpty(0).Average();
        return new Result(Correlation.Spearman(ratings, scores), agreed / (double)pairs, Mean(r => r >= 4), Mean(r => r == 3), Mean(r => r <= 2), ratings.Count);
    }

    private int Judge(ScenarioCases scenario, Case c, RubricWeights weights)
    {
        var others = scenario.Basis.Exemplars.Where(e => e.Text != c.Reply.Text).ToList();
        var hear = WithoutWarningStance ? null : _classifier;
        return JudgementComposer.JudgeAgainstRubric(scenario.Basis, c.Reply, c.Move, _catalog, c.Uptake, c.Speaker, c.Previous, weights, others,
            firstReply: c.TurnNumber == 1, integrity: c.Integrity, turnNumber: c.TurnNumber, hear: hear).Score;
    }

    /// <summary>Lower-cased runs of <paramref name="length"/> consecutive words.</summary>
    public static IEnumerable<string> Runs(string text, int length)
    {
        var words = TextTokens.Tokenize(text).Select(t => t.Lower).ToList();
        for (var i = 0; i + length <= words.Count; i++) yield return string.Join(' ', words.Skip(i).Take(length));
    }

    private static IEnumerable<RubricWeights> Grid()
    {
        foreach (var indicator in new[] { 1.0, 1.5, 2.0, 3.0 })
            foreach (var scale in new[] { 0.08, 0.12 })
                foreach (var move in new[] { 1.2, 1.8, 2.6 })
                    foreach (var exemplar in new[] { 0.0, 0.4, 0.8 })
                        foreach (var harmful in new[] { 0.8, 1.2, 1.8 })
                        {
                            yield return new RubricWeights(indicator, scale, move, exemplar, harmful, RubricWeights.Default.Slope);
                        }
    }
}
