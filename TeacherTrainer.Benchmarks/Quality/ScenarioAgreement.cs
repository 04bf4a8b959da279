using System.Text.Json;
using MathNet.Numerics.Statistics;
using Microsoft.Extensions.AI;
using TeacherTrainer.ApiService.AI;
using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.ApiService.Scenarios;
using TeacherTrainer.ApiService.Simulation;

namespace TeacherTrainer.Benchmarks.Quality;

/// <summary>
/// Leave-one-out agreement with the scenario library's rated exemplars: each exemplar is judged
/// against its own scenario with itself removed from the exemplar pool, and its overall score is
/// compared with the rating its author gave it. Used to choose <see cref="RubricWeights"/>.
/// </summary>
public sealed class ScenarioAgreement
{
    private sealed record Case(string Scenario, int Rating, EncodedReply Reply, MoveClassification Move, UptakeResult? Uptake, string Speaker, string Previous);
    private sealed record ScenarioCases(RubricBasis Basis, List<Case> Cases);

    private readonly List<ScenarioCases> _scenarios = [];
    private readonly MoveCatalog _catalog = new();

    public static async Task<ScenarioAgreement> LoadAsync(string contentDirectory)
    {
        var agreement = new ScenarioAgreement();
        var generator = new EmbeddedMiniLmGenerator();
        var encoder = new ReplyEncoder(generator, new EmbeddingCache());
        var classifier = await MoveClassifier.CreateAsync(agreement._catalog, generator, CancellationToken.None);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(contentDirectory, "Scenarios"), "*.json").Order())
        {
            var document = JsonSerializer.Deserialize<ScenarioDocument>(File.ReadAllText(file), ScenarioDocument.JsonOptions)!;
            var basis = await RubricBasisCache.FromDocumentAsync(document, generator);
            var cases = new List<Case>();
            foreach (var exemplar in document.Exemplars)
            {
                var reply = await encoder.EncodeReplyAsync(exemplar.Text, CancellationToken.None);
                var move = classifier.Classify(exemplar.Text, reply.Vector);
                var previous = exemplar.After ?? document.OpeningLine;
                UptakeResult? uptake = null;
                if (document.Persona.Speaker is "student" or "parent")
                {
                    var previousVector = await encoder.EncodeTextAsync(previous, CancellationToken.None);
                    uptake = UptakeScorer.Score(previous, exemplar.Text, previousVector, reply.Vector);
                }
                cases.Add(new Case(document.Slug, exemplar.Rating, reply, move, uptake, document.Persona.Speaker, previous));
            }
            agreement._scenarios.Add(new ScenarioCases(basis, cases));
        }
        return agreement;
    }

    public sealed record Result(double Spearman, double PairwiseAccuracy, double MeanScoreStrong, double MeanScoreAcceptable, double MeanScorePoor, int Cases);

    public Result Measure(RubricWeights weights)
    {
        var ratings = new List<double>();
        var scores = new List<double>();
        int agreed = 0, pairs = 0;
        foreach (var scenario in _scenarios)
        {
            var local = new List<(int Rating, int Score)>();
            foreach (var c in scenario.Cases)
            {
                var others = scenario.Basis.Exemplars.Where(e => e.Text != c.Reply.Text).ToList();
                var judgement = JudgementComposer.JudgeAgainstRubric(scenario.Basis, c.Reply, c.Move, _catalog, c.Uptake, c.Speaker, c.Previous, weights, others);
                local.Add((c.Rating, judgement.Score));
                ratings.Add(c.Rating);
                scores.Add(judgement.Score);
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

    /// <summary>A coarse grid over the weights, reporting the best by pairwise accuracy.</summary>
    public IEnumerable<(RubricWeights Weights, Result Result)> Tune()
    {
        foreach (var indicator in new[] { 1.0, 1.5, 2.0, 3.0 })
        foreach (var scale in new[] { 0.08, 0.12 })
        foreach (var move in new[] { 1.2, 1.8, 2.6 })
        foreach (var exemplar in new[] { 0.0, 0.4, 0.8 })
        foreach (var harmful in new[] { 0.8, 1.2, 1.8 })
        {
            var weights = new RubricWeights(indicator, scale, move, exemplar, harmful, RubricWeights.Default.Slope);
            yield return (weights, Measure(weights));
        }
    }
}
