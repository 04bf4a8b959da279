using System.Text.Json;
using System.Text.RegularExpressions;

namespace TeacherTrainer.ApiService.Evaluation;

/// <summary>A span of the trainee's reply, by character offsets into the reply text.</summary>
public readonly record struct EvidenceSpan(int Start, int Length, string Text);

/// <summary>
/// The observable ingredients of uptake for one (previous utterance, reply) pair. Each is something a
/// teacher educator could point at in the reply; the fitted model (Content/models/uptake-model.json)
/// weighs them, and <see cref="Names"/> is the order the model file refers to them by.
/// </summary>
public sealed record UptakeFeatures(
    double Reuse,            // share of the student's distinct words (stemmed) that the reply repeats
    double ContentReuse,     // the same, over the student's content words only (0 when they said none)
    double FunctionReuse,    // the same, over the student's function words ("you don't like the") only
    double ReusedContent,    // log(1 + distinct content words of the student's the reply repeats)
    double LongestRun,       // log(1 + longest run of consecutive student words the reply repeats)
    double RunShare,         // that run as a share of the student's utterance
    double NewShare,         // share of the reply's words that are not the student's
    double NewContent,       // log(1 + distinct content words the reply adds)
    double ReplyWords,       // log(1 + reply length in words)
    double StudentWords,     // log(1 + student utterance length in words)
    double Room,             // reply length up to 20 words, log-scaled; half credit when off the student's topic
    double NumbersRepeated,  // 1 when the reply repeats a number the student said
    double Question,         // 1 when the reply asks something
    double WhQuestion,       // 1 when a question of the reply asks what / why / how / which
    double Invitation,       // 1 when the reply asks the student to elaborate or justify
    double Revoicing,        // 1 when the reply marks the idea as the student's ("you said", "so you're saying")
    double FollowUp,         // 1 when a question of the reply carries one of the student's content words
    double Acknowledgement,  // 1 when the reply opens with "yes / okay / right / good"
    double AcknowledgementOnly, // 1 when the reply is only an acknowledgement ("Okay.", "Good job.")
    double StudentAsked,     // 1 when the student's utterance is itself a question
    double Meaning,          // cosine of the two utterances' embeddings (0 without embeddings)
    double ClauseMeaning,    // best cosine of one reply clause with the student's utterance (= Meaning without clause vectors)
    double Resemblance)      // how much the pair resembles exchanges the raters scored high (fitted embedding direction; 0 without embeddings)
{
    public static readonly string[] Names =
    [
        nameof(Reuse), nameof(ContentReuse), nameof(FunctionReuse), nameof(ReusedContent), nameof(LongestRun), nameof(RunShare),
        nameof(NewShare), nameof(NewContent), nameof(ReplyWords), nameof(StudentWords), nameof(Room), nameof(NumbersRepeated),
        nameof(Question), nameof(WhQuestion), nameof(Invitation), nameof(Revoicing), nameof(FollowUp), nameof(Acknowledgement),
        nameof(AcknowledgementOnly), nameof(StudentAsked), nameof(Meaning), nameof(ClauseMeaning), nameof(Resemblance),
    ];

    /// <summary>The values in the order of <see cref="Names"/>.</summary>
    public double[] ToVector() =>
    [
        Reuse, ContentReuse, FunctionReuse, ReusedContent, LongestRun, RunShare, NewShare, NewContent, ReplyWords, StudentWords,
        Room, NumbersRepeated, Question, WhQuestion, Invitation, Revoicing, FollowUp, Acknowledgement, AcknowledgementOnly,
        StudentAsked, Meaning, ClauseMeaning, Resemblance,
    ];
}

/// <summary>How much one feature moved the score, in points out of 100, against an average reply.</summary>
public readonly record struct UptakeContribution(string Feature, double Points);

/// <summary>Why a cap was applied: a reply that gives the student's words back without adding to them.</summary>
public enum UptakeGuard { None, Echo, FormulaicRevoice }

