using System.Text.Json;
using System.Text.RegularExpressions;

namespace TeacherTrainer.ApiService.Evaluation;

/// <summary>
/// The learned tutoring-quality model (Content/models/tutoring-model.json): a linear model over named,
/// standardised features, fitted offline with ML.NET on human-rated tutor replies
/// (TeacherTrainer.Benchmarks: <c>fit-tutoring</c>). Each feature's contribution is weight x standardised value,
/// so the explanation can name what moved the score.
/// </summary>
public sealed record TutoringModel(
    IReadOnlyList<string> Features,
    IReadOnlyList<double> Mean,
    IReadOnlyList<double> Scale,
    IReadOnlyList<double> Weights,
    double Bias,
    double Center,     // prediction mapped to a score of 50
    double Spread,     // prediction units per logistic unit when mapped to 0..100
    string Provenance)
{
    /// <summary>
    /// Optional linear read of the reply's embedding (standardised per dimension): one named feature,
    /// "reads like the replies raters valued", whose contribution is the sum over dimensions.
    /// </summary>
    public IReadOnlyList<double>? EmbeddingMean { get; init; }
    public IReadOnlyList<double>? EmbeddingScale { get; init; }
    public IReadOnlyList<double>? EmbeddingWeights { get; init; }

    /// <summary>Optional weights of the reply's words and word pairs: one named contribution, "wording" (see <see cref="WordingModel"/>).</summary>
    public WordingModel? Wording { get; init; }

    /// <summary>How many contributions <see cref="Predict(IReadOnlyList{double}, ReadOnlySpan{float}, string, Span{double})"/> writes: the features, the embedding's, the wording's.</summary>
    public int ContributionCount => Weights.Count + 2;

    /// <summary>The prediction; <paramref name="contributions"/> gets one entry per feature, then the embedding's and the wording's.</summary>
    public double Predict(IReadOnlyList<double> values, ReadOnlySpan<float> replyVector, string replyText, Span<double> contributions)
        => Predict(values, replyVector, replyText, contributions, out _, out _);

    /// <inheritdoc cref="Predict(IReadOnlyList{double}, ReadOnlySpan{float}, string, Span{double})"/>
    /// <param name="up">The term of the reply's wording that raised the prediction most, if any.</param>
    /// <param name="down">The term that lowered it most, if any.</param>
    public double Predict(IReadOnlyList<double> values, ReadOnlySpan<float> replyVector, string replyText, Span<double> contributions,
        out WordingPull? up, out WordingPull? down)
    {
        up = down = null;
        var sum = PredictFeatures(values, replyVector, contributions);
        if (Wording is { } wording)
        {
            (var pull, up, down) = wording.Apply(replyText);
            if (contributions.Length > Weights.Count + 1) contributions[Weights.Count + 1] = pull;
            sum += pull;
        }
        return sum;
    }

    private double PredictFeatures(IReadOnlyList<double> values, ReadOnlySpan<float> replyVector, Span<double> contributions)
    {
        double sum = Bias;
        for (var i = 0; i < Weights.Count; i++)
        {
            var c = Weights[i] * (values[i] - Mean[i]) / Scale[i];
            contributions[i] = c;
            sum += c;
        }
        if (EmbeddingWeights is { } w && EmbeddingMean is { } m && EmbeddingScale is { } s && replyVector.Length == w.Count)
        {
            double e = 0;
            for (var d = 0; d < w.Count; d++) e += w[d] * (replyVector[d] - m[d]) / s[d];
            if (contributions.Length > Weights.Count) contributions[Weights.Count] = e;
            sum += e;
        }
        return sum;
    }

    public double ToScore(double prediction) => 100 / (1 + Math.Exp(-(prediction - Center) / Spread));
}

/// <summary>The tutoring-quality judgement: 0..100, the trainee's words that earned or cost it, and why in plain words.</summary>
public sealed record TutoringResult(double Score, EvidenceSpan? Evidence, string Explanation, bool Earned);

/// <summary>
/// "Guides the learner to the next step": does the reply engage with what the student just did and the
/// problem they are on, point at where their thinking went wrong, and leave them something to do,
/// without handing over the answer or settling for generic praise? A linear model over explainable
/// features of (conversation, reply), fitted on rated tutor replies (Maurya et al. 2025, MRBench).
/// Pure and deterministic: inputs are the turns, the reply and embeddings the engine already has.
/// </summary>
public static partial class TutoringQualityScorer
{
    public const string Key = "guides-the-learner";
    public const string Name = "Guides the learner to the next step";

