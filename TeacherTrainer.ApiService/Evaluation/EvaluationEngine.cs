using TeacherTrainer.ApiService.Scenarios;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Data;
using TeacherTrainer.ApiService.Simulation;

namespace TeacherTrainer.ApiService.Evaluation;

/// <summary>What to judge: the conversation so far (oldest first), the reply, and what to judge it against.</summary>
/// <param name="TurnNumber">Which trainee turn the reply is (1-based); when null, one more than the teacher turns in <paramref name="Context"/>.</param>
public sealed record EvaluationInput(IReadOnlyList<ContextTurn> Context, string Response, Guid? ScenarioVersionId = null, Guid? CollectionId = null, string? CollectionName = null, int? TurnNumber = null);

/// <summary>A judgement with the engine's working parts, for callers that act on them (the persona reacts to the move).</summary>
public sealed record EvaluationResult(Judgement Judgement, MoveClassification Move, EncodedReply Reply)
{
    /// <summary>Milliseconds spent in the embedding model for this judgement (for Server-Timing).</summary>
    public double EncodingMs { get; init; }

    /// <summary>Milliseconds spent finding a collection's nearest rows in pgvector (for Server-Timing; 0 without a collection).</summary>
    public double SearchMs { get; init; }
}

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
    public const string InjectionNote = "Sentences addressed to the assessor rather than to the person you were talking to were ignored.";

    /// <summary>A reply made only of instructions to the assessor: every criterion scores 0, and says why.</summary>
    private async Task<EvaluationResult> NothingToJudgeAsync(EvaluationInput input, CancellationToken cancellationToken)
    {
        const string why = "The reply held only instructions to the assessor, which are not judged.";
        IEnumerable<(string Key, string Name)> keys = input.CollectionId is not null
            ? [("expert-likeness", "Close to the experts' replies")]
            : (input.ScenarioVersionId is { } id ? await bases.GetScenarioAsync(id, cancellationToken) : await bases.GetGeneralAsync())!
                .Criteria.Select(c => (c.Criterion.Key, c.Criterion.Name));
        var last = input.Context.Count > 0 ? input.Context[^1] : null;
        if (last is not null && UptakeSpeakers.Contains(last.Speaker)) keys = keys.Append(("uptake", "Uptake: building on what was just said"));
        var list = keys.ToList();
        var criteria = list.Select(k => new CriterionJudgement(k.Key, k.Name, 0, null, why, Math.Round(1.0 / list.Count, 4))).ToList();
        var judgement = new Judgement(0, JudgementBands.For(0), criteria, [], "Write what you would say to the person in front of you.")
        {
            Basis = input.CollectionId is not null ? "collection" : input.ScenarioVersionId is not null ? "scenario" : "general",
            BasisReference = input.CollectionName,
            Notes = [InjectionNote],
        };
        var empty = new EncodedReply(input.Response, new float[AI.MiniLmEncoder.Dimensions], []);
        var none = new MoveClassification(Moves.Neutral, 1, Moves.All.ToDictionary(m => m, m => m == Moves.Neutral ? 1.0 : 0.0));
        return new EvaluationResult(judgement, none, empty);
    }

    private static readonly ActivitySource Activity = new("TeacherTrainer.Evaluation");
    private static readonly Meter Meter = new("TeacherTrainer.Evaluation");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("teachertrainer.evaluation.duration", "ms");

    public async Task<EvaluationResult> JudgeAsync(EvaluationInput input, CancellationToken cancellationToken)
    {
        using var activity = Activity.StartActivity("Judge reply");
        var started = Stopwatch.GetTimestamp();
        // Words addressed to the assessor are blanked out (same length, so offsets hold): the reply is
        // judged as if they had never been written.
        var (judgedText, injected) = InjectionFilter.Blank(input.Response);
        if (string.IsNullOrWhiteSpace(judgedText))
        {
            return await NothingToJudgeAsync(input, cancellationToken);
        }
        var last = input.Context.Count > 0 ? input.Context[^1] : null;
        var encodeStarted = Stopwatch.GetTimestamp();
        // Everything the judgement reads the reply against is embedded with it, not after it: the line
        // answered (uptake and the integrity checks), the student's last turn and the problem (the general
        // rubric's "guides the learner"), the conversation (a collection's neighbours). What is not cached
        // yet goes to the model at once, each text in its own pass, side by side on the cores.
        var lineAnswered = last is not null && last.Speaker != "teacher" && last.Text.Length > 0 ? last.Text : null;
        var general = input.CollectionId is null && input.ScenarioVersionId is null;
        var learnerTurn = general ? TutoringQualityScorer.LastLearnerTurn(input.Context) : null;
        var problem = general ? TutoringQualityScorer.ProblemStatement(input.Context) : null;
        var contextText = input.CollectionId is not null ? CollectionStore.ContextText(input.Context) : "";
        // A scenario's criteria are steps of one conversation: what the trainee's earlier replies already did is read from
        // them (in a practice session they are kept from judging them; otherwise encoded beside this reply).
        var turnNumber = input.TurnNumber ?? CriterionStage.InferTurnNumber(input.Context);
        var earlierReplies = input.ScenarioVersionId is not null ? EarlierReplies(input.Context, turnNumber) : [];
        var earlierEncoding = earlierReplies.Count > 0 ? encoder.EncodeEarlierRepliesAsync(earlierReplies.Select(e => e.Text).ToList(), cancellationToken) : null;
        string?[] others = [lineAnswered, learnerTurn, problem, contextText.Length > 0 ? contextText : null];
        var (reply, vectors) = await encoder.EncodeWithOthersAsync(judgedText, others.OfType<string>(), cancellationToken);
        var earlierEncoded = earlierEncoding is null ? [] : await earlierEncoding;
        if (input.ScenarioVersionId is not null) encoder.Remember(reply);
        float[]? VectorOf(string? text) => text is null ? null : vectors[text];
        var previous = VectorOf(lineAnswered);
        var encoding = Stopwatch.GetElapsedTime(encodeStarted);
        var classifier = await moves.GetAsync(cancellationToken);
        var move = await classifier.HearAsync(reply, encoder.EncodeReplyAsync, cancellationToken);

        var uptakeApplies = last is not null && UptakeSpeakers.Contains(last.Speaker);
        var speaker = last?.Speaker ?? "student";
        UptakeResult? uptake = null;
        if (uptakeApplies)
        {
            uptake = UptakeScorer.Score(last!.Text, judgedText, previous, reply.Vector, speaker: $"the {last.Speaker}");
        }

        // Tricks that raise similarity without better teaching (echo, stuffing, sneers, negation,
        // off-topic, padding) are capped, read against the same vector of the line answered.
        var basis = input.CollectionId is not null ? null : input.ScenarioVersionId is { } versionId
            ? await bases.GetScenarioAsync(versionId, cancellationToken) ?? throw new InvalidOperationException($"Scenario version {versionId} does not exist.")
            : await bases.GetGeneralAsync();
        var integrity = await ReplyIntegrity.ReadAgainstEarlierLinesAsync(ReplyIntegrity.Inspect(input.Context, reply, previous, basis?.Criteria ?? [], classifier),
            reply, input.Context, encoder.EncodeTextAsync, cancellationToken);
        if (basis is not null)
        {
            integrity = ReplyIntegrity.AboutTheScenario(integrity, reply, basis);
            integrity = await ReplyIntegrity.ReadWithTheScenarioNamesAsync(integrity, reply, basis, encoder.EncodeReplyAsync, cancellationToken);
        }
        integrity = await ReplyIntegrity.ConfirmSneersAloneAsync(integrity, classifier, encoder.EncodeTextAsync, cancellationToken);
        // The general rubric's "guides the learner" criterion.
        var tutoring = general ? TutoringQualityScorer.Score(input.Context, reply.Text, reply.Vector, VectorOf(learnerTurn), VectorOf(problem)) : null;

        var metEarlier = basis is not null && earlierReplies.Count > 0
            ? CriterionStage.MetBefore(basis, earlierReplies.Select((e, i) => new CriterionStage.EarlierReply(e.Turn, earlierEncoded[i], classifier)).ToList())
            : null;

        double searchMs = 0;
        var judgement = input.CollectionId is { } collectionId
            ? ReplyIntegrity.Apply(await JudgeAgainstCollectionAsync(collectionId, input, reply, VectorOf(contextText.Length > 0 ? contextText : null) ?? reply.Vector, move, uptake, speaker, ms => searchMs = ms, cancellationToken), integrity)
            : JudgementComposer.JudgeAgainstRubric(basis!, reply, move, catalog, uptake, speaker, last?.Text,
                firstReply: !input.Context.Any(t => t.Speaker == "teacher"), integrity: integrity, tutoring: tutoring,
                turnNumber: turnNumber, metEarlier: metEarlier, hear: classifier);

        // What the trainee already said: the same reply again earns nothing new.
        if (ConversationMemory.RepeatedTurn(input.Context, judgedText) is { } repeated) judgement = ConversationMemory.Apply(judgement, repeated, speaker);
        if (injected) judgement = judgement with { Notes = [InjectionNote, .. judgement.Notes], Flags = [.. judgement.Flags, Judgement.InjectionFlag] };
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Duration.Record(elapsed, new KeyValuePair<string, object?>("basis", judgement.Basis));
        activity?.SetTag("basis", judgement.Basis);
        activity?.SetTag("score", judgement.Score);
        return new EvaluationResult(judgement, move, reply) { EncodingMs = encoding.TotalMilliseconds, SearchMs = searchMs };
    }

    /// <summary>The trainee's earlier replies in the context, with their turn numbers (the context may start mid-conversation).</summary>
    private static List<(int Turn, string Text)> EarlierReplies(IReadOnlyList<ContextTurn> context, int turnNumber)
    {
        var teacher = context.Where(t => t.Speaker == "teacher").Select(t => t.Text).ToList();
        return teacher.Select((text, i) => (Turn: turnNumber - teacher.Count + i, Text: text))
            .Where(e => e.Turn >= 1 && !string.IsNullOrWhiteSpace(e.Text)).ToList();
    }

    private async Task<Judgement> JudgeAgainstCollectionAsync(Guid collectionId, EvaluationInput input, EncodedReply reply, float[] context,
        MoveClassification move, UptakeResult? uptake, string speaker, Action<double> searched, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<CollectionStore>();
        var searchStarted = Stopwatch.GetTimestamp();
        var (byResponse, byContext) = await store.FindNeighboursAsync(collectionId, reply.Vector, context, cancellationToken);
        searched(Stopwatch.GetElapsedTime(searchStarted).TotalMilliseconds);
        var scored = CollectionScorer.Score(
            byResponse.Select(ToNeighbour).ToList(),
            byContext.Select(ToNeighbour).ToList(),
            CollectionScorer.Engagement(input.Context, reply.Text, reply.Vector, context));

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
        var nearestExperts = scored.NearestExperts.Select(n => new NearestExemplar(texts[n.Id].Response, ExemplarQuality.Expert, Math.Round(n.ReplySimilarity, 3))).ToList();
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