/// <summary>
/// Uptake judgement: 0..100, the span that earned it (or null), a one-line reason, the measured
/// features, each feature's contribution to the score and, when it fired, the echo guard.
/// </summary>
public sealed record UptakeResult(double Score, EvidenceSpan? Evidence, string Reason, UptakeFeatures Features)
{
    public IReadOnlyList<UptakeContribution> Contributions { get; init; } = [];
    public UptakeGuard Guard { get; init; }
}

/// <summary>
/// A linear model over <see cref="UptakeFeatures"/>: standardised features times fitted weights, then
/// mapped onto 0..100 (Low → 0, High → 100). Fitted offline by `TeacherTrainer.Benchmarks fit-uptake`
/// with ML.NET on human-rated classroom exchanges; shipped as data, never trained at run time.
/// </summary>
public sealed class UptakeLinearModel
{
    public required string[] Features { get; init; }
    public required double[] Means { get; init; }
    public required double[] Scales { get; init; }
    public required double[] Weights { get; init; }
    public required double Bias { get; init; }
    public required double Low { get; init; }
    public required double High { get; init; }

    private int[]? _index;

    /// <summary>Predicted rater z-score and each feature's share of it.</summary>
    public double Predict(double[] values, Span<double> contributions)
    {
        var index = _index ??= Features.Select(f => Array.IndexOf(UptakeFeatures.Names, f) is var i and >= 0
            ? i : throw new InvalidDataException($"The uptake model names an unknown feature '{f}'.")).ToArray();
        double z = Bias;
        for (int k = 0; k < index.Length; k++)
        {
            double c = Weights[k] * (values[index[k]] - Means[k]) / Scales[k];
            contributions[k] = c;
            z += c;
        }
        return z;
    }

    /// <summary>A predicted z-score on the 0..100 scale.</summary>
    public double ToScore(double z) => Math.Clamp(100 * (z - Low) / (High - Low), 0, 100);
}

/// <summary>
/// A fitted direction in embedding space: bias + w_r·reply + w_s·student + w_p·(reply ⊙ student), a
/// ridge regression of the raters' z-score on the two embeddings and their element-wise product. It
/// sums up what words alone miss (a reply that presses on the maths versus one that manages the room)
/// into one feature, <see cref="UptakeFeatures.Resemblance"/>.
/// </summary>
public sealed class UptakeEmbeddingDirection
{
    public required float[] Reply { get; init; }
    public required float[] Student { get; init; }
    public required float[] Product { get; init; }
    public required double Bias { get; init; }

    public double Apply(ReadOnlySpan<float> student, ReadOnlySpan<float> reply)
    {
        if (reply.Length != Reply.Length || student.Length != Student.Length) return 0;
        double v = Bias + VectorMath.Dot(Reply, reply) + VectorMath.Dot(Student, student);
        for (int i = 0; i < reply.Length; i++) v += Product[i] * reply[i] * student[i];
        return v;
    }
}

/// <summary>The shipped uptake model file: one model with embeddings, one for callers without them.</summary>
public sealed class UptakeModelFile
{
    public string Description { get; init; } = "";
    public double CrossValidatedSpearman { get; init; }
    public required UptakeLinearModel Full { get; init; }
    public required UptakeLinearModel Lexical { get; init; }
    public UptakeEmbeddingDirection? Direction { get; init; }

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "Content", "models", "uptake-model.json");

    public static UptakeModelFile Load(string path)
        => JsonSerializer.Deserialize<UptakeModelFile>(File.ReadAllText(path), JsonOptions)
           ?? throw new InvalidDataException($"{path} holds no uptake model.");
}