    /// <summary>The features, in the model's order. Names are what explanations and the model file use.</summary>
    public static readonly string[] FeatureNames =
    [
        "cosine-to-student",     // embedding cosine of the reply and the student's last turn
        "cosine-to-problem",     // ... and the problem statement (the first teacher turn)
        "length",                // log(1 + words)
        "questions",             // question marks, up to 3
        "reuses-student-words",  // share of the student's content words the reply repeats
        "on-topic-words",        // share of the reply's content words found in the conversation
        "student-numbers",       // reuses a number the student said
        "new-numbers",           // distinct numbers the conversation never mentioned (up to 3): a revealed answer
        "worked-equation",       // writes out a calculation with its result
        "reveal-phrase",         // "the answer is", "it should be"
        "locates-mistake",       // "check", "look at", "step", "mistake", "not quite"
        "guides",                // "let's", "try", "think about", "what if", "remember"
        "focused-question",      // a how/what/why/which question about the work
        "encouraging",           // "good", "great", "nice try", "you're close"
        "harsh",                 // "wrong", "incorrect", "careless"
        "generic-only",          // short, no numbers, nothing taken from the conversation
        "confirms-correct",      // "that's right", "well done", "perfect": a verdict of success
        "signals-error",         // "not quite", "incorrect", "but", "actually": tells the student something is off
        "refers-to-their-work",  // "you added", "your answer", "you said": locates the mistake in the student's own work
        "explains",              // "because", "which means", "so": a reason, not just a verdict
        "long",                  // more than 60 words: the next step gets buried
        "praise-without-correction", // a verdict of success with no hint that anything needs fixing
        "meta-text",             // stage directions, role labels or formatting ("### Tutor:", "(Note: ...)")
        "changes-subject",       // "let's move on", "next question", "a similar problem": leaves the mistake behind
    ];

    /// <summary>The name the embedding's contribution goes by in explanations (after the named features).</summary>
    public const string EmbeddingFeature = "reads-like-valued-replies";

    /// <summary>The name the wording's contribution goes by in explanations (last).</summary>
    public const string WordingFeature = "wording";

    private const RegexOptions Rx = RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.IgnoreCase;

    [GeneratedRegex(@"\b(the (correct |right |final )?answer (is|should be|would be)|should (be|get|have gotten) \d|equals? \d|you should have (got|gotten))", Rx)]
    private static partial Regex RevealPattern();

    [GeneratedRegex(@"\b(check|double[- ]check|re-?check|look (at|again|back|closely)|take a (closer |second )?look|step|mistake|error|not quite|almost|careful|revisit|went wrong|where did|see if|re-?read|part where)\b", Rx)]
    private static partial Regex MistakePattern();

    [GeneratedRegex(@"\b(let['’]?s|try|think about|what if|remember|consider|notice|first|next|instead|start (by|with)|how about|hint|could you|can you)\b", Rx)]
    private static partial Regex GuidePattern();

    [GeneratedRegex(@"\b(how|what|why|which|where|can you|could you|do you)\b[^?.!]*\?", Rx)]
    private static partial Regex FocusedQuestionPattern();

    [GeneratedRegex(@"\b(good|great|nice|well done|excellent|awesome|fantastic|brilliant|close|you['’]re on|good try|good effort|keep going|you can do)\b", Rx)]
    private static partial Regex EncouragingPattern();

    [GeneratedRegex(@"\b(wrong|incorrect|careless|no\b,|that['’]?s not right|you (failed|forgot)|obviously|clearly not)", Rx)]
    private static partial Regex HarshPattern();

    [GeneratedRegex(@"\b(that['’]?s (right|correct|it)|correct[.!]|exactly|well done|great job|good job|perfect|you got it|nice work|spot on|excellent)\b", Rx)]
    private static partial Regex ConfirmPattern();

    [GeneratedRegex(@"\b(not quite|incorrect|not correct|isn['’]?t (right|correct)|mistake|error|slip|mixed up|forgot|missed|but|however|actually|although|not exactly|almost|close)\b", Rx)]
    private static partial Regex ErrorSignalPattern();

    [GeneratedRegex(@"\b(you (did|wrote|said|calculated|got|added|multiplied|divided|subtracted|used|found|have|had|took|counted|mentioned)|your (answer|work|calculation|method|step|reasoning|approach|solution|total))\b", Rx)]
    private static partial Regex TheirWorkPattern();

    [GeneratedRegex(@"(###|\b(tutor|user|assistant|student|teacher)\s*:|\(note|\bnote:|\*\*|\n)", Rx)]
    private static partial Regex MetaPattern();

    [GeneratedRegex(@"\b(move on|next (question|problem|one)|(a )?similar problem|another (problem|question|example)|new (problem|topic))\b", Rx)]
    private static partial Regex MoveOnPattern();

