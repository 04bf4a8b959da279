using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using TeacherTrainer.ApiService.Evaluation;

namespace TeacherTrainer.ApiService.Simulation;

/// <summary>What kind of move a trainee reply makes, with the engine's confidence and the runner-up moves.</summary>
public sealed record MoveClassification(string Move, double Confidence, IReadOnlyDictionary<string, double> Probabilities)
{
    /// <summary>Other moves the reply also makes clearly (for example a validation followed by a question).</summary>
    public IReadOnlyList<string> AlsoDetected => Probabilities
        .Where(p => p.Key != Move && p.Value >= MoveClassifier.SecondaryMoveThreshold)
        .OrderByDescending(p => p.Value).Select(p => p.Key).ToList();
}

/// <summary>
/// Classifies a reply into one of the eleven moves from its embedding, deterministically. Three
/// voices are combined: a softmax regression trained at start-up on the labelled examples of
/// Content/moves.json (fixed order, fixed steps: the same weights every time), a
/// similarity-weighted nearest-neighbour vote over the same examples, and the wording cues that
/// mark some moves unmistakably ("so you're saying", "would you rather", "if you ... you'll").
/// A harmful move (threat, sarcasm, dismissal) wins once it is plausible: one sneer undoes the
/// warm words around it, and the persona must react to it.
/// </summary>
public sealed class MoveClassifier
{
    public const double SecondaryMoveThreshold = 0.25;
    private const double HarmfulWinsFrom = 0.5;
    private const int NeighbourCount = 5;
    private const double NeighbourTemperature = 0.05;
    private const double CueBonus = 2.5;
    // A harmful cue is decisive: "oh great, another tantrum" is sarcasm whatever surrounds it.
    private const double HarmfulCueBonus = 4.0;
    private const int TrainingSteps = 400;
    private const double LearningRate = 2.0;
    private const double L2 = 1e-3;

    private readonly string[] _classes = Moves.All;
    private readonly float[][] _exampleVectors;
    private readonly int[] _exampleLabels;
    private readonly double[,] _weights; // classes x (dims + 1 bias)

    private MoveClassifier(float[][] vectors, int[] labels)
    {
        _exampleVectors = vectors;
        _exampleLabels = labels;
        _weights = Train(vectors, labels, _classes.Length);
    }

    public static async Task<MoveClassifier> CreateAsync(MoveCatalog catalog, IEmbeddingGenerator<string, Embedding<float>> embeddings, CancellationToken cancellationToken)
    {
        var examples = catalog.Moves.SelectMany((m, label) => m.Examples.Select(e => (Text: e, Label: label))).ToList();
        var generated = await embeddings.GenerateAsync(examples.Select(e => e.Text), cancellationToken: cancellationToken);
        return new MoveClassifier(generated.Select(g => g.Vector.ToArray()).ToArray(), examples.Select(e => e.Label).ToArray());
    }

    public MoveClassification Classify(string reply, ReadOnlySpan<float> embedding)
    {
        var logits = new double[_classes.Length];
        var dims = embedding.Length;
        for (var c = 0; c < _classes.Length; c++)
        {
            var z = _weights[c, dims];
            for (var d = 0; d < dims; d++) z += _weights[c, d] * embedding[d];
            logits[c] = z;
        }
        var regression = Softmax(logits);
        var neighbours = NeighbourVote(embedding);
        var cues = Cues(reply);

        var combined = new double[_classes.Length];
        for (var c = 0; c < _classes.Length; c++)
        {
            combined[c] = Math.Log(0.5 * regression[c] + 0.5 * neighbours[c] + 1e-6) + (cues[c] ? (Moves.IsHarmful(_classes[c]) ? HarmfulCueBonus : CueBonus) : 0);
        }
        var probabilities = Softmax(combined);
        var best = Array.IndexOf(probabilities, probabilities.Max());
        var harmful = Enumerable.Range(0, _classes.Length)
            .Where(c => Moves.IsHarmful(_classes[c]) && probabilities[c] >= HarmfulWinsFrom)
            .OrderByDescending(c => probabilities[c]).Cast<int?>().FirstOrDefault();
        if (harmful is { } h) best = h;

        var byMove = _classes.Select((m, i) => (m, p: Math.Round(probabilities[i], 4))).ToDictionary(x => x.m, x => x.p);
        return new MoveClassification(_classes[best], Math.Round(probabilities[best], 4), byMove);
    }

    private double[] NeighbourVote(ReadOnlySpan<float> embedding)
    {
        var similarities = new (double Similarity, int Label)[_exampleVectors.Length];
        for (var i = 0; i < _exampleVectors.Length; i++)
        {
            similarities[i] = (VectorMath.Dot(embedding, _exampleVectors[i]), _exampleLabels[i]);
        }
        var nearest = similarities.OrderByDescending(s => s.Similarity).ThenBy(s => s.Label).Take(NeighbourCount).ToArray();
        var votes = new double[_classes.Length];
        var top = nearest[0].Similarity;
        foreach (var (similarity, label) in nearest) votes[label] += Math.Exp((similarity - top) / NeighbourTemperature);
        var total = votes.Sum();
        for (var c = 0; c < votes.Length; c++) votes[c] /= total;
        return votes;
    }