/// <summary>
/// Uptake: how far a teacher's reply builds on what the student (or parent) just said.
/// A linear model over explainable features (words reused, words added, questions about the
/// student's idea, meaning kept), fitted with ML.NET on expert-rated classroom exchanges
/// (Demszky et al. 2021; figures and command in docs/evaluation.md), plus an explicit guard: a reply
/// that only gives the student's words back, or wraps them in a formula ("So you're saying X? Tell
/// me more."), is capped below any reply that adds to the idea, and the reason says so.
/// Pure and deterministic: the model is read once from Content/models/uptake-model.json.
/// </summary>
public static class UptakeScorer
{
    /// <summary>Replies longer than this earn no more "room": padding a reply must not raise uptake.</summary>
    public const int RoomWordCap = 20;

    /// <summary>Below this cosine, a reply that also repeats no word is treated as off the student's topic.</summary>
    public const double OnTopicCosine = 0.25;

    /// <summary>Share of "room" an off-topic reply keeps: length alone is weak evidence of building on an idea.</summary>
    public const double OffTopicRoomShare = 0.5;

    /// <summary>A question this short ("For what?", "Which one?") can only be about what was just said.</summary>
    public const int ShortFollowUpWords = 8;

    /// <summary>A reply this short that reuses nothing and asks nothing ("Good job.", "Okay, thanks.") is an acknowledgement.</summary>
    public const int GenericReplyMaxWords = 4;

    /// <summary>The echo guard only applies once the student said this many words: repeating "Five." back is normal teaching.</summary>
    public const int EchoMinStudentWords = 4;

    /// <summary>
    /// Highest score an echo or a formulaic revoice keeps. Set below the scores genuine follow-ups
    /// reach (UptakeScorerTests) and low enough that the trainee sees the reply did not build on the idea.
    /// </summary>
    public const double EchoCap = 35;

    private const RegexOptions Rx = RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.IgnoreCase;

    // Questions that hand the idea back to the student for elaboration or justification.
    private static readonly Regex InvitationPattern = new(
        @"\b(why|how do you know|how did you|what do you mean|explain|tell me (more|why|how)|what makes you|show me|how come|are you sure|what else|can you say more)\b", Rx);

    // Phrases that attribute the idea to the student (revoicing, Michaels & O'Connor's "talk moves").
    private static readonly Regex RevoicingPattern = new(
        @"\b(you said|you['’]re saying|you say|you think|so you|did you say|you mean|you just said|your idea)\b", Rx);

    // Questions that press for the student's reasoning: substance even when every other word is theirs.
    private static readonly Regex ReasoningPattern = new(
        @"\b(why|how (do|did|would|could|can) (you|we|it|that|they)|how come|what (made|makes) you|what would happen|what if|what do you notice|how does that|how is that|how are they|does that (work|always)|is that (always|true)|prove|convince"
        // what something they said stands for, or who it was for: "What does the one in sixteen mean?", "Who was it made for?"
        + @"|what (does|do|did) (the|that|this|it|each|those|these) ([\w-]+ ){0,4}(mean|stand for|tell (you|us))|(what|who) (is|was|were|are) (it|that|this|they) ((made|written|drawn|meant|designed) )?for)\b", Rx);

    // Asking what they meant or how they got there: "What do you mean?", "How did you come up with that?".
    private static readonly Regex MeaningPattern = new(
        @"\b(what do you mean|what did you mean|how do you know|can you explain|explain (why|how|that|it|what)|tell me (why|how)|show me how|how did you (get|find|come up with|work|figure|know|decide))\b", Rx);

    /// <summary>
    /// Whether the reply presses on the speaker's reasoning or meaning in words they did not use themselves ("It's a prime
    /// number. Why is it a prime number?", "How many... what do you mean?"): substance, however many of their words it repeats.
    /// </summary>
    public static bool PressesForReasoning(string replyText, string previousText)
        => ReasoningPattern.Count(replyText) + MeaningPattern.Count(replyText) > ReasoningPattern.Count(previousText) + MeaningPattern.Count(previousText);