    [GeneratedRegex(@"\b(because|which means|that means|since|so that|this is why)\b", Rx)]
    private static partial Regex ExplainPattern();

    [GeneratedRegex(@"\d+(?:[.,]\d+)?\s*[-+*/x×÷]\s*\d+(?:[.,]\d+)?\s*=\s*\d+")]
    private static partial Regex EquationPattern();

    [GeneratedRegex(@"(?<=[.?!…])\s+")]
    private static partial Regex SentenceBreak();

    private static readonly Lazy<TutoringModel> Shipped = new(() => Load(Path.Combine(AppContext.BaseDirectory, "Content", "models", "tutoring-model.json")));

    /// <summary>The model shipped with the service, read once.</summary>
    public static TutoringModel Model => Shipped.Value;

    public static TutoringModel Load(string path)
    {
        var model = JsonSerializer.Deserialize<TutoringModel>(File.ReadAllText(path), JsonOptions) ?? throw new InvalidDataException($"{path} is empty");
        // A model fitted on other features would silently misread every reply: refuse it (refit with fit-tutoring).
        if (!model.Features.SequenceEqual(FeatureNames) || model.Weights.Count != FeatureNames.Length || model.Mean.Count != FeatureNames.Length || model.Scale.Count != FeatureNames.Length)
            throw new InvalidDataException($"{path} was fitted on other features than {nameof(TutoringQualityScorer)} computes; run fit-tutoring.");
        if (model.Wording is { } w && (w.Idf.Count != w.Terms.Count || w.Weights.Count != w.Terms.Count))
            throw new InvalidDataException($"{path} has a wording model whose terms, idf and weights differ in length; run fit-tutoring.");
        return model;
    }

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The problem the tutoring is about: the first teacher turn, when there is one.</summary>
    public static string? ProblemStatement(IReadOnlyList<ContextTurn> context)
        => context.FirstOrDefault(t => t.Speaker == "teacher")?.Text;

    /// <summary>The student's (or parent's) last turn, when the conversation ends on them.</summary>
    public static string? LastLearnerTurn(IReadOnlyList<ContextTurn> context)
        => context.Count > 0 && EvaluationEngine.UptakeSpeakers.Contains(context[^1].Speaker) ? context[^1].Text : null;

    /// <summary>The feature values, in <see cref="FeatureNames"/> order. Vectors are normalised all-MiniLM-L6-v2 embeddings; null when absent.</summary>
    public static double[] Features(IReadOnlyList<ContextTurn> context, string reply, float[] replyVector, float[]? lastVector, float[]? problemVector)
    {
        var last = LastLearnerTurn(context);
        var replyTokens = TextTokens.Tokenize(reply);
        var lastTokens = TextTokens.Tokenize(last);
        var contextTokens = context.SelectMany(t => TextTokens.Tokenize(t.Text)).ToList();

        var lastContent = lastTokens.Where(t => t.IsContent && !t.IsNumber).Select(t => t.Stem).ToHashSet();
        var replyStems = replyTokens.Select(t => t.Stem).ToHashSet();
        var contextStems = contextTokens.Select(t => t.Stem).ToHashSet();
        var replyContent = replyTokens.Where(t => t.IsContent).Select(t => t.Stem).Distinct().ToList();
        var replyNumbers = replyTokens.Where(t => t.IsNumber && char.IsDigit(t.Lower[0])).Select(t => t.Lower).ToHashSet();
        var lastNumbers = lastTokens.Where(t => t.IsNumber).Select(t => t.Lower).ToHashSet();
        var contextNumbers = contextTokens.Where(t => t.IsNumber).Select(t => t.Lower).ToHashSet();

        double reuse = lastContent.Count == 0 ? 0 : lastContent.Count(replyStems.Contains) / (double)lastContent.Count;
        double onTopic = replyContent.Count == 0 ? 0 : replyContent.Count(contextStems.Contains) / (double)replyContent.Count;
        int newNumbers = replyNumbers.Count(n => !contextNumbers.Contains(n));
        bool generic = replyTokens.Count <= 8 && replyNumbers.Count == 0 && !replyContent.Any(contextStems.Contains);

        return
        [
            lastVector is null ? 0 : VectorMath.Dot(replyVector, lastVector),
            problemVector is null ? 0 : VectorMath.Dot(replyVector, problemVector),
            Math.Log(1 + replyTokens.Count),
            Math.Min(reply.Count(c => c == '?'), 3),
            reuse,
            onTopic,
            replyNumbers.Overlaps(lastNumbers) ? 1 : 0,
            Math.Min(newNumbers, 3),
            EquationPattern().IsMatch(reply) ? 1 : 0,
            RevealPattern().IsMatch(reply) ? 1 : 0,
            MistakePattern().IsMatch(reply) ? 1 : 0,
            GuidePattern().IsMatch(reply) ? 1 : 0,
            FocusedQuestionPattern().IsMatch(reply) ? 1 : 0,
            EncouragingPattern().IsMatch(reply) ? 1 : 0,
            HarshPattern().IsMatch(reply) ? 1 : 0,
            generic ? 1 : 0,
            ConfirmPattern().IsMatch(reply) ? 1 : 0,
            ErrorSignalPattern().IsMatch(reply) ? 1 : 0,
            TheirWorkPattern().IsMatch(reply) ? 1 : 0,
            ExplainPattern().IsMatch(reply) ? 1 : 0,
            replyTokens.Count > 60 ? 1 : 0,
            (ConfirmPattern().IsMatch(reply) || EncouragingPattern().IsMatch(reply)) && !ErrorSignalPattern().IsMatch(reply) && !MistakePattern().IsMatch(reply) ? 1 : 0,
            MetaPattern().IsMatch(reply) ? 1 : 0,
            MoveOnPattern().IsMatch(reply) ? 1 : 0,
        ];
    }