    private bool[] Cues(string reply) => _classes.Select(m => CuePatterns.TryGetValue(m, out var p) && p.IsMatch(reply)).ToArray();

    private const RegexOptions Rx = RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.IgnoreCase;

    // Wording that marks a move whatever the topic: the embedding hears the topic, these hear the move.
    private static readonly Dictionary<string, Regex> CuePatterns = new()
    {
        [Moves.Revoice] = new(@"\b(so you['’]re saying|what i['’]m hearing|you said|if i['’]ve (got|understood) (that|you|this) right|so (for you|what you mean)|you['’]re telling me)\b", Rx),
        [Moves.OfferChoice] = new(@"\b(would you rather|your choice|you can choose|(you )?choose (between|whether)|which (would|do) you prefer|it['’]s up to you|either .{2,40} or\b)", Rx),
        [Moves.Threat] = new(@"\b(if (you|your)\b[^.?!]{0,60}\b(i['’]ll|i will|you['’]ll|you will|you['’]re going|you won['’]t|straight to|detention|call your|phone your|no more|lose your)|or else|last warning|final warning|you['’]ll be (in|sent|out)|i will be (calling|phoning|ringing))", Rx),
        [Moves.Sarcasm] = new(@"(^|[.!?]\s+)(oh,? )?(great|wonderful|brilliant|fantastic|lovely|marvellous|terrific),? (so|just|another|you|thanks)|\b(thanks for (finally|gracing|joining us)|nice of you to (join|turn up|show up)|well,? that['’]s just (great|perfect)|congratulations on)", Rx),
        [Moves.Dismissal] = new(@"\b(you['’]re fine|get over it|(it['’]s )?not a big deal|just get on with|stop (being|making) (so )?(silly|dramatic|a fuss)|it['’]s nothing|don['’]t be (silly|ridiculous|dramatic)|no time for this|that['’]s enough of that|we['’]re moving on)\b", Rx),
        [Moves.ValidateFeelings] = new(@"\b(sounds like you|it sounds (like|as if)|i can see (you|that|how)|(must|can) (feel|be) (really |so )?(hard|frustrating|upsetting|scary|awful|worrying)|makes sense (that|you)|i understand (why|that|how)|no wonder you|that['’]s (really )?(hard|tough|frustrating)|i['’]d (feel|be) (the same|upset|angry))", Rx),
        [Moves.SetLimit] = new(@"\b(i need you to|it['’]s not (ok|okay|acceptable)|that['’]s not (ok|okay|acceptable)|the rule is|i can['’]t (let|allow)|i won['’]t (let|allow)|(please )?(put|stop|sit|hand) .{0,30} now\b)", Rx),
        [Moves.PlanTogether] = new(@"\b(let['’]s (agree|plan|try|make|work out|decide|set)|shall we|can we agree|next time (you|we)|together (we|on)|what if we|how about we|we could (try|agree|start))\b", Rx),
        [Moves.SpecificPraise] = new(@"\b(well done (for|on)|i noticed (that )?you|i (really )?liked (how|the way|that you)|you did (a )?(great|brilliant|really good)|that was (a )?(great|brilliant|clever) (idea|way|move|choice)|great job (on|with|at))\b", Rx),
        [Moves.OpenQuestion] = new(@"^\s*(so,? )?(what|how|why|tell me|can you tell me|could you tell me|talk me through|walk me through|help me understand)\b[^?]*\?", Rx),
    };

    private static double[] Softmax(double[] logits)
    {
        var max = logits.Max();
        var exp = logits.Select(l => Math.Exp(l - max)).ToArray();
        var sum = exp.Sum();
        return exp.Select(e => e / sum).ToArray();
    }

    /// <summary>Full-batch gradient descent on the cross-entropy: no randomness, so the same weights every start.</summary>
    private static double[,] Train(float[][] x, int[] y, int classes)
    {
        var n = x.Length;
        var dims = x[0].Length;
        var w = new double[classes, dims + 1];
        var gradient = new double[classes, dims + 1];
        var probabilities = new double[classes];
        for (var step = 0; step < TrainingSteps; step++)
        {
            Array.Clear(gradient);
            for (var i = 0; i < n; i++)
            {
                var max = double.NegativeInfinity;
                for (var c = 0; c < classes; c++)
                {
                    var z = w[c, dims];
                    for (var d = 0; d < dims; d++) z += w[c, d] * x[i][d];
                    probabilities[c] = z;
                    max = Math.Max(max, z);
                }
                var sum = 0.0;
                for (var c = 0; c < classes; c++) { probabilities[c] = Math.Exp(probabilities[c] - max); sum += probabilities[c]; }
                for (var c = 0; c < classes; c++)
                {
                    var error = probabilities[c] / sum - (y[i] == c ? 1 : 0);
                    for (var d = 0; d < dims; d++) gradient[c, d] += error * x[i][d];
                    gradient[c, dims] += error;
                }
            }
            for (var c = 0; c < classes; c++)
            {
                for (var d = 0; d <= dims; d++)
                {
                    w[c, d] -= LearningRate * (gradient[c, d] / n + (d < dims ? L2 * w[c, d] : 0));
                }
            }
        }
        return w;
    }
}