    private static readonly Regex WhWord = new(@"\b(what|why|how|which|where|when|who)\b", Rx);

    private static readonly Regex SentenceBreak = new(@"(?<=[.?!…])\s+", Rx);

    private static readonly Regex Sentence = new(@"[^.!?…]+[.!?…]*", Rx);

    private static readonly HashSet<string> AcknowledgementWords = new(StringComparer.Ordinal)
    {
        "yes", "yeah", "yep", "okay", "ok", "right", "alright", "good", "great", "nice", "exactly", "correct", "uh", "huh", "mm", "hmm",
        "um", "oh", "sure", "excellent", "perfect", "wow", "cool", "thanks", "thank", "job", "awesome", "very", "well", "done",
    };

    // Frame words of formulaic revoicing and empty prompts: with the student's own words they add nothing.
    private static readonly HashSet<string> FrameWords = new(StringComparer.Ordinal)
    {
        "saying", "said", "say", "says", "tell", "told", "interesting", "heard", "hear", "hearing", "mean", "meaning", "think",
        "thinking", "thought", "sounds", "sound", "understand", "see", "agree", "okay", "repeat", "repeating", "exactly",
        "wow", "cool", "hmm", "elaborate", "more", "continue", "keep", "going", "again", "point", "idea", "really", "true",
        "correct", "awesome", "fascinating", "love", "like", "totally", "definitely", "absolutely", "sure", "noted", "got", "fair",
        "valid", "lovely", "brilliant", "amazing", "wonderful", "fantastic", "excellent", "perfect", "super", "well", "share",
    };

    private static readonly Lazy<UptakeModelFile> Model = new(() => UptakeModelFile.Load(UptakeModelFile.DefaultPath));

    /// <summary>
    /// Scores a reply. Pass both embeddings (normalised all-MiniLM-L6-v2) for the full model; the reply's
    /// clause vectors (<see cref="EncodedReply.Clauses"/>) sharpen it; without embeddings a lexical model applies.
    /// <paramref name="speaker"/> names who spoke ("the student", "Jaden") in the reason.
    /// </summary>
    public static UptakeResult Score(string previousUtterance, string teacherReply,
        float[]? previousEmbedding = null, float[]? replyEmbedding = null,
        IReadOnlyList<float[]>? replyClauseEmbeddings = null, string speaker = "the student")
        => Score(Model.Value, previousUtterance, teacherReply, previousEmbedding, replyEmbedding, replyClauseEmbeddings, speaker);

