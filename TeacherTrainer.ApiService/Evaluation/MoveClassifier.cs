using TeacherTrainer.ApiService.Scenarios;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace TeacherTrainer.ApiService.Evaluation;

/// <summary>What kind of move a trainee reply makes, with the engine's confidence and the runner-up moves.</summary>
public sealed record MoveClassification(string Move, double Confidence, IReadOnlyDictionary<string, double> Probabilities)
{
    /// <summary>Other moves the reply also makes clearly (for example a validation followed by a question).</summary>
    public IReadOnlyList<string> AlsoDetected => Probabilities
        .Where(p => p.Key != Move && p.Value >= MoveClassifier.SecondaryMoveThreshold)
        .OrderByDescending(p => p.Value).Select(p => p.Key).ToList();

    /// <summary>The harmful moves' probabilities together.</summary>
    public double HarmfulShare => Probabilities.Where(p => Moves.IsHarmful(p.Key)).Sum(p => p.Value);
}

/// <summary>
/// Classifies a reply into one of the twelve moves, deterministically. A multiclass logistic
/// regression (ML.NET L-BFGS maximum entropy, seed 0, one thread) is trained at start-up on the
/// labelled examples of Content/moves.json over three named groups of features: the reply's 384-d
/// sentence embedding (topic and tone), a few wording cues ("so you're saying", "would you rather",
/// "if you ... you'll", a bare "ok"), and the words and word pairs that occur in at least two examples
/// ("shame you", "toughen up"). Scoring is the learned weights themselves (a dot product per move,
/// tens of microseconds), so every move's score can be traced to a feature. The old 5-nearest-neighbour
/// vote is gone: blended in, it lowered cross-validated accuracy (0.81 against 0.86).
/// A harmful reading needs strong evidence: the harmful moves' odds are scaled down by
/// <see cref="HarmfulOddsFactor"/> before the decision, so a sincere reply that merely shares words
/// with sarcasm ("you clearly know your maths") falls to the best helpful move or to neutral, while a
/// plain sneer still wins.
/// </summary>
public sealed class MoveClassifier
{
    public const double SecondaryMoveThreshold = 0.25;

    /// <summary>
    /// Multiplier on the harmful moves' odds before the decision. Chosen by 5-fold cross-validation
    /// on the catalog (dotnet run -c Release --project TeacherTrainer.Benchmarks -- moves): the
    /// setting with the best harmful recall among those whose out-of-fold sincere-to-harmful rate
    /// is at most 2% (measured 0.013, harmful recall 0.73; unscaled: 0.036 and 0.85).
    /// </summary>
    public const double HarmfulOddsFactor = 0.35;

    /// <summary>L2 penalty of the regression (ML.NET's scale), chosen with the factor by the same report.</summary>
    internal const float L2Regularization = 0.003f;

    /// <summary>A word or word pair counts as a feature once it occurs in this many training examples.</summary>
    private const int MinimumPhraseExamples = 2;

    private readonly string[] _classes = Moves.All;
    private readonly float[][] _weights; // classes x features: embedding, cues, phrases
    private readonly float[] _biases;
    private readonly Dictionary<string, int> _phrases; // word or word pair -> its feature index after the embedding and cues
    private readonly int _dimensions;
    private readonly double _harmfulOddsFactor;

    private MoveClassifier(float[][] weights, float[] biases, Dictionary<string, int> phrases, int dimensions, double harmfulOddsFactor)
    {
        _weights = weights;
        _biases = biases;
        _phrases = phrases;
        _dimensions = dimensions;
        _harmfulOddsFactor = harmfulOddsFactor;
    }

    public static async Task<MoveClassifier> CreateAsync(MoveCatalog catalog, IEmbeddingGenerator<string, Embedding<float>> embeddings, CancellationToken cancellationToken)
    {
        var examples = TrainingExamples(catalog);
        var texts = examples.Select(e => e.Text).ToList();
        return Train(texts, await EmbedAsync(embeddings, texts, cancellationToken), examples.Select(e => e.Label).ToList());
    }

    /// <summary>
    /// Embeds many texts quickly: sorted by length into small batches (little padding), the batches
    /// sent together so the encoder's workers share them across the cores. The vectors come back in
    /// the texts' order and do not depend on the batching.
    /// </summary>
    public static async Task<IReadOnlyList<float[]>> EmbedAsync(IEmbeddingGenerator<string, Embedding<float>> embeddings, IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        const int batchSize = 32;
        var order = Enumerable.Range(0, texts.Count).OrderBy(i => texts[i].Length).ThenBy(i => i).ToArray();
        var batches = order.Chunk(batchSize).ToArray();
        var generated = await Task.WhenAll(batches.Select(b => embeddings.GenerateAsync(b.Select(i => texts[i]), cancellationToken: cancellationToken)));
        var vectors = new float[texts.Count][];
        for (var b = 0; b < batches.Length; b++)
        {
            for (var j = 0; j < batches[b].Length; j++) vectors[batches[b][j]] = generated[b][j].Vector.ToArray();
        }
        return vectors;
    }

    /// <summary>The catalog's examples in a fixed order, labelled by their move's index in <see cref="Moves.All"/>.</summary>
    public static IReadOnlyList<(string Text, int Label)> TrainingExamples(MoveCatalog catalog)
        => catalog.Moves.SelectMany(m => m.Examples.Select(e => (Text: e, Label: Array.IndexOf(Moves.All, m.Key)))).ToList();

