using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Data;
using TeacherTrainer.ApiService.Simulation;

namespace TeacherTrainer.ApiService.Evaluation;

/// <summary>What to judge: the conversation so far (oldest first), the reply, and what to judge it against.</summary>
public sealed record EvaluationInput(IReadOnlyList<ContextTurn> Context, string Response, Guid? ScenarioVersionId = null, Guid? CollectionId = null, string? CollectionName = null);

/// <summary>A judgement with the engine's working parts, for callers that act on them (the persona reacts to the move).</summary>
public sealed record EvaluationResult(Judgement Judgement, MoveClassification Move, EncodedReply Reply);

/// <summary>
/// The evaluation engine: judges one reply against a scenario version, an exemplar collection, or
/// the general rubric of good teacher talk. Deterministic: every number comes from embeddings of
/// the inputs and fixed rules, never from a language model, so no reply can talk its way to a
/// better score, and the same input always gets the same judgement.
/// </summary>
public sealed class EvaluationEngine(
    ReplyEncoder encoder,
    RubricBasisCache bases,
    MoveClassifierProvider moves,
    MoveCatalog catalog,
    IServiceProvider services)
{
    public static readonly string[] UptakeSpeakers = ["student", "parent"];

    private static readonly ActivitySource Activity = new("TeacherTrainer.Evaluation");
    private static readonly Meter Meter = new("TeacherTrainer.Evaluation");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("teachertrainer.evaluation.duration", "ms");

    public async Task<EvaluationResult> JudgeAsync(EvaluationInput input, CancellationToken cancellationToken)
    {
        using var activity = Activity.StartActivity("Judge reply");
        var started = Stopwatch.GetTimestamp();
        var reply = await encoder.EncodeReplyAsync(input.Response, cancellationToken);
        var classifier = await moves.GetAsync(cancellationToken);
        var move = classifier.Classify(input.Response, reply.Vector);

        var last = input.Context.Count > 0 ? input.Context[^1] : null;
        var uptakeApplies = last is not null && UptakeSpeakers.Contains(last.Speaker);
        var speaker = last?.Speaker ?? "student";
        UptakeResult? uptake = null;
        if (uptakeApplies)
        {
            var previous = await encoder.EncodeTextAsync(last!.Text, cancellationToken);
            uptake = UptakeScorer.Score(last.Text, input.Response, previous, reply.Vector);
        }

        var judgement = input.CollectionId is { } collectionId
            ? await JudgeAgainstCollectionAsync(collectionId, input, reply, move, uptake, speaker, cancellationToken)
            : JudgementComposer.JudgeAgainstRubric(input.ScenarioVersionId is { } versionId
                ? await bases.GetScenarioAsync(versionId, cancellationToken) ?? throw new InvalidOperationException($"Scenario version {versionId} does not exist.")
                : await bases.GetGeneralAsync(), reply, move, catalog, uptake, speaker, last?.Text);

        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Duration.Record(elapsed, new KeyValuePair<string, object?>("basis", judgement.Basis));
        activity?.SetTag("basis", judgement.Basis);
        activity?.SetTag("score", judgement.Score);
        return new EvaluationResult(judgement, move, reply);
    }

    private async Task<Judgement> JudgeAgainstCollectionAsync(Guid collectionId, EvaluationInput input, EncodedReply reply,
        MoveClassification move, UptakeResult? uptake, string speaker, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<CollectionStore>();
        var contextText = CollectionStore.ContextText(input.Context);
        var context = contextText.Length > 0 ? await encoder.EncodeTextAsync(contextText, cancellationToken) : reply.Vector;
        var (byResponse, byContext) = await store.FindNeighboursAsync(collectionId, reply.Vector, context, cancellationToken);
        var scored = CollectionScorer.Score(
            byResponse.Select(ToNeighbour).ToList(),
            byContext.Select(ToNeighbour).ToList());

        var score = (int)Math.Round(scored.Score);
        var experts = byResponse.Count(n => n.Quality == "expert");
        var collectionShare = uptake is null ? 1.0 : 1 - JudgementComposer.UptakeWeight;
        var criteria = new List<CriterionJudgement>
        {
            new("expert-likeness", "Close to the experts' replies", score, null,
                FeedbackWriter.ExplainCollection(scored, experts, byResponse.Count), collectionShare),
        };
        if (uptake is not null) criteria.Add(JudgementComposer.UptakeCriterion(uptake, speaker));
        var overall = JudgementComposer.Overall(criteria);
        var texts = byResponse.Concat(byContext).GroupBy(n => n.Id).ToDictionary(g => g.Key, g => g.First());
        var nearestExperts = scored.NearestExperts.Select(n => new NearestExemplar(texts[n.Id].Response, "expert", Math.Round(n.ReplySimilarity, 3))).ToList();
        var weakest = JudgementComposer.Weakest(criteria);
        return new Judgement(overall, JudgementBands.For(overall), criteria, nearestExperts,
            FeedbackWriter.Suggest(weakest.Key, weakest.Name, "Write the reply an expert in this collection would: look at the nearest expert replies and what they do differently.",
                nearestExperts.FirstOrDefault()?.Text, input.Context.LastOrDefault()?.Text, speaker))
        {
            Basis = "collection",
            BasisReference = input.CollectionName,
        };
    }

    private static ExemplarNeighbour ToNeighbour(CollectionNeighbour n)
        => new(n.Id, n.Quality == "expert" ? ExemplarQuality.Expert : ExemplarQuality.Novice, n.ReplySimilarity);
}