    /// <summary>Scores a reply with a given model file (the fitting harness scores its held-out folds this way).</summary>
    public static UptakeResult Score(UptakeModelFile modelFile, string previousUtterance, string teacherReply,
        float[]? previousEmbedding = null, float[]? replyEmbedding = null,
        IReadOnlyList<float[]>? replyClauseEmbeddings = null, string speaker = "the student")
    {
        previousUtterance ??= string.Empty;
        teacherReply ??= string.Empty;
        var prev = TextTokens.Tokenize(previousUtterance);
        var reply = TextTokens.Tokenize(teacherReply);
        bool haveMeaning = previousEmbedding is not null && replyEmbedding is not null
                           && previousEmbedding.Length == replyEmbedding.Length && previousEmbedding.Length > 0;
        double cosine = haveMeaning ? VectorMath.Dot(previousEmbedding!, replyEmbedding!) : double.NaN;
        double clauseCosine = cosine;
        if (haveMeaning && replyClauseEmbeddings is { Count: > 0 })
        {
            foreach (var clause in replyClauseEmbeddings)
                if (clause.Length == previousEmbedding!.Length) clauseCosine = Math.Max(clauseCosine, VectorMath.Dot(previousEmbedding, clause));
        }
        double resemblance = haveMeaning && modelFile.Direction is { } direction ? direction.Apply(previousEmbedding, replyEmbedding) : 0;
        var f = Extract(prev, reply, teacherReply, cosine, clauseCosine, previousUtterance, resemblance);

        var model = haveMeaning ? modelFile.Full : modelFile.Lexical;
        var values = f.ToVector();
        Span<double> parts = stackalloc double[model.Features.Length];
        double z = model.Predict(values, parts);
        double score = model.ToScore(z);
        var contributions = new UptakeContribution[model.Features.Length];
        double pointsPerZ = 100 / (model.High - model.Low);
        for (int k = 0; k < contributions.Length; k++)
            contributions[k] = new UptakeContribution(model.Features[k], Math.Round(parts[k] * pointsPerZ, 1));

        var (guard, echoed) = EchoGuard(prev, reply, teacherReply, previousUtterance);
        EvidenceSpan? evidence;
        string reason;
        if (guard != UptakeGuard.None && score > EchoCap)
        {
            score = EchoCap;
            evidence = echoed;
            var quote = echoed is { } e ? $": “{e.Text}”" : "";
            reason = guard == UptakeGuard.Echo
                ? $"You repeated {Possessive(speaker)} words back without adding anything{quote}. Ask about their idea or take it further."
                : $"You wrapped {Possessive(speaker)} words in a set phrase without adding anything{quote}. Ask about their reasoning or connect it to something.";
        }
        else
        {
            guard = UptakeGuard.None;
            (evidence, reason) = FindEvidence(prev, reply, teacherReply, f, cosine);
        }
        return new UptakeResult(Math.Round(score, 1), evidence, reason, f) { Contributions = contributions, Guard = guard };
    }

    private static string Possessive(string speaker) => speaker.EndsWith('s') ? speaker + "'" : speaker + "'s";

    /// <summary>Measures the features. <paramref name="cosine"/> and <paramref name="clauseCosine"/> are NaN without embeddings.</summary>
    public static UptakeFeatures Extract(IReadOnlyList<Token> prev, IReadOnlyList<Token> reply, string replyText,
        double cosine, double clauseCosine, string previousText = "", double resemblance = 0)
    {
        var prevStems = prev.Select(t => t.Stem).ToHashSet();
        var prevContent = prev.Where(t => t.IsContent).Select(t => t.Stem).ToHashSet();
        var prevFunction = prev.Where(t => !t.IsContent).Select(t => t.Stem).ToHashSet();
        var replyStems = reply.Select(t => t.Stem).ToHashSet();

        // All words count in Reuse, function words included: repeating the student's exact wording
        // ("you don't like the one") tracks the raters better than content words alone.
        double reuse = prevStems.Count == 0 ? 0 : prevStems.Count(replyStems.Contains) / (double)prevStems.Count;
        int reusedContent = prevContent.Count(replyStems.Contains);
        double contentReuse = prevContent.Count == 0 ? 0 : reusedContent / (double)prevContent.Count;
        double functionReuse = prevFunction.Count == 0 ? 0 : prevFunction.Count(replyStems.Contains) / (double)prevFunction.Count;
        int run = LongestRun(prev, reply, requireContent: false).Length;
        int newWords = reply.Count(t => !prevStems.Contains(t.Stem));
        int newContent = reply.Where(t => t.IsContent && !prevStems.Contains(t.Stem)).Select(t => t.Stem).Distinct().Count();
        bool numbers = prev.Any(t => t.IsNumber && replyStems.Contains(t.Stem));

        bool question = replyText.Contains('?');
        bool wh = false, followUp = false;
        if (question)
        {
            foreach (Match s in Sentence.Matches(replyText))
            {
                if (!s.Value.Contains('?')) continue;
                wh |= WhWord.IsMatch(s.Value);
                int end = s.Index + s.Length;
                followUp |= reply.Any(t => t.Start >= s.Index && t.End <= end && t.IsContent && prevContent.Contains(t.Stem));
            }
        }
        bool ack = reply.Count > 0 && AcknowledgementWords.Contains(reply[0].Lower);
        bool ackOnly = reply.Count > 0 && reply.Count <= GenericReplyMaxWords && reusedContent == 0 && !question
                       && reply.All(t => AcknowledgementWords.Contains(t.Lower) || !t.IsContent);

        double meaning = double.IsNaN(cosine) ? 0 : cosine;
        double clauseMeaning = double.IsNaN(clauseCosine) ? meaning : clauseCosine;
        bool onTopic = reuse > 0 || (!double.IsNaN(cosine) && cosine >= OnTopicCosine);
        double room = Math.Log(1 + Math.Min(reply.Count, RoomWordCap)) / Math.Log(1 + RoomWordCap);
        if (!onTopic) room *= OffTopicRoomShare;

        return new UptakeFeatures(
            Reuse: reuse,
            ContentReuse: contentReuse,
            FunctionReuse: functionReuse,
            ReusedContent: Math.Log(1 + reusedContent),
            LongestRun: Math.Log(1 + run),
            RunShare: prev.Count == 0 ? 0 : run / (double)prev.Count,
            NewShare: reply.Count == 0 ? 0 : newWords / (double)reply.Count,
            NewContent: Math.Log(1 + newContent),
            ReplyWords: Math.Log(1 + reply.Count),
            StudentWords: Math.Log(1 + prev.Count),
            Room: room,
            NumbersRepeated: B(numbers),
            Question: B(question),
            WhQuestion: B(wh),
            Invitation: B(InvitationPattern.IsMatch(replyText)),
            Revoicing: B(RevoicingPattern.IsMatch(replyText)),
            FollowUp: B(followUp),
            Acknowledgement: B(ack),
            AcknowledgementOnly: B(ackOnly),
            StudentAsked: B(previousText.Contains('?')),
            Meaning: meaning,
            ClauseMeaning: clauseMeaning,
            Resemblance: resemblance);
    }