    /// <summary>Trains on already embedded examples (the benchmarks' cross-validation reuses one set of vectors).</summary>
    public static MoveClassifier Train(IReadOnlyList<string> texts, IReadOnlyList<float[]> embeddings, IReadOnlyList<int> labels,
        double harmfulOddsFactor = HarmfulOddsFactor, float l2Regularization = L2Regularization)
    {
        var dimensions = embeddings[0].Length;
        var phrases = texts.SelectMany(t => Phrases(t).Distinct()).GroupBy(p => p, StringComparer.Ordinal)
            .Where(g => g.Count() >= MinimumPhraseExamples).Select(g => g.Key).Order(StringComparer.Ordinal)
            .Select((p, i) => (p, i)).ToDictionary(x => x.p, x => dimensions + CueNames.Count + x.i, StringComparer.Ordinal);
        var featureCount = dimensions + CueNames.Count + phrases.Count;
        var rows = texts.Select((text, i) => new TrainingRow { Move = Moves.All[labels[i]], Features = Features(text, embeddings[i], phrases, featureCount) });

        var ml = new MLContext(seed: 0);
        var schema = SchemaDefinition.Create(typeof(TrainingRow));
        schema[nameof(TrainingRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        // The key order is Moves.All's, so the model's class i is Moves.All[i] whatever the examples' order.
        var keys = ml.Data.LoadFromEnumerable(Moves.All.Select(m => new MoveKey { Move = m }));
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label", nameof(TrainingRow.Move), keyData: keys).Fit(data).Transform(data);
        var trainer = ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
        {
            LabelColumnName = "Label",
            FeatureColumnName = nameof(TrainingRow.Features),
            L1Regularization = 0,
            L2Regularization = l2Regularization,
            OptimizationTolerance = 1e-5f,
            MaximumNumberOfIterations = 500,
            NumberOfThreads = 1, // one thread: the same weights on every start
        });
        var model = trainer.Fit(keyed).Model;

        VBuffer<float>[] weights = [];
        model.GetWeights(ref weights, out var classCount);
        if (classCount != Moves.All.Length) throw new InvalidOperationException($"The move model has {classCount} classes, not {Moves.All.Length}.");
        var dense = weights.Select(w => w.DenseValues().ToArray()).ToArray();
        return new MoveClassifier(dense, model.GetBiases().ToArray(), phrases, dimensions, harmfulOddsFactor);
    }

    public MoveClassification Classify(string reply, ReadOnlySpan<float> embedding)
    {
        var probabilities = Calibrate(RawProbabilities(reply, embedding), _harmfulOddsFactor);
        var best = 0;
        for (var c = 1; c < probabilities.Length; c++) if (probabilities[c] > probabilities[best]) best = c;
        var byMove = _classes.Select((m, i) => (m, p: Math.Round(probabilities[i], 4))).ToDictionary(x => x.m, x => x.p);
        return new MoveClassification(_classes[best], Math.Round(probabilities[best], 4), byMove);
    }

    /// <summary>How sure the reading of one clause on its own must be that it is harmful, for a harmful reading of the whole reply to stand.</summary>
    public const double ClauseConfirmsHarm = 0.5;

    /// <summary>A harmful reading of the whole reply this sure stands without a clause to confirm it.</summary>
    public const double HarmStandsAlone = 0.6;

    /// <summary>
    /// The reply's move as the judge hears it. A harmful reading of a reply of several clauses stands only when one of its
    /// clauses, read on its own (its vector pooled from the reply's own pass), is heard as harmful too: "Let me see. Yep, all
    /// twenty, and all right. Honestly, that was too easy for you, wasn't it?" was heard as sarcasm (0.58), and no part of
    /// it is ("Honestly, that was too easy for you, wasn't it?" alone is an open question). Otherwise the harmful moves are
    /// set aside and the rest share their probability. Every genuinely harmful reply of several clauses in the written
    /// suite has a clause that is harmful on its own ("Get a grip.", "Genius.", "How unexpected.").
    /// <para>
    /// A choice needs someone to choose. "When you pull two magnets apart, do you have to put energy in or does energy
    /// come out?" was heard as offering a choice (0.88: its "or" and its magnets are near "Do you want to do the experiment
    /// with the magnets or the batteries today?"), and the student answered "Later is fine". A reading as offering a
    /// choice stands only when the reply leaves something to the listener (<see cref="LeavesAChoice"/>) or is a bare
    /// pair of options ("Tea or coffee while we talk?"); otherwise it is set aside and its share goes to the kind moves.
    /// </para>
    /// <para>
    /// A proposal asked as a question is a plan: "What if she sits the March mock on Higher, and we look at it again after
    /// the results?" was heard as an open question (0.95), and the head of maths answered "Why are you asking me? I've told
    /// you the risk." A question that proposes (<see cref="ProposesInAQuestion"/>) gives the open question's share to
    /// planning together.
    /// </para>
    /// </summary>
    public MoveClassification Hear(EncodedReply reply)
    {
        var move = ByWording(reply.Text, Classify(reply.Text, reply.Vector));
        // A shrug is heard from the words of the whole ("Okay, fine. Move her then, it's your call." has no clause that gives in alone).
        if (GivesIn(reply.Text)) return move;
        if (move.Move == Moves.OfferChoice && !LeavesAChoice(reply.Text)) move = Without(move, m => m == Moves.OfferChoice);
        if (move.Move == Moves.OpenQuestion && ProposesInAQuestion(reply.Text)) move = Toward(move, Moves.OpenQuestion, Moves.PlanTogether);
        // An apology is not praise: "Come over here a sec, Jayden. I'm sorry, I should have thought about how that sheet looks."
        // was specific praise (0.47) and scored 33, and he answered "Don't try and butter me up." It owns what was done to them,
        // as acknowledging their feeling does; praise in so many words ("well done", "I noticed you") keeps its reading.
        if (move.Move == Moves.SpecificPraise && Apologies.In(reply.Text) && !NamedPraise.IsMatch(reply.Text))
            move = Toward(move, Moves.SpecificPraise, Moves.ValidateFeelings);
        // Telling them they have nothing to be ashamed of reassures them: "You've got nothing to be ashamed of, Maya." was heard
        // as sarcasm (0.71), "There's nothing to be ashamed of." as dismissal (0.49). Reporting someone else's pride, or wondering
        // about them, mocks nobody: "They have, and they're so proud of their books." was sarcasm (0.7), near the catalog's "You
        // must be so proud of that effort." A clause heard as harmful keeps the reading.
        if (Moves.IsHarmful(move.Move) && (Reassures(reply.Text) || SpeaksOfOthers(reply.Text)) && !AClauseConfirmsHarm(reply)) move = Without(move, Moves.IsHarmful);
        // A limit on what they did is not a brush-off of them: "It has to stop today, Liam. You're not a bad lad, but that name is
        // hurting him." was dismissal (0.35; "It has to stop today, Liam." alone 0.51) and scored 26. A clause heard as harmful
        // keeps the reading ("This has to stop. Honestly, get over it.").
        if (move.Move == Moves.Dismissal && LimitsTheBehaviour(reply.Text) && !AClauseConfirmsHarm(reply))
            move = Toward(move, Moves.Dismissal, Moves.SetLimit);
        // Saying it is not harmless fun names the harm ("...I don't think it's just banter for Theo."): the dismissal's share is
        // the teacher's view, explained. Read here, not clause by clause, as the concession and its denial are one clause.
        if (move.Move == Moves.Dismissal && DeniesItIsHarmless(reply.Text)) move = Toward(move, Moves.Dismissal, Moves.Explain);
        // Never a threat: "If you do that again, what do you think will happen?" can be one.
        if (move.HarmfulShare > 0 && move.HarmfulShare < HarmStandsAlone && move.Probabilities[Moves.Threat] < PremiseThreatAtMost
            && ReasonsFromAPremise(reply.Text)) return Without(move, Moves.IsHarmful);
        if (!Moves.IsHarmful(move.Move) || reply.Clauses.Count < 2) return move;
        if (AClauseConfirmsHarm(reply)) return move;
        // Sarcasm can live between the clauses: "Great, you wrote their sentences for them. What next, their names?" to the TA is
        // praise and a question read apart, and sarcasm (0.5) read whole. A reading as sarcasm of a reply that opens by
        // exclaiming praise or agreement stands without a clause to confirm it.
        if (move.Move == Moves.Sarcasm && PraiseOpener.IsMatch(reply.Text)) return move;
        // A sure reading stands unless every clause is surely kind, or the clause it came from is plainly kind by its words:
        // "They have, and they're so proud of their books. ... I wonder if they're leaning on us for the tricky bits. What do
        // you think?" to the TA was sarcasm (0.91) from its first and third clauses (0.65, 0.76), which report the children's
        // pride and wonder about them; read as the judge hears them, no clause is harmful.
        if (move.Confidence < HarmStandsAlone || reply.Clauses.Any(ExcusedByItsWords)) return Without(move, Moves.IsHarmful);
        return reply.Clauses.All(c => SurelyNotHarmful(Classify(c.Text, c.Vector))) ? Without(move, Moves.IsHarmful) : move;
    }

    /// <summary>A reply that opens by exclaiming praise or agreement: "Great, ...", "Brilliant, ...", "Honestly, you're amazing.", "You're so right, ...".</summary>
    private static readonly Regex PraiseOpener = new(
        @"^\W*((oh|wow|honestly),?\s+)?((great|brilliant|amazing|fantastic|wonderful|lovely|perfect|marvellous|excellent|super|superb)[,.!]|you['’]re (so |just |absolutely )?(right|amazing|brilliant|wonderful|a genius)[,.!])", Rx);

    /// <summary>A premise question read as a threat at this or more keeps its harmful reading.</summary>
    public const double PremiseThreatAtMost = 0.1;

    /// <summary>
    /// Whether the reply is one question that reasons from a premise, theirs or the lesson's ("If it's biased, what could it still
    /// tell us?", "So if wool made heat, what would a thermometer in the scarf show?"): how a teacher probes. The catalog has few
    /// such questions, and that one was heard as sarcasm (0.51) and scored 29 to Diego. A harmful reading of it short of sure
    /// (its harmful moves together) is set aside; a sure one ("If you're so clever, why don't you teach the class?") stands, and so does a put-down in it or
    /// a reading of it as a threat at <see cref="PremiseThreatAtMost"/> or more.
    /// </summary>
    public static bool ReasonsFromAPremise(string reply)
        => PremiseQuestion.IsMatch(reply) && !HasPutDown(reply);

    private static readonly Regex PremiseQuestion = new(
        @"^\W*((so|and|okay|ok|right|then),?\s+)?if\b[^.!?]{2,100},\s*(then\s+)?(what|how|why|where|who|which|whose|could|would|does|do|is|are|can|should|will)\b[^.!?]*\?\s*$", Rx);

    /// <summary>How sure the reading of a clause alone must be of a move that is not harmful, with harm at most the rest, for it to clear a sure harmful reading of the whole.</summary>
    public const double ClauseSurelyNotHarmful = 0.9;

    private static bool SurelyNotHarmful(MoveClassification heard)
        => !Moves.IsHarmful(heard.Move) && heard.Confidence >= ClauseSurelyNotHarmful
            && heard.Probabilities.Where(p => Moves.IsHarmful(p.Key)).Sum(p => p.Value) <= 1 - ClauseSurelyNotHarmful;

    private bool AClauseConfirmsHarm(EncodedReply reply) => reply.Clauses.Any(c => ConfirmsHarm(HearClause(c.Text, c.Vector)));

    /// <summary>A clause the classifier alone hears as harmful and the judge, reading its words, does not.</summary>
    private bool ExcusedByItsWords(EncodedClause clause) => ConfirmsHarm(Classify(clause.Text, clause.Vector)) && !ConfirmsHarm(HearClause(clause.Text, clause.Vector));

    /// <summary>
    /// One clause of a reply as the judge hears it: the classifier's reading, except that a clause that limits a behaviour
    /// (<see cref="LimitsTheBehaviour"/>) read as a dismissal is a limit ("It has to stop today, Liam." was dismissal 0.51).
    /// </summary>
    public MoveClassification HearClause(string clause, ReadOnlySpan<float> vector)
    {
        var heard = ByWording(clause, Classify(clause, vector));
        // A clause that reassures them carries no harm at all: "You're not a bad lad, but that name is hurting him." was dismissal
        // 0.25 read alone, enough to keep Liam's limit from counting as a kind reply.
        if (heard.HarmfulShare > 0 && Reassures(clause)) return Without(heard, Moves.IsHarmful);
        if (Moves.IsHarmful(heard.Move) && SpeaksOfOthers(clause)) return Without(heard, Moves.IsHarmful);
        return heard.Move == Moves.Dismissal && LimitsTheBehaviour(clause) ? Toward(heard, Moves.Dismissal, Moves.SetLimit) : heard;
    }

    /// <summary>The reading corrected by what the words plainly do: say who must be told, dare, refuse or shame, offer on their terms, minimise a feeling, give in.</summary>
    private static MoveClassification ByWording(string text, MoveClassification heard) => GaveIn(text, Minimised(text, OnTheirTerms(text, Refused(text, Dared(text, Confided(text, heard))))));

    /// <summary>
    /// Giving in with a shrug hands the matter back and leaves it: "Fine, put her on Foundation then." to the head of maths was
    /// heard as neutral (0.61) and scored 62, near "If she's below a secure 4 in March, I'll back the move to Foundation." by its
    /// topic. The reading's share goes to dismissal. "Fine, let's look at it again after the mock then." agrees to a plan.
    /// </summary>
    private static MoveClassification GaveIn(string text, MoveClassification heard)
        => !GivesIn(text) ? heard : KindToDismissal(heard);

    /// <summary>The reading with every kind move's share given to dismissal: the words, not the classifier's guess, say what it does.</summary>
    private static MoveClassification KindToDismissal(MoveClassification move)
    {
        var kind = move.Probabilities.Where(p => !Moves.IsHarmful(p.Key)).Sum(p => p.Value);
        return Likeliest(move.Probabilities.ToDictionary(p => p.Key, p => p.Key == Moves.Dismissal ? Math.Round(p.Value + kind, 4) : Moves.IsHarmful(p.Key) ? p.Value : 0));
    }

    /// <summary>
    /// Whether the reply gives in with a shrug: "Fine, put her on Foundation then.", "Have it your way.", "Suit yourself.", "Fine,
    /// do what you want.", "Fine, whatever, call him what you like then.". Dropping the matter is one too: "I don't think you're a
    /// bad lad, so let's just forget it." to Liam was heard as explaining (0.57) and scored 61.
    /// </summary>
    public static bool GivesIn(string reply) => Shrug.IsMatch(reply) || DropsIt.IsMatch(reply);

    private static readonly Regex DropsIt = new(
        @"\b(let['’]?s|we['’]ll|we can|we could) (just )?(forget (about )?(it|this|that|all that)|say no more about (it|this|that)|drop (it|this|that)|leave it at that)(?=\s*([.!,]|$))", Rx);

    private static readonly Regex Shrug = new(
        @"^\W*(ok(ay)?,?\s+)?(fine|whatever)[,.!]+\s+(\w+\s+){0,2}?(put|move|do|have|take|give|send|make|keep|drop|enter|leave)\b[^.?!]*\bthen\b"
        + @"|\b(have it your way|suit yourself|if you say so|whatever you say)\b"
        + @"|(^\W*|[.!?]\s+|\b(fine|whatever),?\s+|\bjust\s+)(do|call (him|her|them|it)|say|think|believe) (what|whatever) you (want|like)\b(?!\s+(with|for|in|on|at|about))", Rx);

    /// <summary>A put-down said to someone ("You're useless"), not one reported or denied ("doesn't always mean useless").</summary>
    private static bool HasPutDown(string text) => PutDown.Matches(text).Any(m => !ReplyIntegrity.Excused(text, m));

    private static bool ConfirmsHarm(MoveClassification clause) => Moves.IsHarmful(clause.Move) && clause.Confidence >= ClauseConfirmsHarm;

    /// <summary>
    /// Telling them it is not so bad, to cheer up, or that they will be fine, without first naming how they feel, brushes the
    /// feeling off: "Cheer up, Sofia. Pickles wouldn't want you to be sad." was heard as validating (0.92) and scored 71, "It's
    /// not that bad, Priya. Everyone finds question 7 hard." 77, and "You'll be fine. Off you go to lunch." was heard as a
    /// threat (0.91). The reading's kind or threatening share goes to dismissal. "That sounds really scary. You'll be fine
    /// though." names the feeling first and keeps its reading.
    /// </summary>
    private static MoveClassification Minimised(string text, MoveClassification heard)
        => CallsItHarmless(text) ? KindToDismissal(heard)
            : !(Minimises(text) || StopsAFeeling(text)) || heard.Move is Moves.Dismissal or Moves.Sarcasm ? heard : Toward(heard, heard.Move, Moves.Dismissal);

    /// <summary>
    /// Whether the teacher concludes, in a sentence of their own, that what was raised is harmless fun: "Okay, I suppose a
    /// nickname's harmless if he's laughing too." (neutral 0.49, scored 74 to Liam), "Sounds like it's all in good fun then."
    /// (57), "True, he laughs, so it's probably harmless." (revoicing 0.81, 63). Not asked ("So it's just banter?"), reported
    /// ("You say it's just banter."), denied ("I don't think it's just banter for Theo.") or conceded ("Even if it's just a laugh
    /// to you, ...").
    /// Every kind share goes to dismissal, as giving in does: "He seems fine with it, so it's harmless enough." kept 0.42 as
    /// dismissal with the top share alone moved, and scored 43.
    /// </summary>
    public static bool CallsItHarmless(string reply)
    {
        // Their words said back in a frame ("So you're saying ... It's banter. ... Tell me more.") are theirs throughout.
        if (SaysBack.IsMatch(reply)) return false;
        foreach (Match sentence in Sentence.Matches(reply))
        {
            var text = sentence.Value.Trim();
            if (text.EndsWith('?') || ReportedSpeech.Opens(text)) continue;
            var concluded = HarmlessFun.Match(text);
            if (!concluded.Success) continue;
            var before = text[..concluded.Index];
            if (Negation.IsMatch(before) || Conceding.IsMatch(before) || SomeoneElseCallsIt.IsMatch(before)) continue;
            return true;
        }
        return false;
    }

    /// <summary>
    /// Whether the teacher says, in a statement, that it is not harmless fun: "Even though he laughs along, I don't think it's
    /// just banter for Theo." was heard as dismissal (0.76) and scored 32. Naming the harm is the opposite of brushing it off.
    /// </summary>
    public static bool DeniesItIsHarmless(string reply)
        => Sentence.Matches(reply).Any(s => !s.Value.TrimEnd().EndsWith('?') && NotHarmlessFun.IsMatch(s.Value)) && !HasPutDown(reply);

    private static readonly Regex NotHarmlessFun = new(
        @"\b((it|that|this|the nickname|the name)\s*(['’]s|is|was)\s+not|(it|that|this|the nickname|the name)\s+(isn['’]t|wasn['’]t)|(don['’]t|do not) think (it['’]s|it is|that['’]s|that is|this is|it was|that was))\s+(just |only |really |all |simply )?(harmless|(all )?in good fun|(a bit of )?(fun|banter|a laugh|a joke))\b", Rx);

    private static readonly Regex Sentence = new(@"[^.!?]+[.!?]*", Rx);

    private static readonly Regex SaysBack = new(@"\b(you['’]re saying|you are saying|what i['’]m hearing|you said|you told me|you think|you reckon)\b", Rx);

    private static readonly Regex HarmlessFun = new(
        @"\b(it['’]s|that['’]s|it is|that is|this is|it was|that was|(a |the )?(nickname|name|banter)(['’]s| is))\s+(probably |just |all |only |really |pretty |totally |completely )?(harmless|(all )?in good fun|(just )?(a bit of )?(fun|banter|a laugh|a joke|messing about|messing around))\b", Rx);

    private static readonly Regex Negation = new(@"\b(not|never|no longer)\b|n['’]t\b", Rx);

    private static readonly Regex Conceding = new(@"\b(even if|even though|even when|although|though|whether or not)\b", Rx);

    private static readonly Regex SomeoneElseCallsIt = new(@"\b(you|he|she|they|everyone|people)\s+(say|says|said|think|thinks|thought|call|calls|called|reckon|reckons|might think|may think)\b|\bto (you|him|them)\b|\bfor you\b", Rx);

    /// <summary>
    /// A limit put on a feeling or a complaint brushes the speaker off: "The crying has to stop now, sweetheart." to Sofia, whose
    /// dog had died, was heard as setting a limit (0.93). "It has to stop" said of what was done is a limit (<see cref="LimitsTheBehaviour"/>).
    /// </summary>
    private static bool StopsAFeeling(string text) => FeelingMustStop.IsMatch(text);

    private static readonly Regex FeelingMustStop = new(
        @"\b(" + FeelingOrComplaint + @")\s+(still\s+)?((has to|have to|needs to|need to|must|is going to|will)\s+(stop|end)|(stops|ends) (now|today|here))\b", Rx);

    /// <summary>
    /// Whether the reply minimises what they feel or raise ("Cheer up.", "It's not that bad.", "You'll be fine.", "You can get a new
    /// puppy!", "You should go to bed earlier then.", a sentence of "Nobody got hurt.") and names no feeling of theirs first. "You
    /// should go to bed earlier then." to a tired boy scored 46 (neutral 0.63), and "It was fine. Nobody got hurt." to the mentor who
    /// said the lab was not safe 49 (validating, 0.47). "Luckily nobody got hurt, but it wasn't safe." concedes, and is not one.
    /// </summary>
    public static bool Minimises(string reply) => Minimising.IsMatch(reply) && !FeelingWords.IsMatch(reply) && !NamesTheirFeeling.IsMatch(reply);

    private static readonly Regex NamesTheirFeeling = new(
        @"\b(that|it|this) (sounds|must (be|feel)|is|was) (really |so |very )?(scary|hard|awful|frightening|upsetting|tough|horrible|sad|frustrating|worrying|lonely)\b|\byou['’]re (really |so |very )?(sad|worried|scared|upset|frightened|cross|angry|nervous)\b", Rx);

    private static readonly Regex Minimising = new(
        @"\b(cheer up|it['’]s not (that|so) bad|(it['’]s |it is )?(probably )?not as bad as (you think|it seems|it looks)|(wouldn['’]t|would not) want you to be sad|look on the bright side|you['’]ll be (fine|okay|ok|alright|all right)\b(?! if)|don['’]t be sad|(get|have) (a|another) new (puppy|dog|cat|pet|one)|it could be worse|you (just need to|should just|ought to just) (practi[sc]e|try harder|work harder|go to bed|get (more |some )?sleep|get over|calm down|relax|focus|revise|toughen up)"
        + @"|you should (practi[sc]e|try harder|work harder|go to bed|get (more |some )?sleep|revise)[^.!?]{0,20}\bthen\s*([.!]|$)"
        + @"|(^|[.!?]\s+)((well|look|but|honestly),?\s+)?(no ?one|nobody|no-one) (got|was) hurt\s*([.!]|$|,?\s+so\b))", Rx);

    /// <summary>
    /// A conditional on their wish or for when it gets hard, that offers something, is not a threat: "If you need to check it,
    /// you can step outside and I'll cover for you." was heard as a threat (0.89) to Amara, "If your head goes blank again, put
    /// your pencil down and take three breaths." (0.97) to Priya, "If you'd rather sit in the hall, I'll talk to the exams
    /// officer about a desk at the back." (0.50) to Tobi: the "if you ..., I'll" of "If you do that again, I'll ring your mum".
    /// The threat's share goes to the kind moves.
    /// </summary>
    private static MoveClassification OnTheirTerms(string text, MoveClassification heard)
        => heard.Probabilities[Moves.Threat] > 0 && OffersOnTheirTerms(text) ? Without(heard, m => m == Moves.Threat) : heard;

    /// <summary>
    /// Whether the reply's condition is the listener's wish ("If you'd like, I'll...", "If you want the proper one, you can have
    /// it") and what follows offers something, or the condition is a hard moment it helps with ("If your head goes blank...",
    /// "If it gets too much..."); never with a sanction in it or a condition on what they do wrong ("If you want to keep it,
    /// you'll be in isolation.", "If you don't tidy up, I'll...").
    /// </summary>
    public static bool OffersOnTheirTerms(string reply)
        => (WishThenOffer.IsMatch(reply) || HardMoment.IsMatch(reply)) && !Sanction.IsMatch(reply) && !MisdeedCondition.IsMatch(reply);

    private static readonly Regex WishThenOffer = new(
        @"\bif (you|you['’]d|you would)\s+(ever |really |still )?(want|wanna|like|rather|prefer|need|feel ready|are ready)\b[^.?!]{0,80}?\b(you can|you could|you['’]re welcome|i['’]ll|i will|i can|i could|we can|we could|we['’]ll|let['’]s|i['’]m)\b", Rx);

    private static readonly Regex HardMoment = new(
        @"\bif (your (head|mind) (goes|go) blank|it (gets|feels|starts to feel) (too much|too hard|hard|scary|bad|overwhelming)|you (feel|start to feel|get|are|['’]re) (panicky|worried|scared|upset|overwhelmed|stuck|anxious|wobbly|unsure|not sure)|you get stuck)\b", Rx);

    private static readonly Regex Sanction = new(
        @"\b(isolation|detention|exclu\w*|suspen\w*|(phone|call|ring)(ing)? (home|your)|lose|losing|no (more )?(lego|break|play|golden time|trip|phone)|consequences?|sanctions?|head ?teacher|report(ing)? you|in trouble|confiscat\w*|take (it|your \w+) (off|away)|send you|sent (out|home|to))\b", Rx);

    private static readonly Regex MisdeedCondition = new(
        @"\bif (you|you['’]re)\s+(don['’]t|do not|won['’]t|will not|refuse|carry on|keep|do that|say that|ever do|ever say|can['’]t behave|still (don['’]t|won['’]t))\b|\bor else\b", Rx);

    /// <summary>
    /// Saying honestly who must be told if they are not safe explains the limits of confidentiality; it threatens nothing: "If
    /// it's serious, I'll have to tell someone who can help, and I'll tell you first." to Leah was heard as a threat (0.37; its
    /// first clause dismissal 0.53, near "I'll have to tell your mum") and scored 42 once it was not capped as off-topic. The threat's and the dismissal's shares go
    /// to explaining. A condition on what they do ("If you do that again, I'll have to tell your mum.") is not one, nor is telling
    /// as a sanction ("ring your mum", "you'll get into trouble", "you'd better").
    /// </summary>
    private static MoveClassification Confided(string text, MoveClassification heard)
        => heard.HarmfulShare == 0 || !WhoMustBeTold.IsMatch(text) || HasPutDown(text) || Sanction.IsMatch(text) || Pressure.IsMatch(text)
            ? heard
            : Toward(Toward(heard, Moves.Threat, Moves.Explain), Moves.Dismissal, Moves.Explain);

    /// <summary>Telling them they will be in trouble or had better comply: "If it's serious you'll get into trouble, so I'll have to tell your mum."</summary>
    private static readonly Regex Pressure = new(@"\b(you['’]?d better|or else|(in|into) trouble)\b", Rx);

    private static readonly Regex WhoMustBeTold = new(
        @"\bif (it['’]s|it is|this is|that['’]s|you['’]re|you are|you might be|you['’]re ever|i['’]m|i am|i think|i feel|anyone|someone)\b[^.!?]{0,40}\b(serious|safe|unsafe|danger|hurt\w*|harm\w*|at risk|worried|scared)\b[^.!?]{0,30}\bi(['’]ll| will| would|['’]d)? (have to|need to|must|can['’]t keep)\b", Rx);

    /// <summary>
    /// Daring them to see what a sanction feels like is a threat, whatever it sounds like: "Fine. Keep it, and see how you like a
    /// week in isolation." to Amara was heard as planning together (0.67) and scored 61. The kind reading's share goes to the
    /// threat. "Let's see how you feel after a drink of water." dares nothing.
    /// </summary>
    private static MoveClassification Dared(string text, MoveClassification heard)
        => !Moves.IsHarmful(heard.Move) && Dare.IsMatch(text) ? Toward(heard, heard.Move, Moves.Threat) : heard;

    private static readonly Regex Dare = new(@"\bsee how (you|he|she|they) (like|likes|enjoy|enjoys) (it|that|this|being|having|a|an|the|no|missing|losing|spending|sitting)\b", Rx);

    /// <summary>
    /// A reply that refuses to hear them or shames them is a dismissal, whatever else it sounds like: "Nobody wants to hear
    /// your excuses." was heard as validating their feelings (0.96; "hear" and "you" are near "I hear you") and scored 48 to
    /// Liam, and "You should be ashamed of yourself." (0.71) 22. The kind reading's share goes to dismissal.
    /// </summary>
    private static MoveClassification Refused(string text, MoveClassification heard)
        => !Moves.IsHarmful(heard.Move) && RefusesOrShames(text) ? Toward(heard, heard.Move, Moves.Dismissal) : heard;

    /// <summary>
    /// Whether the reply refuses to hear the listener ("Nobody wants to hear your excuses.", "I don't want to hear it.", "Spare
    /// me.") or shames them ("You should be ashamed of yourself.", "Shame on you."). "There's nothing to be ashamed of." and
    /// "I don't want excuses, I want to hear your side." do neither.
    /// </summary>
    public static bool RefusesOrShames(string reply) => RefusalOrShame.IsMatch(reply);

    private static readonly Regex RefusalOrShame = new(
        @"\b(nobody|no one|no-one) (wants|cares|needs|asked) to hear\b|\b(i|we) (don['’]?t|do not|didn['’]?t) (want|need|care) to hear (it|that|this|your|any|another|them|you)\b|\bspare me\b|\b(you|he|she|they) (should|ought to) be (so |really |very )?ashamed\b|\bshame on you\b", Rx);

    /// <summary>
    /// Whether the reply tells the listener they have nothing to be ashamed or embarrassed of ("There's nothing to be ashamed
    /// of.", "You shouldn't feel embarrassed.", "There's no shame in asking.", "You've done nothing wrong."): a reassurance,
    /// however near "It's nothing to cry about." it sits.
    /// </summary>
    public static bool Reassures(string reply)
        => (Reassurance.IsMatch(reply) || (NotBad.IsMatch(reply) && !Sanction.IsMatch(reply))) && !RefusesOrShames(reply) && !HasPutDown(reply);

    /// <summary>
    /// Telling them they are not bad ("You're not a bad lad", "I don't think you're a bad person"): "and I don't think you're a bad
    /// lad." alone was a threat (0.85). Granting that they meant no harm does the same: "Maybe you don't mean any harm. It still
    /// can't carry on." was dismissal (0.78) and "I'm not saying you're a bad lad. But that has to end now." dismissal (0.55) to
    /// Liam, both scoring 21. "I'm sure you mean well, but..." is not among them: it is how a brush-off opens. Nor is granting a
    /// colleague that she means to help: "I know you're only trying to help them." was sarcasm and dismissal 0.35 together, so
    /// the TA's warning "You're basically doing their work for them." was quoted as what it cost.
    /// </summary>
    private static readonly Regex NotBad = new(
        @"\b(you['’]re not|you are not|you aren['’]t|(don['’]t|do not) think (you['’]re|you are)|nobody thinks (you['’]re|you are)|i['’]m not (saying|calling you|suggesting) (you['’]re |you are )?) ?(a )?(bad|nasty|horrible|mean|cruel) (lad|kid|boy|girl|person|child|pupil|student|egg|man|woman|friend|sort)\b"
        + @"|\bi['’]m not (calling you|saying you['’]re|saying you are) a (bully|liar|cheat)\b"
        + @"|\byou (might|may|probably) not (have )?(mean|meant) (it|any harm|anything)\b|\b(maybe|perhaps) you (don['’]t|didn['’]t|do not|did not) mean (it|any harm|anything)\b"
        + @"|\b(i (believe|know|think|can see|accept|get that)|i['’]m sure) (that )?you (don['’]t|didn['’]t|did not|do not|never) (mean|meant) (it )?(nastily|badly|unkindly|as a put-down|to hurt|any harm|to upset)\b"
        + @"|\bi (don['’]t|do not) think you(\s+(mean|meant|were being|are being)|['’]re being) (it )?(to hurt|nastily|cruel|unkind|nasty)"
        + @"|\bi (know|can see|understand|get that) (that )?you['’]re (only |just )?trying to help\b", Rx);

    /// <summary>
    /// Whether a clause speaks about someone else, kindly, and not at the listener: it reports their pride ("They're so proud of
    /// their books." was sarcasm 0.65, near the catalog's "You must be so proud of that effort.") or wonders about them ("I wonder
    /// if they're leaning on us for the tricky bits.", sarcasm 0.76). Not with "you" in it ("I wonder if you'll ever learn."),
    /// "ever", a put-down, or words that talk their work down ("He's so proud of his scribbles, bless him.").
    /// </summary>
    public static bool SpeaksOfOthers(string clause)
        => (ReportedPride.IsMatch(clause) || (Wondering.IsMatch(clause) && !Ever.IsMatch(clause))) && !ToTheListener.IsMatch(clause) && !HasPutDown(clause)
            && !Belittles.IsMatch(clause);

    private static readonly Regex ReportedPride = new(
        @"\b(they|he|she)\s*(['’]re|['’]s|are|is|was|were|seem|seems|seemed|looked|looks|felt|feels)\s+(so |really |very |ever so |genuinely |clearly |quite )?(proud|pleased|chuffed|excited)\b", Rx);

    private static readonly Regex Wondering = new(@"^\W*((and|so|but|now),?\s+)?i (just |do |sometimes )?wonder (if|whether|what|why|how)\b", Rx);

    private static readonly Regex ToTheListener = new(@"\b(you|your|yours|yourself)\b", Rx);

    private static readonly Regex Ever = new(@"\bever\b", Rx);

    /// <summary>Words that talk down someone's work: "He's so proud of his scribbles, bless him." mocks the child.</summary>
    private static readonly Regex Belittles = new(@"\b(bless (him|her|them)|scribbl\w*|scrawl\w*|little effort|masterpiece)\b", Rx);

    private static readonly Regex Reassurance = new(
        @"\b(nothing|no need|no reason) (at all )?(to be|to feel|for you to (be|feel)) (ashamed|embarrassed)\b|\bno shame in\b|\b(shouldn['’]?t|don['’]?t|do not|never) (need to )?(be|feel) (ashamed|embarrassed)\b|\byou['’]?(ve| have) done nothing wrong\b", Rx);

    /// <summary>
    /// Whether the reply says that a behaviour has to stop ("It has to stop today.", "That name needs to stop.", "Name-calling
    /// stops now."), states the class's rule for it ("We don't push.") or gives the hurt as the reason ("Pushing hurts people."):
    /// a limit on what was done. Not when what must stop is a feeling or a complaint ("Your crying has to stop.",
    /// "This moaning needs to stop."), nor with a put-down in it: those brush the speaker off.
    /// </summary>
    public static bool LimitsTheBehaviour(string reply)
        => (BehaviourStops.IsMatch(reply) || ClassNorm.IsMatch(reply) || HurtIsTheReason.IsMatch(reply)) && !FeelingStops.IsMatch(reply) && !HasPutDown(reply);

    /// <summary>The class's rule for what was done: "We don't push, Leo." (dismissal 0.85 alone; the catalog's "We don't throw things in here." is a limit).</summary>
    private static readonly Regex ClassNorm = new(
        @"\bwe (don['’]t|do not|never) (push|hit|kick|bite|snatch|shove|grab|throw|hurt|spit|scratch|pinch|punch|trip|swear|call (people|each other|anyone|him|her|them) names|use that word|say that)\b", Rx);

    /// <summary>The hurt as the reason for the rule: "Pushing hurts people." (dismissal 0.68 alone), "Pushing still isn't okay."</summary>
    private static readonly Regex HurtIsTheReason = new(
        @"(^|[.!?;]\s+)\W*[a-z]+ing (\w+ )?(hurts|can hurt|could hurt|is (dangerous|unkind|not kind|not safe|not okay|not ok|not allowed)|isn['’]t (kind|safe|okay|ok|allowed))\b", Rx);

    /// <summary>
    /// "It has to stop", "That name still needs to stop", "It still can't carry on", "That has to end now", "I still need it to
    /// stop today", "Name-calling stops now": "I hear you. It still has to stop." was heard as a dismissal (0.48 alone).
    /// </summary>
    private static readonly Regex BehaviourStops = new(
        @"\b(it|this|that|the [\w-]+|that [\w-]+|name-calling|[a-z]+ing)\s+(still\s+|really\s+)?((has to|have to|needs to|need to|must|is going to|will|is to)\s+(stop|end)\b|(can['’]t|cannot|can not|won['’]t)\s+(carry on|go on|keep happening|continue)\b)"
        + @"|\b(it|this|that|[\w-]+ing) (stops|ends) (now|today|here)\b"
        + @"|\bneed (it|this|that|the [\w-]+|that [\w-]+) to stop\b", Rx);

    /// <summary>What must stop when a limit is put on a feeling or a complaint, not on what was done.</summary>
    private const string FeelingOrComplaint = @"cry|crying|tears|moan|moaning|whin(e|ing)|sulk|sulking|fuss|drama|complain|complaining|attitude|excuses";

    private static readonly Regex FeelingStops = new(@"\b(" + FeelingOrComplaint + @"|going on|feeling sorry)\b", Rx);

    /// <summary>
    /// The move as <see cref="Hear"/> hears it, except that a harmful reading no clause confirms, of a reply that names an
    /// adult by title, must survive the names written "someone" (<see cref="TitledNames.WithoutNames"/>): who is named does
    /// not change what a reply does, and MiniLM leans hard on a name. "We'll go and see Mr Osei together now, and I'll stay
    /// with you. You won't be on your own with this." to Leah after her disclosure was heard as a threat (0.80; its clauses
    /// alone are a plan and reassurance), as the catalog's threats to send a child to a named adult are near it; naming Mrs
    /// Khan instead it is a plan. A threat in a clause of its own ("If you do that again, you're going to Mr Osei.") is
    /// never read again. Embeds once more only then.
    /// <para>
    /// Calling to them does not change what a reply does either: a harmful reading of a reply with an "Oh" or "Aw" said to
    /// them ("Oh, Bia.", "Oh, sweetheart,", "Oh no,") must survive it taken out. "Oh, Bia. You are not stupid. Look, we draw
    /// together." was sarcasm (0.47; "Oh, Bia." alone 0.99) and "Oh, sweetheart, a blank head is horrible. It happens to loads
    /// of people." sarcasm (0.62): the catalog's sarcasm opens with "Oh" so often ("Oh wonderful, you've graced us with your
    /// presence.") that MiniLM hears it before the words. Only before a name, an endearment, "no" or "dear": "Oh great, the
    /// comedian's back." is sarcasm because of its "Oh great" (without it, neutral), and keeps it.
    /// </para>
    /// </summary>
    public async Task<MoveClassification> HearAsync(EncodedReply reply, Func<string, CancellationToken, Task<EncodedReply>> encode, CancellationToken cancellationToken)
    {
        var move = Hear(reply);
        if (!Moves.IsHarmful(move.Move)) return move;
        var named = TitledNames.In(reply.Text).Count > 0 && !AClauseConfirmsHarm(reply);
        var exclaims = Interjection.IsMatch(reply.Text);
        if (!named && !exclaims) return move;
        var plain = named ? TitledNames.WithoutNames(reply.Text) : reply.Text;
        if (exclaims) plain = WithoutInterjections(plain);
        if (plain.Trim().Length == 0) return move;
        var reread = Hear(await encode(plain, cancellationToken));
        return Moves.IsHarmful(reread.Move) ? move : reread;
    }

    /// <summary>The reply without the "Oh" or "Aw" that calls to them ("Oh, Bia. Oh no, your pen!" is "Bia. no, your pen!").</summary>
    public static string WithoutInterjections(string reply) => Interjection.Replace(reply, "");

    private static readonly Regex Interjection = new(
        @"(?<=^\W*|[.!?]\s+)(oh+|aw+|ah+)[,!]?\s+(?=(no|dear)\b|(sweetheart|love|darling|sweetie|sweetpea|pet|mate|honey|poppet|lovey|my love|my goodness)\b|(?-i:[A-Z][a-z]+)[,.!])", Rx);

    /// <summary>
    /// Whether a question puts forward something to do, in a proposing frame: "Why don't we put it on the shelf so it's
    /// safe?", "What if you kept it face down on my desk?", "What if she sits the March mock on Higher, and we look at it
    /// again after the results?", "How about I check in with him at registration...?", "What about trying...". Read from the
    /// frame, not from a clause that sounds like a plan: a teacher's "And we've already kind of talked about angles, right?"
    /// before a question to the class is heard as one, and proposes nothing. "What if you're wrong about her?", "What if she failed it?", "What if it doesn't work?"
    /// and "Why don't you want to come to the carpet?" ask; they propose nothing.
    /// </summary>
    public static bool ProposesInAQuestion(string reply) => ProposalFrame.IsMatch(reply);

    private static readonly Regex ProposalFrame = new(
        @"\b(why don['’]?t we|what if (we|i)\b(?!['’]?(m|re)\b| am\b| are\b)|what if (she|he) (sits|takes|tries|keeps|stays|starts|uses|moves|joins|works|practi[sc]es|does the|sees)\b|what if (you|she|he|they) (kept|sat|took|wrote|came|gave|began|brought|sent|spent|put|let|chose|tried|started|stayed|used|moved|worked|practi[sc]ed|asked|talked|showed|checked|joined|waited|skipped|looked|swapped|split|paired|got to|had a (go|turn|try))\b|(how|what) about ((i|you) \w+|we|if|trying|starting|doing|using|keeping|putting|moving|sitting)\b|(how|what) about (it|this|that|she|he|they|your \w+|the \w+) (sits|stays|goes|lives|waits|comes|starts)\b)", Rx);

    /// <summary>The reading with <paramref name="from"/>'s probability given to <paramref name="to"/>.</summary>
    private static MoveClassification Toward(MoveClassification move, string from, string to)
        => Likeliest(move.Probabilities.ToDictionary(p => p.Key, p => p.Key == from ? 0 : p.Key == to ? Math.Round(p.Value + move.Probabilities[from], 4) : p.Value));

    /// <summary>A reading from its probabilities: the likeliest move and how likely.</summary>
    private static MoveClassification Likeliest(Dictionary<string, double> probabilities)
    {
        var best = Moves.All.MaxBy(m => probabilities[m])!;
        return new MoveClassification(best, probabilities[best], probabilities);
    }

    /// <summary>
    /// Whether a reply leaves a decision to the listener: its wording gives them the say ("would you rather", "you can",
    /// "whichever", "what suits you", "if you'd prefer") or it is a short question between options and nothing else (at most
    /// <see cref="BareChoiceWords"/> words, "Pen or pencil?"). Every offer of a choice in the catalog and in the held-out
    /// replies does one or the other; a question about how the world works ("does it sink or float?") does neither.
    /// </summary>
    public static bool LeavesAChoice(string reply)
        => ListenerDecides.IsMatch(reply) || (BareOptions.IsMatch(reply) && WordPattern.Count(reply.ToLowerInvariant()) <= BareChoiceWords);

    /// <summary>The longest reply read as a bare pair of options ("Tea or coffee while we talk?" has five words).</summary>
    public const int BareChoiceWords = 8;

    private static readonly Regex ListenerDecides = new(
        @"\b(you can|you could|you may|you['’]re (welcome|free)|you are (welcome|free)|(is|are) free|would you (like|rather|prefer)|do you (want|fancy|prefer)|would .{1,60}\b(suit|work|help|be easier)|what (suits|works)|(suits|works for) you|which (one|would|do|works|suits|feels|you)|whichever|either|your (choice|call|decision)|up to you|you (choose|decide|pick|get to)|\b(choose|pick|prefer|decide)\b|shall (i|we)|if you(['’]d| would)? (like|prefer|rather|want|need)|if you['’]d rather|if (it['’]s|it is) easier|if it helps|options?|we (can|could)|i can|or (i|we))\b", Rx);

    /// <summary>Options asked about: "... or ...?" ("Book away, or it's mine until Friday." offers nothing).</summary>
    private static readonly Regex BareOptions = new(@"\bor\b[^.!]*\?", Rx);

    /// <summary>
    /// The reading with the moves <paramref name="setAside"/> picks out removed, their probability shared among the kind
    /// moves in proportion: a reading set aside never makes a harmful one surer ("If you start at your –", no choice,
    /// must not become a sure threat).
    /// </summary>
    private static MoveClassification Without(MoveClassification move, Func<string, bool> setAside)
    {
        var harmfulKept = move.Probabilities.Where(p => !setAside(p.Key) && Moves.IsHarmful(p.Key)).Sum(p => p.Value);
        var kind = move.Probabilities.Where(p => !setAside(p.Key) && !Moves.IsHarmful(p.Key)).Sum(p => p.Value);
        if (kind <= 0) return move;
        var probabilities = move.Probabilities.ToDictionary(p => p.Key, p =>
            setAside(p.Key) ? 0 : Moves.IsHarmful(p.Key) ? p.Value : Math.Round(p.Value / kind * (1 - harmfulKept), 4));
        var best = Moves.All.Where(m => !setAside(m)).MaxBy(m => probabilities[m])!;
        return new MoveClassification(best, probabilities[best], probabilities);
    }

    /// <summary>The regression's own probabilities, before the harmful calibration (for the benchmarks' threshold search).</summary>
    public double[] RawProbabilities(string reply, ReadOnlySpan<float> embedding)
    {
        if (embedding.Length != _dimensions) throw new ArgumentException($"Expected a {_dimensions}-d embedding.", nameof(embedding));
        var cues = Cues(reply);
        var (phraseIndices, phraseValue) = PhraseFeatures(reply, _phrases);
        var logits = new double[_classes.Length];
        for (var c = 0; c < _classes.Length; c++)
        {
            var w = _weights[c];
            double z = _biases[c];
            for (var d = 0; d < embedding.Length; d++) z += w[d] * embedding[d];
            for (var k = 0; k < cues.Length; k++) z += w[_dimensions + k] * cues[k];
            foreach (var index in phraseIndices) z += w[index] * phraseValue;
            logits[c] = z;
        }
        return Softmax(logits);
    }

    /// <summary>Scales the harmful moves' odds by <paramref name="harmfulOddsFactor"/> and renormalises: harm must clearly outweigh every other reading.</summary>
    public static double[] Calibrate(double[] probabilities, double harmfulOddsFactor)
    {
        var scaled = probabilities.Select((p, c) => Moves.IsHarmful(Moves.All[c]) ? p * harmfulOddsFactor : p).ToArray();
        var sum = scaled.Sum();
        return scaled.Select(p => p / sum).ToArray();
    }

    /// <summary>The learned weight of each named cue for each move: what a cue adds to a move's score when it fires.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> CueWeights
        => CueNames.Select((cue, k) => (cue, byMove: (IReadOnlyDictionary<string, double>)_classes
                .Select((m, c) => (m, w: (double)_weights[c][_dimensions + k])).ToDictionary(x => x.m, x => Math.Round(x.w, 3))))
            .ToDictionary(x => x.cue, x => x.byMove);

    /// <summary>The learned weight of a word or word pair for each move (null when it is not a feature): what it adds when it is the reply's only phrase.</summary>
    public IReadOnlyDictionary<string, double>? PhraseWeights(string phrase)
        => _phrases.TryGetValue(phrase, out var index) ? _classes.Select((m, c) => (m, w: Math.Round(_weights[c][index], 3))).ToDictionary(x => x.m, x => x.w) : null;

    /// <summary>Embedding, then cues (0 or 1), then the phrases present (a unit-length bag: long replies do not shout).</summary>
    private static VBuffer<float> Features(string text, float[] embedding, Dictionary<string, int> phrases, int featureCount)
    {
        var cues = Cues(text);
        var (phraseIndices, phraseValue) = PhraseFeatures(text, phrases);
        var count = embedding.Length + cues.Length + phraseIndices.Length;
        var values = new float[count];
        var indices = new int[count];
        for (var d = 0; d < embedding.Length; d++) { values[d] = embedding[d]; indices[d] = d; }
        for (var k = 0; k < cues.Length; k++) { values[embedding.Length + k] = cues[k]; indices[embedding.Length + k] = embedding.Length + k; }
        for (var j = 0; j < phraseIndices.Length; j++) { values[embedding.Length + cues.Length + j] = phraseValue; indices[embedding.Length + cues.Length + j] = phraseIndices[j]; }
        return new VBuffer<float>(featureCount, count, values, indices);
    }

    private static (int[] Indices, float Value) PhraseFeatures(string text, Dictionary<string, int> phrases)
    {
        var indices = Phrases(text).Select(p => phrases.TryGetValue(p, out var i) ? i : -1).Where(i => i >= 0).Distinct().Order().ToArray();
        return (indices, indices.Length == 0 ? 0f : (float)(1 / Math.Sqrt(indices.Length)));
    }

    /// <summary>The reply's words and word pairs, lower-cased, with a start marker so "ok" alone differs from "ok" mid-sentence.</summary>
    internal static IEnumerable<string> Phrases(string text)
    {
        // A put-down word said to no one ("doesn't always mean useless", "he called you lazy") is not a phrase of the reply:
        // it would carry the weight it learned from "You're useless at this, aren't you?".
        var excused = PutDown.Matches(text).Where(m => ReplyIntegrity.Excused(text, m)).ToList();
        foreach (var m in Enumerable.Reverse(excused)) text = text.Remove(m.Index, m.Length);
        var words = WordPattern.Matches(text.ToLowerInvariant().Replace('’', '\'')).Select(m => m.Value).ToList();
        var previous = "<s>";
        foreach (var word in words)
        {
            yield return word;
            yield return previous + " " + word;
            previous = word;
        }
        yield return previous + " </s>";
    }

    private static readonly Regex WordPattern = new(@"[a-z0-9]+(?:'[a-z]+)?", RegexOptions.Compiled | RegexOptions.CultureInvariant);

    private static float[] Cues(string reply) => CuePatterns.Select(p => p.Fires(reply) ? 1f : 0f).ToArray();

    private const RegexOptions Rx = RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.IgnoreCase;

    // Wording that marks a move whatever the topic: the embedding hears the topic, these hear the move.
    // They are features, not rules: each one's weight is learned from the examples (hard negatives included).
    private static readonly Regex PutDown = new(@"\b(idiot|stupid|pathetic|useless|lazy|clueless|hopeless|ridiculous|moron|dim|thick)\b", Rx);


    /// <summary>Naming how the listener feels, or that it is hard: "it sounds like", "that must be hard", "no wonder you".</summary>
    private static readonly Regex FeelingWords = new(@"\b(sounds like you|it sounds (like|as if)|i can see (you|that|how)|(must|can) (feel|be) (really |so )?(hard|frustrating|upsetting|scary|awful|worrying)|makes sense (that|you)|i understand (why|that|how)|no wonder you|that['’]s (really )?(hard|tough|frustrating)|i['’]d (feel|be) (the same|upset|angry))", Rx);

    /// <summary>Praise in so many words ("well done for", "I noticed you"): a cue, and what keeps an apology that praises read as praise.</summary>
    private static readonly Regex NamedPraise = new(@"\b(well done (for|on)|i noticed (that )?you|i (really )?liked (how|the way|that you)|you did (a )?(great|brilliant|really good)|that was (a )?(great|brilliant|clever) (idea|way|move|choice)|great job (on|with|at))\b", Rx);

    private static readonly (string Name, Func<string, bool> Fires)[] CuePatterns =
    [
        ("revoice-frame", new Regex(@"\b(so you['’]re saying|what i['’]m hearing|you said|if i['’]ve (got|understood) (that|you|this) right|so (for you|what you mean)|you['’]re telling me)\b", Rx).IsMatch),
        ("choice-frame", new Regex(@"\b(would you rather|your choice|you can choose|(you )?choose (between|whether)|which (would|do) you prefer|it['’]s up to you|either .{2,40} or\b)", Rx).IsMatch),
        ("if-then-punishment", new Regex(@"\b(if (you|your)\b[^.?!]{0,60}\b(i['’]ll|i will|you['’]ll|you will|you['’]re going|you won['’]t|straight to|detention|call your|phone your|no more|lose your)|or else|last warning|final warning|you['’]ll be (in|sent|out)|i will be (calling|phoning|ringing))", Rx).IsMatch),
        ("mock-enthusiasm", new Regex(@"(^|[.!?]\s+)(oh,? )?(great|wonderful|brilliant|fantastic|lovely|marvellous|terrific),? (so|just|another|you|thanks)|\b(thanks for (finally|gracing|joining us)|nice of you to (join|turn up|show up)|well,? that['’]s just (great|perfect)|congratulations on)", Rx).IsMatch),
        ("brush-off", new Regex(@"\b(you['’]re fine|get over it|(it['’]s )?not a big deal|just get on with|stop (being|making) (so )?(silly|dramatic|a fuss)|it['’]s nothing|don['’]t be (silly|ridiculous|dramatic)|no time for this|that['’]s enough of that|we['’]re moving on)\b", Rx).IsMatch),
        // A put-down said to no one is not one: "But biased doesn't always mean useless." was a dismissal at 0.98.
        ("put-down", HasPutDown),
        ("feeling-words", FeelingWords.IsMatch),
        ("expectation", new Regex(@"\b(i need you to|it['’]s not (ok|okay|acceptable)|that['’]s not (ok|okay|acceptable)|the rule is|i can['’]t (let|allow)|i won['’]t (let|allow)|(please )?(put|stop|sit|hand) .{0,30} now\b)", Rx).IsMatch),
        ("joint-plan", new Regex(@"\b(let['’]s (agree|plan|try|make|work out|decide|set)|shall we|can we agree|next time (you|we)|together (we|on)|what if we|how about we|we could (try|agree|start))\b", Rx).IsMatch),
        ("named-praise", NamedPraise.IsMatch),
        ("open-question-start", new Regex(@"^\s*(so,? )?(what|how|why|tell me|can you tell me|could you tell me|talk me through|walk me through|help me understand)\b[^?]*\?", Rx).IsMatch),
        ("acknowledgement", new Regex(@"^\s*(ok(ay)?|sure|right|yes|yeah|fine|got it|of course|absolutely|alright|all right|thanks?( you)?( so much| very much)?|cheers|noted|understood|i see|mm+|fair enough)\s*[.!,]*\s*$", Rx).IsMatch),
        ("thanks-or-sorry", new Regex(@"\b(thank you|thanks|i['’]m sorry|i apologi[sz]e|sorry (for|about|that))\b", Rx).IsMatch),
        ("question-mark", new Regex(@"\?\s*$", Rx).IsMatch),
    ];

    /// <summary>The named wording cues, in feature order after the embedding.</summary>
    public static IReadOnlyList<string> CueNames { get; } = CuePatterns.Select(p => p.Name).ToList();

    private static double[] Softmax(double[] logits)
    {
        var max = logits.Max();
        var exp = logits.Select(l => Math.Exp(l - max)).ToArray();
        var sum = exp.Sum();
        return exp.Select(e => e / sum).ToArray();
    }

    private sealed class TrainingRow
    {
        public string Move { get; set; } = "";
        public VBuffer<float> Features { get; set; }
    }

    private sealed class MoveKey
    {
        public string Move { get; set; } = "";
    }
}