    /// <summary>Scores a reply with the shipped model (or <paramref name="model"/>, for fitting and tests).</summary>
    public static TutoringResult Score(IReadOnlyList<ContextTurn> context, string reply, float[] replyVector,
        float[]? lastVector, float[]? problemVector, TutoringModel? model = null)
    {
        model ??= Model;
        var values = Features(context, reply, replyVector, lastVector, problemVector);
        Span<double> contributions = stackalloc double[model.ContributionCount];
        var score = Math.Round(model.ToScore(model.Predict(values, replyVector, reply, contributions, out var up, out var down)), 1);
        return Explain(score, reply, values, contributions, up, down);
    }

    /// <summary>
    /// Names the feature that helped most and the one that cost most, with the sentence that shows it. When the wording
    /// leads, the term that pulled most that way is quoted.
    /// </summary>
    private static TutoringResult Explain(double score, string reply, double[] values, ReadOnlySpan<double> contributions, WordingPull? up, WordingPull? down)
    {
        int best = -1, worst = -1;
        for (var i = 0; i < contributions.Length; i++)
        {
            // The wording is only named when it has words to quote that way ("how many", not "#").
            var wording = i == FeatureNames.Length + 1;
            if (contributions[i] > 0 && (!wording || up is not null) && (best < 0 || contributions[i] > contributions[best])) best = i;
            if (contributions[i] < 0 && (!wording || down is not null) && (worst < 0 || contributions[i] < contributions[worst])) worst = i;
        }
        var earned = score >= 50;
        var lead = earned ? best : worst;
        string NameOf(int i) => i < FeatureNames.Length ? FeatureNames[i] : i == FeatureNames.Length ? EmbeddingFeature : WordingFeature;
        double ValueOf(int i) => i < values.Length ? values[i] : 0;
        var evidence = lead >= 0
            ? NameOf(lead) == WordingFeature ? ((earned ? up : down) is { } pull ? SentenceAround(reply, pull.Start) : null) : EvidenceFor(NameOf(lead), reply, ValueOf(lead))
            : null;
        var helped = best < 0 ? null
            : NameOf(best) == WordingFeature ? (up is { } u ? $"Its wording (“{u.Words}”) is the kind raters judged helpful." : null)
            : Helped(NameOf(best), ValueOf(best));
        var cost = worst < 0 ? null
            : NameOf(worst) == WordingFeature ? (down is { } d ? $"uses wording (“{d.Words}”) of the kind raters judged unhelpful" : null)
            : Cost(NameOf(worst), ValueOf(worst));
        var explanation = earned
            ? $"{helped ?? "The reply engages with the student's work."}{(cost is null ? "" : $" What held it back: it {cost}.")}"
            : $"Held back because it {cost ?? "does little to move the student's thinking on"}.{(helped is null ? "" : $" In its favour: {Lower(helped)}")}";
        return new TutoringResult(score, evidence, explanation, earned);
    }

    private static string Lower(string s) => s.Length == 0 ? s : char.ToLowerInvariant(s[0]) + s[1..];