    private static double B(bool b) => b ? 1 : 0;

    /// <summary>
    /// Recognises a reply that gives the student's words back without substance: it repeats a good part
    /// of what they said, and apart from their words and set phrases ("so you're saying", "tell me more",
    /// "interesting") adds at most one content word and no question about their reasoning.
    /// Returns the kind and the echoed words; only applies once the student said a few words.
    /// </summary>
    public static (UptakeGuard Guard, EvidenceSpan? Echoed) EchoGuard(IReadOnlyList<Token> prev, IReadOnlyList<Token> reply, string replyText, string previousText = "")
    {
        if (prev.Count < EchoMinStudentWords || reply.Count == 0) return (UptakeGuard.None, null);
        var prevStems = prev.Select(t => t.Stem).ToHashSet();
        var prevContent = prev.Where(t => t.IsContent).Select(t => t.Stem).ToHashSet();
        if (prevContent.Count == 0) return (UptakeGuard.None, null);

        var replyStems = reply.Select(t => t.Stem).ToHashSet();
        double contentReuse = prevContent.Count(replyStems.Contains) / (double)prevContent.Count;
        var (runStart, runLength) = LongestRun(prev, reply, requireContent: false);
        bool repeats = contentReuse >= 0.5 || runLength >= 3;
        if (!repeats) return (UptakeGuard.None, null);

        int added = reply.Where(t => t.IsContent && !prevStems.Contains(t.Stem) && !FrameWords.Contains(t.Lower))
            .Select(t => t.Stem).Distinct().Count();
        // A question about their reasoning is substance, unless its words were the student's own ("I don't know why"). So is
        // naming a feeling or a cause they did not name, as the integrity check reads it: "I can see why you're upset. You
        // wrote what you were taught, and this mock counts." was capped as her words in a set phrase.
        if (added > 1 || PressesForReasoning(replyText, previousText)) return (UptakeGuard.None, null);
        if (reply.Any(t => !prevStems.Contains(t.Stem) && ReplyIntegrity.NamesFeelingOrCause(t.Stem))) return (UptakeGuard.None, null);

        bool formula = RevoicingPattern.IsMatch(replyText) || reply.Any(t => FrameWords.Contains(t.Lower) && !prevStems.Contains(t.Stem));
        EvidenceSpan? echoed = runLength > 0 ? Span(replyText, reply[runStart].Start, reply[runStart + runLength - 1].End) : null;
        return (formula ? UptakeGuard.FormulaicRevoice : UptakeGuard.Echo, echoed);
    }

    /// <summary>
    /// Picks the words that earned the score, strongest move first: the student's phrase reused
    /// (longest run, with at least one content word), a revoicing or an invitation to explain,
    /// a single reused content word, a short follow-up question, staying on topic;
    /// otherwise no span and the reason why nothing did.
    /// </summary>
    private static (EvidenceSpan?, string) FindEvidence(List<Token> prev, List<Token> reply, string text, UptakeFeatures f, double cosine)
    {
        var (start, length) = LongestRun(prev, reply, requireContent: true);
        bool asksAbout = f.FollowUp > 0 || f.Invitation > 0;
        if (length >= 2)
            return (Span(text, reply[start].Start, reply[start + length - 1].End),
                asksAbout ? "Reuses the student's own words and asks about them." : "Reuses the student's own words.");

        var revoice = RevoicingPattern.Match(text);
        if (revoice.Success)
            return (SentenceAround(text, revoice.Index), "Attributes the idea to the student (revoicing).");

        var invite = InvitationPattern.Match(text);
        if (invite.Success)
            return (SentenceAround(text, invite.Index), "Asks the student to explain or extend their idea.");

        if (length == 1)
            return (Span(text, reply[start].Start, reply[start].End), "Picks up a key word from the student.");

        if (f.Question > 0 && reply.Count <= ShortFollowUpWords)
            return (SentenceAround(text, text.IndexOf('?')), "A short follow-up question on what was just said.");

        if (!double.IsNaN(cosine) && cosine >= OnTopicCosine && reply.Count > 0)
            return (SentenceAround(text, reply[0].Start), "Stays on the student's topic but does not use their words or ask about their idea.");

        if (reply.Count > 0 && (reply.All(t => !t.IsContent) || reply.Count <= GenericReplyMaxWords))
            return (null, "A generic acknowledgement: nothing in it builds on what the student said.");

        return (null, "Does not pick up the student's words or idea; the reply moves elsewhere.");
    }

    /// <summary>Longest run of consecutive reply tokens matching consecutive student tokens (by stem), optionally holding a content word.</summary>
    private static (int Start, int Length) LongestRun(IReadOnlyList<Token> prev, IReadOnlyList<Token> reply, bool requireContent)
    {
        int bestStart = 0, bestLen = 0;
        for (int j = 0; j < reply.Count; j++)
            for (int i = 0; i < prev.Count; i++)
            {
                int k = 0; bool content = false;
                while (i + k < prev.Count && j + k < reply.Count && prev[i + k].Stem == reply[j + k].Stem)
                {
                    content |= reply[j + k].IsContent;
                    k++;
                }
                if ((content || !requireContent) && k > bestLen) { bestLen = k; bestStart = j; }
            }
        return (bestStart, bestLen);
    }

    private static EvidenceSpan Span(string text, int start, int end) => new(start, end - start, text[start..end]);

    private static EvidenceSpan SentenceAround(string text, int index)
    {
        int start = 0;
        foreach (Match m in SentenceBreak.Matches(text))
        {
            int next = m.Index + m.Length;
            if (next > index) return Trimmed(text, start, m.Index);
            start = next;
        }
        return Trimmed(text, start, text.Length);
    }

    private static EvidenceSpan Trimmed(string text, int start, int end)
    {
        while (start < end && char.IsWhiteSpace(text[start])) start++;
        while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
        return Span(text, start, end);
    }
}