    // Plain words for what a feature did, in each direction. A feature that was absent is described as missing.
    private static string? Helped(string feature, double value) => feature switch
    {
        "cosine-to-student" or "reuses-student-words" => "It answers what the student actually said.",
        "cosine-to-problem" or "on-topic-words" => "It stays on the problem the student is working on.",
        "student-numbers" => "It picks up the student's own numbers.",
        "locates-mistake" when value > 0 => "It points the student to where to look again.",
        "guides" when value > 0 => "It gives the student a next step to take.",
        "focused-question" when value > 0 => "It asks a focused question about the work.",
        "questions" when value > 0 => "It asks the student to think rather than telling them.",
        "encouraging" when value > 0 => "Its tone is encouraging.",
        "new-numbers" or "worked-equation" or "reveal-phrase" when value == 0 => "It leaves the student to find the answer.",
        "generic-only" or "harsh" when value == 0 => "It is specific and calm.",
        "length" => "It says enough to be useful.",
        "signals-error" when value > 0 => "It tells the student that something in their work is off.",
        "refers-to-their-work" when value > 0 => "It points to the student's own working.",
        "explains" when value > 0 => "It gives a reason, not just a verdict.",
        "confirms-correct" or "long" when value == 0 => "It keeps to the point.",
        EmbeddingFeature => "It reads like the replies that raters judged helpful.",
        _ => null,
    };

    private static string? Cost(string feature, double value) => feature switch
    {
        "cosine-to-student" or "reuses-student-words" => "does not answer what the student just said",
        "cosine-to-problem" or "on-topic-words" => "drifts away from the problem",
        "new-numbers" or "worked-equation" when value > 0 => "gives away numbers the student should work out",
        "reveal-phrase" when value > 0 => "hands over the answer",
        "generic-only" when value > 0 => "offers only generic words that would fit any moment",
        "harsh" when value > 0 => "sounds harsh about the mistake",
        "locates-mistake" when value == 0 => "leaves the mistake unnamed",
        "guides" when value == 0 => "leaves no next step",
        "focused-question" or "questions" when value == 0 => "tells rather than asks",
        "length" => "is too short to give the student anything to work with",
        "long" when value > 0 => "runs so long that the next step gets lost",
        "confirms-correct" when value > 0 => "declares the work right when the student still has something to fix",
        "praise-without-correction" when value > 0 => "praises the work without showing that something still needs fixing",
        "meta-text" when value > 0 => "carries stage directions or labels that are not said to the student",
        "changes-subject" when value > 0 => "moves on before the mistake is sorted out",
        "signals-error" when value == 0 => "leaves the student unaware that something is off",
        "refers-to-their-work" when value == 0 => "leaves the student's own working unmentioned",
        EmbeddingFeature => "reads like the replies raters judged unhelpful",
        _ => "does little to move the student's thinking on",
    };

    private static EvidenceSpan? EvidenceFor(string feature, string reply, double value)
    {
        Match? m = feature switch
        {
            "locates-mistake" => MistakePattern().Match(reply),
            "guides" => GuidePattern().Match(reply),
            "focused-question" or "questions" => FocusedQuestionPattern().Match(reply) is { Success: true } q ? q : Regex.Match(reply, @"[^.?!]*\?"),
            "reveal-phrase" => RevealPattern().Match(reply),
            "worked-equation" => EquationPattern().Match(reply),
            "encouraging" => EncouragingPattern().Match(reply),
            "harsh" => HarshPattern().Match(reply),
            "confirms-correct" => ConfirmPattern().Match(reply),
            "signals-error" => ErrorSignalPattern().Match(reply),
            "refers-to-their-work" => TheirWorkPattern().Match(reply),
            "explains" => ExplainPattern().Match(reply),
            "praise-without-correction" => ConfirmPattern().Match(reply) is { Success: true } c ? c : EncouragingPattern().Match(reply),
            "meta-text" => MetaPattern().Match(reply),
            "changes-subject" => MoveOnPattern().Match(reply),
            "new-numbers" => Regex.Match(reply, @"\d"),
            _ => null,
        };
        if (m is { Success: true }) return SentenceAround(reply, m.Index);
        return reply.Trim().Length > 0 && feature is "generic-only" or "length" or "cosine-to-student" or "cosine-to-problem" or "on-topic-words" or "reuses-student-words" or "student-numbers"
            ? SentenceAround(reply, reply.Length - reply.TrimStart().Length)
            : null;
    }

    private static EvidenceSpan SentenceAround(string text, int index)
    {
        int start = 0, end = text.Length;
        foreach (Match b in SentenceBreak().Matches(text))
        {
            if (b.Index + b.Length > index) { end = b.Index; break; }
            start = b.Index + b.Length;
        }
        while (start < end && char.IsWhiteSpace(text[start])) start++;
        while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
        return new EvidenceSpan(start, end - start, text[start..end]);
    }
}
