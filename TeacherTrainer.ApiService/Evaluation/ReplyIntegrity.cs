using TeacherTrainer.ApiService.Scenarios;
using System.Text.RegularExpressions;
using TeacherTrainer.ApiService.AI;
using TeacherTrainer.ApiService.Simulation;

namespace TeacherTrainer.ApiService.Evaluation;

/// <summary>The kinds of trick a reply can play on the scorer (issue 9, "hard to game").</summary>
public static class IntegrityFamilies
{
    public const string Echo = "echo";
    public const string FormulaicRevoicing = "formulaic-revoicing";
    public const string Stuffing = "keyword-stuffing";
    public const string Sneer = "sneer";
    public const string NegatedContent = "negated-content";
    public const string OffTopic = "off-topic";
    public const string Padding = "padding";
    public const string Generic = "generic";
}

/// <summary>
/// One thing the reply does that must not earn credit, in words a trainee believes.
/// </summary>
/// <param name="Family">One of <see cref="IntegrityFamilies"/>.</param>
/// <param name="Span">Where in the judged reply the trainee's words are (offsets into the reply).</param>
/// <param name="Quote">The trainee's words at <paramref name="Span"/>.</param>
/// <param name="Reason">Why it costs, quoting the words.</param>
/// <param name="OverallCap">The overall score can be at most this (null: no cap).</param>
/// <param name="Multiplier">The overall score is multiplied by this (1: no change).</param>
/// <param name="CriterionCaps">Criterion key to the most it can score; the key <see cref="ReplyIntegrity.AllCriteria"/> caps every criterion.</param>
public sealed record IntegrityFinding(
    string Family,
    TextSpan Span,
    string Quote,
    string Reason,
    int? OverallCap,
    double Multiplier,
    IReadOnlyDictionary<string, int> CriterionCaps);

/// <summary>What <see cref="ReplyIntegrity.Inspect"/> found; empty for an ordinary reply.</summary>
public sealed record IntegrityReport(IReadOnlyList<IntegrityFinding> Findings)
{
    public static readonly IntegrityReport Clean = new([]);
    public bool IsClean => Findings.Count == 0;
}

/// <summary>
/// Reads a reply in its conversation for the tricks that raise a similarity score without being
/// better teaching: echoing the persona's words, formulaic revoicing, strings of rubric words or
/// copied indicator sentences, a sneer tacked onto warm words, good content negated, an off-topic
/// reply, and padding. Every detector is a rule over the reply's words and the vectors the engine
/// already computed (no extra model call), and every finding quotes the words that set it off, so
/// the trainee sees exactly why. <see cref="Apply"/> turns the findings into caps on the judgement.
/// </summary>
public static partial class ReplyIntegrity
{
    /// <summary>Criterion-cap key that caps every criterion.</summary>
    public const string AllCriteria = "*";

    // Caps and multipliers: each sets the trick well below what a genuinely good reply earns (the
    // library's 4-5 rated replies average 64), and the strongest families land in "weak" or "poor".
    public const int SneerOverallCap = 15;
    public const int SneerCriterionCap = 25;
    public const int NegatedOverallCap = 30;
    public const int NegatedCriterionCap = 20;
    public const int OffTopicOverallCap = 25;
    public const int OffTopicCriterionCap = 30;
    public const int EchoOverallCap = 25;
    /// <summary>The uptake a generic reply keeps. An echo or a formulaic revoicing keeps the echo guard's own cap (<see cref="UptakeScorer.EchoCap"/>), so the two checks never name different limits for the same trick.</summary>
    public const int GenericUptakeCap = 25;
    public const int RevoiceOverallCap = 30;
    public const int GenericOverallCap = 35;
    /// <summary>Replies up to this many words with no word of the persona's are generic when they carry at most two content words.</summary>
    public const int GenericMaximumWords = 5;
    public const double StuffingMultiplier = 0.6;
    public const double PaddingMultiplier = 0.75;

    /// <summary>A clause this close to an indicator sentence is a copy of it, not the trainee's own words.</summary>
    public const double IndicatorCopySimilarity = 0.9;
    /// <summary>A negated clause this close to a positive indicator says the opposite of it.</summary>
    public const double NegatedIndicatorSimilarity = 0.42;
    /// <summary>A clause the move classifier hears as sarcasm, threat or dismissal this surely is a sneer.</summary>
    public const double ClauseHarmfulProbability = 0.95;
    public const int ClauseHarmfulMaxWords = 10;
    /// <summary>Off-topic: below this similarity to the last turn and to every indicator, sharing at most one word with the conversation.
    /// (The library's 5-rated replies all reach 0.48 or more against some indicator.)</summary>
    public const double OffTopicLastTurnSimilarity = 0.3;
    public const double OffTopicIndicatorSimilarity = 0.42;
    /// <summary>A one-clause reply heard as setting a limit at least this surely, about something nobody said, is an instruction about that.</summary>
    public const double InstructionHeardFrom = 0.9;
    /// <summary>A last turn with at least this many content words sets a topic clearly.</summary>
    public const int OffTopicMinimumWords = 4;
    /// <summary>Fewer content words than this ("yes", "30") give no topic to stray from; in between, a short line's topic is held to stricter thresholds.</summary>
    public const int OffTopicShortLineWords = 2;
    public const double OffTopicShortLineSimilarity = 0.15;
    public const double OffTopicShortLineIndicatorSimilarity = 0.42;
    /// <summary>A question this short that adds one word and points back at what was said ("And how did you find that?") is a follow-up.</summary>
    public const int OffTopicFollowUpWords = 10;
    /// <summary>A reply the classifier hears as acknowledging feelings or offering a choice at least this surely is not off-topic...</summary>
    public const double FeelingsHeardFrom = 0.5;
    /// <summary>...when it brings at most this many words of a subject of its own (not everyday, not names, not said before).</summary>
    public const int FeelingsBringAtMost = 2;
    /// <summary>Off-topic: a reply this near one of the scenario's goal lines is about the situation (<see cref="AboutWhatTheScenarioAsks"/>).</summary>
    public const double OffTopicAimSimilarity = 0.6;

    private const RegexOptions Rx = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    /// <summary>What the reply does that must not earn credit, read in its conversation. Pure: the same inputs, the same findings.</summary>
    /// <param name="context">The conversation so far, oldest first (the last turn is what the reply answers).</param>
    /// <param name="reply">The reply as the engine encoded it (after instructions to the assessor were blanked).</param>
    /// <param name="lastTurnVector">The last turn's embedding (the one uptake uses); null skips the off-topic check.</param>
    /// <param name="criteria">The rubric's criteria with their indicator embeddings; empty for a collection.</param>
    /// <param name="classifier">The move classifier, to hear a short clause as a sneer; null to use the wording alone.</param>
    public static IntegrityReport Inspect(IReadOnlyList<ContextTurn> context, EncodedReply reply, float[]? lastTurnVector,
        IReadOnlyList<CriterionModel> criteria, MoveClassifier? classifier)
    {
        if (string.IsNullOrWhiteSpace(reply.Text)) return IntegrityReport.Clean;
        var last = context.Count > 0 && context[^1].Speaker != "teacher" ? context[^1] : null;
        var who = last is null ? "the person you are talking to" : PersonOf(last.Speaker);
        var clauses = reply.Clauses.Count > 0 ? reply.Clauses : [new EncodedClause(new(0, reply.Text.Length), reply.Text.Trim(), reply.Vector)];
        var findings = new List<IntegrityFinding>();
        // Everything the person has said, however far back: read once, for the echo and off-topic checks.
        var theirs = new Lazy<HashSet<string>>(() => ContentStems(context.Where(t => t.Speaker != "teacher")));

        FindSneers(reply, clauses, classifier, who, findings);
        FindNegatedContent(reply, clauses, criteria, who, findings);
        if (last is not null) FindEcho(reply, theirs, last, lastTurnVector, who, findings);
        FindStuffing(reply, clauses, criteria, who, findings);
        if (lastTurnVector is not null && last is not null) FindOffTopic(reply, clauses, context, theirs, lastTurnVector, criteria, classifier, who, findings);
        FindPadding(reply, clauses, findings);
        return findings.Count == 0 ? IntegrityReport.Clean : new IntegrityReport(findings);
    }

    /// <summary>
    /// The report without its off-topic finding when the reply is as near an earlier line of theirs as an on-topic reply is
    /// to the last (<see cref="OffTopicLastTurnSimilarity"/>): after a short reaction ("Okay. I won't tell anyone anything
    /// next time then."), "Can you show me what they've been posting?" goes back to what the student came to say (0.33 from
    /// it), where "What's your favourite football team?" is 0.10 from it. The earlier lines are embedded only when there is a
    /// finding to check, and in a practice session they are already in the cache.
    /// </summary>
    public static async Task<IntegrityReport> ReadAgainstEarlierLinesAsync(IntegrityReport report, EncodedReply reply, IReadOnlyList<ContextTurn> context,
        Func<string, CancellationToken, Task<float[]>> embed, CancellationToken cancellationToken)
    {
        if (!report.Findings.Any(f => f.Family == IntegrityFamilies.OffTopic)) return report;
        var earlier = context.Take(context.Count - 1).Where(t => t.Speaker != "teacher" && t.Text.Length > 0).Select(t => t.Text).Distinct().ToList();
        foreach (var line in earlier)
        {
            var vector = await embed(line, cancellationToken);
            var similarity = reply.Clauses.Select(c => (double)VectorMath.Dot(c.Vector, vector)).Append(VectorMath.Dot(reply.Vector, vector)).Max();
            if (similarity >= OffTopicLastTurnSimilarity) return new IntegrityReport([.. report.Findings.Where(f => f.Family != IntegrityFamilies.OffTopic)]);
        }
        return report;
    }

    /// <summary>
    /// The report without its off-topic or generic finding when the reply is within <see cref="OffTopicAimSimilarity"/> of
    /// one of the scenario's goal lines: it does what the scenario asks, in the persona's terms, so it neither changes the
    /// subject nor could follow anything. "Is everything okay at home?" to the boy who said "You don't know what he's like"
    /// about his dad was capped at 25 as off-topic, three lines on; it is 0.68 from "You haven't looked like you're
    /// sleeping. Is something going on at home?". No small talk in the robustness suite comes within 0.51 of its
    /// scenario's goal lines ("Do you have any pets at home?" to the boy whose mum is in hospital).
    /// </summary>
    public static IntegrityReport AboutWhatTheScenarioAsks(IntegrityReport report, EncodedReply reply, IReadOnlyList<float[]> aims)
    {
        if (aims.Count == 0 || !report.Findings.Any(f => f.Family is IntegrityFamilies.OffTopic or IntegrityFamilies.Generic)) return report;
        var units = reply.Clauses.Select(c => c.Vector).Append(reply.Vector).ToList();
        return aims.Any(a => units.Any(u => VectorMath.Dot(u, a) >= OffTopicAimSimilarity))
            ? new IntegrityReport([.. report.Findings.Where(f => f.Family is not (IntegrityFamilies.OffTopic or IntegrityFamilies.Generic))])
            : report;
    }

    /// <summary>
    /// The report read against what the scenario itself says (<see cref="AboutWhatTheScenarioAsks"/>, then
    /// <see cref="AboutTheSituation"/>): the checks that need no further encoding, in the order the engine applies them.
    /// </summary>
    public static IntegrityReport AboutTheScenario(IntegrityReport report, EncodedReply reply, RubricBasis basis)
        => AboutTheSituation(AboutWhatTheScenarioAsks(report, reply, basis.Aims), reply.Text, basis.SituationWords);

    /// <summary>
    /// The report without its off-topic or generic finding when the reply takes up a word of what happened, as the scenario
    /// tells it (<see cref="RubricBasis.SituationWords"/>): "When you wrote eleventy, did you know the answer?" to Mateo, after
    /// "Wait, you're not mad? ...Okay.", asks about the lesson the conversation is about, though nobody has said "eleventy"
    /// yet; and "What does multifaceted mean?" to Jaylen could not follow anything anyone said (whether it is a fair question
    /// is for the criteria: his scenario warns against it).
    /// </summary>
    public static IntegrityReport AboutTheSituation(IntegrityReport report, string reply, IReadOnlySet<string> situationWords)
    {
        if (situationWords.Count == 0 || !report.Findings.Any(f => f.Family is IntegrityFamilies.OffTopic or IntegrityFamilies.Generic)) return report;
        return EverydayWords.TopicStems(reply).Any(situationWords.Contains)
            ? new IntegrityReport([.. report.Findings.Where(f => f.Family is not (IntegrityFamilies.OffTopic or IntegrityFamilies.Generic))])
            : report;
    }

    /// <summary>
    /// The report without its off-topic finding when the reply names an adult the scenario does not ("Mrs Khan", where its
    /// lines name Mr Fletcher) and, with every name on both sides written "someone", is about the situation
    /// (<see cref="OffTopicIndicatorSimilarity"/> from an indicator, <see cref="OffTopicAimSimilarity"/> from a goal line). A
    /// trainee who names their own school's safeguarding lead has not changed the subject. Read only for this check: every
    /// criterion still reads the words as written. Embeds only when there is a finding to check and a name to take out.
    /// </summary>
    public static async Task<IntegrityReport> ReadWithTheScenarioNamesAsync(IntegrityReport report, EncodedReply reply, RubricBasis basis,
        Func<string, CancellationToken, Task<EncodedReply>> encode, CancellationToken cancellationToken)
    {
        if (basis.WithoutNames is not { } nameless || !report.Findings.Any(f => f.Family == IntegrityFamilies.OffTopic)) return report;
        if (!TitledNames.In(reply.Text).Any(n => !nameless.Names.Contains(n))) return report;
        var anyone = await encode(TitledNames.WithoutNames(reply.Text), cancellationToken);
        var units = anyone.Clauses.Select(c => c.Vector).Append(anyone.Vector).ToList();
        return Nearest(units, nameless.Indicators) >= OffTopicIndicatorSimilarity || Nearest(units, nameless.Aims) >= OffTopicAimSimilarity
            ? new IntegrityReport([.. report.Findings.Where(f => f.Family != IntegrityFamilies.OffTopic)])
            : report;
    }

    private static double Nearest(IReadOnlyList<float[]> units, IEnumerable<float[]> targets)
        => targets.Select(t => units.Max(u => (double)VectorMath.Dot(u, t))).DefaultIfEmpty(0).Max();

    /// <summary>
    /// The report without a sneer that only the classifier heard, in a clause whose vector was pooled from the whole reply,
    /// when the clause read on its own is not one: "That's what matters." after "You liked one of the posts, and now you're
    /// telling me." was heard as a sneer in context and is neutral (0.77) alone. A sneer tacked on ("Typical.", "Get a
    /// grip.") is one on its own too. Words that sneer in plain sight are never read again. The clause is read without an "Oh"
    /// that calls to them (<see cref="MoveClassifier.WithoutInterjections"/>), as the move is.
    /// </summary>
    public static async Task<IntegrityReport> ConfirmSneersAloneAsync(IntegrityReport report, MoveClassifier classifier,
        Func<string, CancellationToken, Task<float[]>> embed, CancellationToken cancellationToken)
    {
        var heard = report.Findings.Where(f => f.Family == IntegrityFamilies.Sneer && !Sneer().IsMatch(f.Quote) && FirstInsult(f.Quote) is null).ToList();
        if (heard.Count == 0) return report;
        var unfounded = new List<IntegrityFinding>();
        foreach (var finding in heard)
        {
            // Read as the judge hears a reply: without an "Oh" that calls to them ("Oh, sweetheart, a blank head is horrible." was a sneer).
            var text = MoveClassifier.WithoutInterjections(finding.Quote);
            var alone = classifier.Classify(text, await embed(text, cancellationToken));
            if (!Moves.IsHarmful(alone.Move) || alone.Confidence < ClauseHarmfulProbability) unfounded.Add(finding);
        }
        return unfounded.Count == 0 ? report : new IntegrityReport([.. report.Findings.Except(unfounded)]);
    }

    /// <summary>The judgement with the findings' caps applied, the band recomputed and the reasons added to the notes and to the criteria they capped.</summary>
    public static Judgement Apply(Judgement judgement, IntegrityReport? report)
    {
        if (report is null || report.IsClean) return judgement;
        var criteria = judgement.Criteria.Select(c =>
        {
            // A criterion left out of this reply's score (not due yet, or met earlier) is not capped: shown as a cost, it would
            // contradict its own "does not count in this reply's score".
            if (c.Effect is CriterionStage.NotYetDue or CriterionStage.MetEarlier) return c;
            var capping = report.Findings
                .Select(f => (Finding: f, Cap: f.CriterionCaps.TryGetValue(c.Key, out var own) ? own : f.CriterionCaps.TryGetValue(AllCriteria, out var all) ? all : (int?)null))
                .Where(x => x.Cap is { } cap && cap < c.Score)
                .OrderBy(x => x.Cap).ToList();
            if (capping.Count == 0) return c;
            var first = capping[0].Finding;
            return c with
            {
                Score = capping[0].Cap!.Value,
                Evidence = first.Quote,
                EvidenceStart = first.Span.Start,
                Effect = "cost",
                Explanation = c.Explanation + " " + string.Join(" ", capping.Select(x => x.Finding.Reason).Distinct()),
            };
        }).ToList();

        double overall = JudgementComposer.Overall(criteria);
        foreach (var finding in report.Findings) overall *= finding.Multiplier;
        var cap = report.Findings.Where(f => f.OverallCap is not null).Select(f => f.OverallCap!.Value).DefaultIfEmpty(100).Min();
        var score = Math.Min(cap, (int)Math.Round(overall));
        return judgement with
        {
            Score = score,
            Band = JudgementBands.For(score),
            Criteria = criteria,
            Notes = [.. judgement.Notes, .. report.Findings.Select(f => f.Reason).Distinct()],
            Flags = [.. judgement.Flags, .. report.Findings.Select(f => f.Family).Distinct()],
        };
    }

    private static string PersonOf(string speaker) => speaker switch
    {
        "parent" => "the parent",
        "colleague" => "your colleague",
        "student" => "the student",
        _ => "the person you are talking to",
    };

    private static string Quote(string text) => text.Length <= 90 ? text : text[..87].TrimEnd() + "...";

    private static Dictionary<string, int> Caps(params (string Key, int Cap)[] caps) => caps.ToDictionary(c => c.Key, c => c.Cap);

    // ---- Sneers and insults -------------------------------------------------------------

    // Insults and put-downs said to the person; negated ("you're not stupid") or reported ("he called
    // you lazy", "makes you feel stupid") uses are sincere and excluded below.
    [GeneratedRegex(@"\b(idiot|idiotic|moron|stupid|pathetic|useless|hopeless|lazy|dumb|thick|spoilt|spoiled|brat|loser|clueless|ridiculous|childish|cry ?baby|drama queen|whinger|whiner)\b", Rx)]
    private static partial Regex InsultWord();

    // "n't" ends a word ("doesn't", "isn't"): no word boundary before it. The negation or report is in the same phrase as the
    // word: "We don't push, you idiot." says it to him (a comma or a stop between them ends the excuse).
    [GeneratedRegex(@"(n['’]t|\b(not|never|no one|nobody|feel|feels|felt|feeling|look|looks|seem|seems|called?|calling|calls|names?|said|says|saying|words? like|like))[^\w,.;!?]+(\w+[^\w,.;!?]+){0,3}$", Rx)]
    private static partial Regex InsultExcuse();

    [GeneratedRegex(@"\b(grow up|shut up|get a grip|man up|toughen up|stop (whining|whinging|moaning|crying|being (a )?(baby|silly|dramatic|ridiculous|difficult|childish))|don['’]t be (such )?a baby|what a (baby|joke|waste)|"
        + @"some (people|parents|kids|children|colleagues)\b[.!]|honestly,? some people|^\W*typical[.!]|\btypical[.!]?\s*$|not that you['’]?d (understand|get it|care|listen|notice)|not my problem|"
        + @"(i )?couldn['’]t care less|^\W*whatever[.!,]|seriously\?|no big deal|so what\?|boo[- ]hoo|get over (it|yourself)|nobody cares|who cares\?|^\W*deal with it\W*$|"
        + @"(oh,? )?(great|wonderful|brilliant|fantastic|lovely),? (another|more|so|just what)\b|thanks for nothing|you (always|never) (do|listen|learn|get)|you people|"
        + @"\byou(['’]re| are) (just |such |so |a total |an absolute )*(a |an )?(joke|disgrace|embarrassment|failure|nightmare|liability|laughing ?stock|waste of (space|time|oxygen|breath))\b|"
        + @"\bso (it['’]s|you['’]re|you think)\b[^.!?]{0,50},? (is it|are you|do you)\?|(it['’]s|that['’]s|this is) (not )?rocket science|even a (child|baby|toddler|five[- ]year[- ]old) (could|can|would)|"
        // A mocking name after a correction ("Not quite, genius.", "Nice try, Einstein."): "You're a genius at this!" is praise.
        + @"\b(not quite|nice try|good try|wrong|nope|close|nearly|almost|no)\b[^.!?]{0,20},\s*(genius|einstein|sherlock|professor|clever ?clogs|smart ?(arse|ass|pants)|brainiac|mastermind)\b)", Rx)]
    private static partial Regex Sneer();

    private static void FindSneers(EncodedReply reply, IReadOnlyList<EncodedClause> clauses, MoveClassifier? classifier, string who, List<IntegrityFinding> findings)
    {
        // Words first, over every sentence (the clause list stops at eight clauses, and a sneer is often the last).
        var sentences = Sentences(reply.Text);
        foreach (var sentence in sentences)
        {
            var text = reply.Text.Substring(sentence.Start, sentence.Length);
            if (!Sneer().IsMatch(text) && FirstInsult(text) is null) continue;
            AddSneer(sentence, text, sentence.Start == sentences[^1].Start && sentences.Count > 1 ? "The last sentence" : sentences.Count > 1 ? "One sentence" : "The reply");
            return;
        }
        // Then the move classifier where it is all but certain: a short first or last clause (where a sneer
        // is tacked on) heard as sarcasm, a threat or a dismissal. Two calls at most, so scoring stays fast.
        if (classifier is null || clauses.Count < 2) return;
        foreach (var clause in new[] { clauses[^1], clauses[0] })
        {
            var words = CountWords(clause.Text);
            if (words is < 2 or > ClauseHarmfulMaxWords) continue;
            // As the judge hears the clause, its words read: "If you're not safe, I'll have to tell Mr Osei" was a threat (0.98) to
            // the classifier alone and sneered at Leah; it says who must be told.
            var heard = classifier.HearClause(clause.Text, clause.Vector);
            if (!Moves.IsHarmful(heard.Move) || heard.Confidence < ClauseHarmfulProbability) continue;
            AddSneer(clause.Span, clause.Text, clause == clauses[^1] ? "The last sentence" : "One sentence");
            return;
        }

        void AddSneer(TextSpan span, string text, string position)
            => findings.Add(new(IntegrityFamilies.Sneer, span, text.Trim(),
                $"{position} sneers at {who} (\"{Quote(text.Trim())}\"): one sneer undoes the warm words around it, and it is what {who} will remember.",
                SneerOverallCap, 1, Caps((AllCriteria, SneerCriterionCap))));
    }

    [GeneratedRegex(@"[^.!?…\n]+[.!?…]*", RegexOptions.CultureInvariant)]
    private static partial Regex SentencePattern();

    private static List<TextSpan> Sentences(string text)
        => SentencePattern().Matches(text).Where(m => !string.IsNullOrWhiteSpace(m.Value))
            .Select(m => { var lead = m.Value.Length - m.Value.TrimStart().Length; return new TextSpan(m.Index + lead, m.Value.Trim().Length); }).ToList();

    /// <summary>A quotation opened and not yet closed (an apostrophe inside a word, as in "he's", opens nothing).</summary>
    [GeneratedRegex(@"(^|[\s(\[])['‘""“][^'’""”]*$", RegexOptions.CultureInvariant)]
    private static partial Regex OpenQuote();

    private static Match? FirstInsult(string clause)
        => InsultWord().Matches(clause).FirstOrDefault(m => !Excused(clause, m));

    /// <summary>
    /// Whether an insult word is said to no one: negated or reported just before it ("you're not stupid", "he called you
    /// lazy", "doesn't always mean useless"), inside quotation marks ("the 'thick set'"), or negated just after ("nothing
    /// stupid about it"). The move classifier's put-down cue reads words the same way.
    /// </summary>
    public static bool Excused(string text, Match word)
    {
        var before = text[..word.Index];
        if (InsultExcuse().IsMatch(before)) return true;
        // Inside quotation marks it is someone else's word being reported ("he's calling it the 'thick set'").
        if (OpenQuote().IsMatch(before)) return true;
        // "It's not ridiculous to worry" / "nothing stupid about it": a negation right after excuses it too.
        return Regex.IsMatch(text[(word.Index + word.Length)..], @"^\W*(about|of you to worry|question)\b", Rx);
    }

    // ---- Negated good content -----------------------------------------------------------

    // Not caring is never good teaching, whatever follows it.
    [GeneratedRegex(@"\b((i|we) (do not|don['’]t|couldn['’]t|could not) care|couldn['’]t care less|not my (problem|job|concern)|(i|we) can['’]t be bothered)\b", Rx)]
    private static partial Regex NotCaring();

    // Refusing what a good reply does: the caring verbs of the indicators, turned down. "I won't tell the
    // girls it was you" or "I'm not going to ring your mum" refuse something else and are not matched.
    [GeneratedRegex(@"\b((i|we)\s*(won['’]t|will not|am not going to|['’]m not going to|are not going to|['’]re not going to|refuse to|(do not|don['’]t)\s+((really|even)\s+)?want to|shan['’]t)|let['’]s not)\s+(\w+\s+)?"
        + @"(help|listen|hear|talk|keep|thank|show|explain|look|give|sit|ask|agree|try|check|plan|support|understand|care|meet|wait|accept|work|find|make|put|start|go through|come|sort|fix|change|learn|know|see|take|deal|follow|read|let you|stay|be there|be around"
        // Telling the person ("I won't always tell you what I'm doing first") is a promise a good reply makes; "I won't tell your
        // class" or "I won't tell you the answer" are not refusals of it.
        + @"|tell you(?! (the|what the|which) (right )?answer))\b"
        + @"|\b(i|we) can['’]t (see|hear|understand) (how|why|what|that|where|you)\b", Rx)]
    private static partial Regex Refusal();

    // Negations that protect or reassure: "I won't let anyone break it", "I'm not going to shout", "I don't blame you",
    // "I'm not going to tell you your way is wrong".
    [GeneratedRegex(@"\b(won['’]t|will not|never|not going to|don['’]t|do not) (let (anyone|anybody|them|him|her|it|that|this)|be (angry|cross|upset|mad|shouting|telling you off)|shout|judge|punish|blame|tell you off|give up on|leave you|pretend|make you|force you|take (it|that|this) (away|off you))|"
        + @"don['’]t (worry|panic|feel bad|be sorry|apologi[sz]e)|not your fault|let['’]s not (worry|rush|panic|argue)|"
        + @"(tell|say to) you (that )?(you['’]re|you are|your \w+ (is|was)|it['’]s|it was) (wrong|bad|stupid|silly|your fault|in trouble)", Rx)]
    private static partial Regex ReassuringNegation();

    [GeneratedRegex(@"\b(not|n['’]t|never|no)\b", Rx)]
    private static partial Regex AnyNegation();

    // "I'm not", "we aren't", with the hedges that soften it without changing it ("I'm not really...").
    private const string IAmNot = @"\b(i|we)\s*(['’]m|am|['’]re|are)\s+not\s+((really|even|actually|that|very|at all|particularly|so|too|remotely)\s+)?";
    // Doubt that hedges a whole clause: "I'm not sure", "I'm not convinced", "I don't know if / whether".
    private const string Doubt = @"\b((i|we)\s*(['’]m|am|['’]re|are)\s+not\s+(really\s+|at\s+all\s+|entirely\s+)?(sure|certain|convinced)|(i|we)\s+(don['’]t|do\s+not)\s+(really\s+)?know)\s+((if|whether|that)\s+)?";
    // What the person did in coming to the teacher: confiding, asking, telling.
    private const string Confiding = @"((came|come|coming)\s+(to\s+(me|us|see\s+me)|in|here|and\s+told)|(told|tell|telling)\s+(me|us)|talked\s+to\s+(me|us)|spoke\s+(to\s+(me|us)|up)|"
        + @"trusted\s+(me|us)|shared\s+(this|that|it)|asked\s+(me|us|for\s+help)|let\s+me\s+know|reached\s+out|mentioned\s+(it|this|that)\s+to\s+(me|us)|brought\s+(this|that|it)\s+to\s+(me|us))\b";

    // Turning the person away, which no rubric wording is needed to hear, often hedged ("not really"): not
    // listening or interested, not glad they came or told, telling them off for telling, promising to do
    // nothing. The objects matter: "I'm not happy that you called him that" and "you shouldn't have said
    // that to Theo" are a teacher's fair limits, so only coming to the teacher and confiding are matched.
    [GeneratedRegex(IAmNot + @"(listening\s+to\s+(you|your|this|that|what\s+you|anything\s+you|any\s+of\s+(this|that|it))\b|interested\s+in\s+(you|your|what\s+you|anything\s+you|hearing|how\s+you|what['’]s\s+(going\s+on|happening|been\s+happening|wrong))\b|(listening|interested)\s*([.!?,;…]|$))"
        + "|" + IAmNot + @"(glad|happy|pleased|grateful|thankful)\s+(at\s+all\s+)?(that\s+)?(you|you['’]ve|you\s+have)\s+" + Confiding
        + @"|\byou\s+(shouldn['’]t|should\s+not|didn['’]t\s+need\s+to|did\s+not\s+need\s+to|needn['’]t|had\s+no\s+(need|reason|business)\s+to)\s+(have\s+)?" + Confiding
        + @"|\b(i|we)\s+(don['’]t|do\s+not)\s+(really\s+)?think\s+you\s+should\s+(have\s+|be\s+)?" + Confiding
        + @"|\b(i|we)\s+wish\s+you\s+(hadn['’]t|had\s+not|didn['’]t)\s+" + Confiding
        // Doubt said of the welcome itself ("I'm not sure I'm glad you told me", "I don't know if you should have come to me",
        // "I'm not sure I want to hear this"): doubting what happened or what comes next ("I'm not sure what happened, but
        // I'm glad you told me") is not matched, since the doubt must govern the welcome directly.
        + "|" + Doubt + @"(i|we)\s*(['’]m|am|['’]re|are)\s+(really\s+)?(glad|happy|pleased|grateful|thankful)\s+(that\s+)?(you|you['’]ve|you\s+have)\s+" + Confiding
        + "|" + Doubt + @"you\s+(really\s+)?(should|needed\s+to|had\s+to|ought\s+to)\s+(have\s+|be\s+)?" + Confiding
        + "|" + Doubt + @"(i|we)\s+(really\s+)?(want|need|have\s+time)\s+to\s+((hear|listen)\b|know\s+(about\s+)?(this|that|it|all\s+(this|that)|any\s+(of\s+)?(this|that|it)|what\s+you)\b)"
        + @"|\b(i|we)\s+(can['’]t|cannot|can\s+not|won['’]t)\s+(really\s+)?promise\s+(that\s+)?(i['’]ll|i\s+will|i\s+can|i['’]m\s+going\s+to|we['’]ll|we\s+will|we\s+can|to|anyone\s+will|anybody\s+will)\s+"
        + @"((really|actually|even)\s+)?(do\s+(anything|much|a\s+thing|something)|help|listen|be\s+there|care|sort\s+(it|this|that)|take\s+(it|this|that)\s+seriously|bother)\b", Rx)]
    private static partial Regex Rejection();

    // Words just before it that make a rejection someone else's, or a worry to answer, not the teacher's own stance:
    // "if it feels like I'm not listening, tell me", "you might think I'm not interested". Only the few words before
    // count, within the clause: "you've seemed tired, but I'm not interested" is still said as the teacher's own.
    [GeneratedRegex(@"\b(if|feel|feels|felt|feeling|think|thought|thinks|seem|seems|seemed|worried|worry|afraid|scared|like|as though|sounds?|said|says|say|means)\b(\s+[\w'’]+){0,3}\s*$", Rx)]
    private static partial Regex RejectionExcuse();

    /// <summary>The first rejection of the person in <paramref name="sentence"/> said as the teacher's own stance, or null.</summary>
    private static Match? FirstRejection(string sentence)
    {
        foreach (Match m in Rejection().Matches(sentence))
        {
            if (!RejectionExcuse().IsMatch(sentence[..m.Index])) return m;
        }
        return null;
    }

    private static void FindNegatedContent(EncodedReply reply, IReadOnlyList<EncodedClause> clauses, IReadOnlyList<CriterionModel> criteria, string who, List<IntegrityFinding> findings)
    {
        var caps = new Dictionary<string, int>();
        (TextSpan Span, string Text)? first = null;
        var counted = new List<TextSpan>();
        var count = 0;
        var rejected = false;
        foreach (var clause in clauses)
        {
            if (!Refusal().IsMatch(clause.Text) || ReassuringNegation().IsMatch(clause.Text)) continue;
            var flipped = false;
            foreach (var model in criteria)
            {
                for (var i = 0; i < model.Positive.Length; i++)
                {
                    // An indicator that is itself negated ("It's not your fault") agrees with a negated clause.
                    if (AnyNegation().IsMatch(model.Criterion.PositiveIndicators[i])) continue;
                    if (VectorMath.Dot(clause.Vector, model.Positive[i]) < NegatedIndicatorSimilarity) continue;
                    caps[model.Criterion.Key] = NegatedCriterionCap;
                    flipped = true;
                    break;
                }
            }
            if (!flipped) continue;
            first ??= (clause.Span, clause.Text);
            counted.Add(clause.Span);
            count++;
        }
        // Not caring ("I don't care if anyone breaks it") and turning the person away ("I'm not listening") are
        // negated content wherever they are, whatever the rubric says.
        foreach (var sentence in Sentences(reply.Text))
        {
            var text = reply.Text.Substring(sentence.Start, sentence.Length);
            var rejection = FirstRejection(text) is not null;
            if (!rejection && !NotCaring().IsMatch(text)) continue;
            first ??= (sentence, text);
            rejected |= rejection;
            // A sentence already counted for a refused clause in it is one thing said, not two.
            if (counted.Any(c => c.Start < sentence.Start + sentence.Length && sentence.Start < c.Start + c.Length)) continue;
            count++;
        }
        if (first is not { } found) return;
        // A refused clause costs the criteria it turned down; turning the person away costs every criterion.
        var criterionCaps = caps;
        if (rejected || caps.Count == 0) criterionCaps[AllCriteria] = NegatedCriterionCap + 15;
        findings.Add(new(IntegrityFamilies.NegatedContent, found.Span, found.Text,
            $"\"{Quote(found.Text)}\" says the opposite of what helps: the good words are there, but turned down, so they count against the reply, not for it.",
            count >= 2 ? NegatedOverallCap - 5 : NegatedOverallCap, 1, criterionCaps));
    }

    // ---- Echo and formulaic revoicing ---------------------------------------------------

    [GeneratedRegex(@"\b(so,? you['’]re saying( that)?|so what you['’]re saying is|what i['’]m hearing( is)?|i hear (you|that)|you said( that)?|you['’]re telling me( that)?|tell me more|say more|go on|interesting|i see|right,? so|okay,? so|ok,? so|so,? basically|can you (say|tell me) more|is that right|am i right)\b", Rx)]
    private static partial Regex RevoiceFormula();

    // Naming a feeling they did not name, or a cause, turns their words into a reflection ("That sounds really scary, your
    // head going blank while everyone else is writing." was capped as an echo).
    private static readonly HashSet<string> FeelingStems = new[]
    {
        "worried", "worry", "upset", "cross", "angry", "sad", "scared", "scary", "frightened", "frightening", "frustrated", "frustrating",
        "embarrassed", "embarrassing", "hurt", "bother", "bothers", "bothered", "proud", "disappointed", "nervous", "anxious", "unfair", "lonely", "confused", "stressed",
        "stressful", "afraid", "overwhelmed", "overwhelming", "ashamed", "awful", "horrible", "terrifying", "painful", "exhausting",
        "exhausted", "tough", "heartbreaking", "miserable", "because",
    }.Select(TextTokens.Stem).ToHashSet(StringComparer.Ordinal);

    /// <summary>Whether the stem names a feeling ("scary", "worried") or gives a cause ("because"): what turns their words into a reflection.</summary>
    public static bool NamesFeelingOrCause(string stem) => FeelingStems.Contains(stem);

    // Naming a feeling, a cause or a next step is substance, even inside a revoicing frame, and so is asking how it feels
    // when they have not said ("You said he calls you ginger. How does that feel when it happens?" takes up his grievance;
    // it was capped at 30 as formulaic, and he answered "Yeah, banter. That's what I said.").
    private static readonly HashSet<string> SubstanceStems = FeelingStems
        .Concat(new[] { "plan", "together", "next", "instead", "try", "help", "feel", "feeling", "felt" }.Select(TextTokens.Stem)).ToHashSet(StringComparer.Ordinal);

    private static readonly HashSet<string> FormulaStems = new[] { "tell", "more", "hear", "hearing", "saying", "said", "interesting", "see", "go", "right", "sharing", "share", "understand" }
        .Select(TextTokens.Stem).ToHashSet(StringComparer.Ordinal);

    /// <summary>The words of stock replies and revoicing formulas: they name nothing the person said.</summary>
    private static readonly HashSet<string> StockStems = new[] { "explain", "question", "job", "work", "idea", "point", "thought", "answer" }
        .Select(TextTokens.Stem).Concat(FormulaStems).ToHashSet(StringComparer.Ordinal);

    private static HashSet<string> ContentStems(IEnumerable<ContextTurn> turns)
        => turns.SelectMany(t => TextTokens.Tokenize(t.Text)).Where(t => t.IsContent).Select(t => t.Stem).ToHashSet(StringComparer.Ordinal);

    private static void FindEcho(EncodedReply reply, Lazy<HashSet<string>> everythingTheySaid, ContextTurn last, float[]? lastVector, string who, List<IntegrityFinding> findings)
    {
        var theirs = TextTokens.Tokenize(last.Text).Where(t => t.IsContent).Select(t => t.Stem).ToHashSet(StringComparer.Ordinal);
        var ours = TextTokens.Tokenize(reply.Text).Where(t => t.IsContent).ToList();
        var formula = RevoiceFormula().Match(reply.Text);
        var own = ours.Where(t => !(formula.Success && FormulaStems.Contains(t.Stem))).ToList();
        var copied = own.Count(t => theirs.Contains(t.Stem));
        var fresh = own.Where(t => !theirs.Contains(t.Stem)).Select(t => t.Stem).Distinct().ToList();
        var similar = lastVector is not null && VectorMath.Dot(reply.Vector, lastVector) >= 0.85;
        var span = new TextSpan(0, reply.Text.TrimEnd().Length);
        var quote = reply.Text.Trim();

        if (formula.Success)
        {
            // A formula round words they said earlier in the conversation ("So you're saying you showed her the real way?"
            // three lines after they said it) is the same trick: everything the person has said counts as theirs.
            var everything = everythingTheySaid.Value;
            copied = own.Count(t => everything.Contains(t.Stem));
            fresh = own.Where(t => !everything.Contains(t.Stem)).Select(t => t.Stem).Distinct().ToList();
            var substance = fresh.Count(s => SubstanceStems.Contains(s));
            // A formula and their words (or nothing at all) is revoicing without substance. Saying what the teacher will do
            // about it is substance ("I hear you that Tyler was messing about too. I'll be talking to him as well." was capped).
            if (own.Count > 0 && (substance > 0 || fresh.Count > 1 || copied < Math.Max(1, own.Count / 2))) return;
            if (own.Count > 0 && TeacherActs().IsMatch(reply.Text) && !SpeakerActs().IsMatch(last.Text)) return;
            findings.Add(new(IntegrityFamilies.FormulaicRevoicing, span, quote,
                $"\"{Quote(quote)}\" wraps {who}'s own words in a formula (\"{formula.Value}\") without adding anything: name what you think they feel or need, or ask about something specific.",
                RevoiceOverallCap, 1, Caps(("uptake", (int)UptakeScorer.EchoCap), (AllCriteria, RevoiceOverallCap + 5))));
            return;
        }
        // A short reply that could follow anything anyone said ("Good job!", "Can you explain?", "Okay."). Naming something
        // they said earlier follows them ("What's the book about?" to the girl who asked to read her book was told it "could
        // follow anything anyone said"); the words of a stock reply ("explain", "question") name nothing.
        // A line of theirs with no content word ("Okay. So I should just get over it.") is read with what they said before it:
        // "Can you explain?" to it scored 47, where after any line with a topic it is capped.
        if ((theirs.Count > 0 || (everythingTheySaid.Value.Count > 0 && Normalise(reply.Text) != Normalise(last.Text))) && ours.Count <= 2 && copied == 0 && TextTokens.Tokenize(reply.Text).Count <= GenericMaximumWords
            && !ours.Any(t => !StockStems.Contains(t.Stem) && everythingTheySaid.Value.Contains(t.Stem)))
        {
            findings.Add(new(IntegrityFamilies.Generic, span, quote,
                $"\"{Quote(quote)}\" could follow anything anyone said: it does not show you heard {who}. Name something they said or did.",
                GenericOverallCap, 1, Caps(("uptake", GenericUptakeCap), (AllCriteria, GenericOverallCap + 5))));
            return;
        }
        // Their very words back ("yes", "147"), even where there is no content word to compare.
        var verbatim = Normalise(reply.Text).Trim().Length > 0 && Normalise(reply.Text) == Normalise(last.Text);
        if (own.Count == 0 && !verbatim) return;
        var echoShare = own.Count == 0 ? 1 : copied / (double)own.Count;
        // Their words with a question about their reasoning ("It's a prime number. Why is it a prime number?") build on them.
        if (!verbatim && UptakeScorer.PressesForReasoning(reply.Text, last.Text)) return;
        // Doing what they asked in their words ("You're right, you should have the same sheet as everyone else. Here's the
        // proper one.") is not handing the words back: it may be a weak move, but it is not an echo.
        // (Their own "I'll..." or "you'll..." handed back with the pronouns turned is still their words.)
        if (!verbatim && TeacherActs().IsMatch(reply.Text) && !SpeakerActs().IsMatch(last.Text)) return;
        // Their words with a feeling or a cause of the teacher's own reading are a reflection, not their words handed back.
        if (!verbatim && fresh.Any(NamesFeelingOrCause)) return;
        // Their words with a limit on what they did are the teacher's judgement of it: "I know you wanted a turn. Pushing still
        // isn't okay." to Maya, who pushed for her turn, was capped at 25 as an echo.
        if (!verbatim && MoveClassifier.LimitsTheBehaviour(reply.Text)) return;
        // Saying what the teacher will tell answers a plea for secrecy in its own words: "If you're not safe, I'll have to tell Mr
        // Osei, and I'll be with you when I do." to Leah ("...you won't tell anyone. Not my mum, not Mr Osei...") was capped at 15
        // as an echo, though it takes up three of the eleven words she said. A promise in their words is the red line's to cap, and
        // their plea handed back with its pronouns turned ("...But I have to promise I won't tell anyone...") is still an echo.
        if (!verbatim && AnswersAPleaForSecrecy(reply.Text, last.Text)
            && theirs.Count(ours.Select(t => t.Stem).ToHashSet(StringComparer.Ordinal).Contains) * 2 < theirs.Count) return;
        // Their words turned round are an answer, not an echo: "Hand it over now." to Amara's "I'm still not handing it over."
        // is a demand for what she refused (capped at 21 as repeating her), "You're not stupid." to "I'm stupid." a denial.
        if (!verbatim && TurnsTheirWordsRound(reply.Text, last.Text, own.Where(t => theirs.Contains(t.Stem)).Select(t => t.Stem).ToHashSet(StringComparer.Ordinal))) return;
        if (verbatim || (echoShare >= 0.7 && fresh.Count <= 2) || (similar && fresh.Count <= 3))
        {
            findings.Add(new(IntegrityFamilies.Echo, span, quote,
                $"\"{Quote(quote)}\" mostly repeats what {who} just said: repeating their words is not building on them, so it earns little.",
                EchoOverallCap, 1, Caps(("uptake", (int)UptakeScorer.EchoCap), (AllCriteria, EchoOverallCap + 5))));
        }
    }

    /// <summary>
    /// Whether every part of their line that holds the shared words says them the other way round from every part of the reply:
    /// they refuse and the reply asks ("I'm not giving you my phone." / "Give me the phone, please."), or they say and the reply
    /// denies. A question is left alone ("You're not handing it over?" keeps their polarity, and "Hand it over?" asks it back).
    /// </summary>
    private static bool TurnsTheirWordsRound(string reply, string said, IReadOnlySet<string> shared)
    {
        if (shared.Count == 0 || reply.Contains('?')) return false;
        bool Holds(string word) => shared.Contains(TextTokens.Stem(word.ToLowerInvariant()));
        var ours = RedLineDetector.NegatedWhere(reply, Holds);
        var theirs = RedLineDetector.NegatedWhere(said, Holds);
        return ours is not null && theirs is not null && ours != theirs;
    }

    /// <summary>The teacher doing something now: handing over, offering, committing ("Here's the proper one.", "I'll read it with you.").</summary>
    [GeneratedRegex(@"\b(here['’]s|here is|here you go|let me|i['’]ll|i will)\b", Rx)]
    private static partial Regex TeacherActs();

    [GeneratedRegex(@"\b(here['’]s|here is|here you go|let me|let['’]s|i['’]ll|i will|you['’]ll|you will|can you|you can)\b", Rx)]
    private static partial Regex SpeakerActs();

    // ---- Keyword and indicator stuffing -------------------------------------------------

    private static readonly HashSet<string> Jargon = new[]
    {
        "empathy", "empathise", "empathize", "empathetic", "empathic", "validation", "validate", "validating", "rapport", "mindset", "scaffold",
        "scaffolding", "restorative", "differentiation", "differentiated", "metacognition", "metacognitive", "safeguarding", "collaborative",
        "collaboration", "strengths-based", "trauma-informed", "attunement", "co-regulation", "de-escalation", "deescalation", "active listening",
        "open-ended", "rubric", "criteria", "criterion", "uptake", "revoicing", "revoice", "pedagogy", "pedagogical", "partnership",
        "acknowledgement", "acknowledgment", "boundaries", "boundary", "expectations", "accountability", "agency", "autonomy", "inclusion",
        "wellbeing", "well-being", "psychological", "affirmation", "affirming", "reflective", "reflection", "constructive", "supportive",
        "non-judgemental", "non-judgmental", "proactive", "holistic", "growth", "feedback", "targets", "specific", "listening", "questioning",
    }.Select(TextTokens.Stem).ToHashSet(StringComparer.Ordinal);

    // Words a sentence said to someone has: without any of them, a run of rubric words is a label, not talk.
    [GeneratedRegex(@"\b(i|i['’]m|i['’]ll|i['’]d|i['’]ve|me|my|you|you['’]re|you['’]ll|your|we|we['’]ll|we['’]re|let['’]s|us|our)\b", Rx)]
    private static partial Regex Addressed();

    [GeneratedRegex(@"[^a-z0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex NonWord();

    private static string Normalise(string text) => " " + NonWord().Replace(text.ToLowerInvariant().Replace('’', '\''), " ").Trim() + " ";

    private static void FindStuffing(EncodedReply reply, IReadOnlyList<EncodedClause> clauses, IReadOnlyList<CriterionModel> criteria, string who, List<IntegrityFinding> findings)
    {
        var rubricStems = criteria.SelectMany(c => TextTokens.Tokenize(c.Criterion.Name)).Where(t => t.IsContent).Select(t => t.Stem)
            .Concat(Jargon).ToHashSet(StringComparer.Ordinal);
        // Rubric words strung together with nobody addressed.
        foreach (var sentence in Sentences(reply.Text))
        {
            var text = reply.Text.Substring(sentence.Start, sentence.Length);
            var words = TextTokens.Tokenize(text);
            var content = words.Where(t => t.IsContent).ToList();
            if (content.Count < 3) continue;
            var rubric = content.Count(t => rubricStems.Contains(t.Stem));
            var commas = text.Count(ch => ch is ',' or ';');
            var listLike = commas >= 2 && words.Count <= 5 * (commas + 1) && !Addressed().IsMatch(text);
            var labels = rubric >= 3 && rubric >= 0.6 * content.Count && !Addressed().IsMatch(text);
            if ((rubric >= 2 && listLike) || labels || ListTail(text, rubricStems))
            {
                findings.Add(new(IntegrityFamilies.Stuffing, sentence, text,
                    $"\"{Quote(text)}\" lists rubric words instead of saying something to {who}: words aimed at the assessor earn nothing.",
                    null, StuffingMultiplier, Caps((AllCriteria, 60))));
                return;
            }
        }
        // Sentences copied from the rubric's own indicators: word for word anywhere, or all but word for word in a clause.
        var normalised = Normalise(reply.Text);
        var copied = new List<string>();
        var firstAt = int.MaxValue;
        var lastEnd = 0;
        foreach (var model in criteria)
        {
            for (var i = 0; i < model.Positive.Length; i++)
            {
                var indicator = model.Criterion.PositiveIndicators[i];
                var exact = indicator.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 5 && normalised.Contains(Normalise(indicator), StringComparison.Ordinal);
                var near = clauses.FirstOrDefault(c => VectorMath.Dot(c.Vector, model.Positive[i]) >= IndicatorCopySimilarity);
                if (!exact && near is null) continue;
                copied.Add(indicator);
                var at = near?.Span.Start ?? Math.Max(0, reply.Text.IndexOf(indicator[..Math.Min(12, indicator.Length)], StringComparison.OrdinalIgnoreCase));
                var end = near is not null ? near.Span.Start + near.Span.Length : Math.Min(reply.Text.Length, at + indicator.Length);
                firstAt = Math.Min(firstAt, at);
                lastEnd = Math.Max(lastEnd, end);
            }
        }
        if (copied.Count < 2 || lastEnd <= firstAt) return;
        var span = new TextSpan(firstAt, lastEnd - firstAt);
        var quote = reply.Text.Substring(span.Start, span.Length).Trim();
        findings.Add(new(IntegrityFamilies.Stuffing, span, quote,
            $"\"{Quote(quote)}\" strings together the rubric's own example sentences: copied lines earn no credit, only what you say in your own words to {who} does.",
            null, StuffingMultiplier, Caps((AllCriteria, 60))));
    }

    /// <summary>A sentence that ends in a run of short comma-separated rubric words ("... the shape empathy, validation, rapport").</summary>
    private static bool ListTail(string sentence, HashSet<string> rubricStems)
    {
        var items = sentence.TrimEnd('.', '!', '?', ' ').Split([',', ';'], StringSplitOptions.TrimEntries);
        if (items.Length < 3) return false;
        int run = 0, rubric = 0;
        for (var i = items.Length - 1; i >= 0; i--)
        {
            var words = TextTokens.Tokenize(items[i]);
            var isShort = words.Count is > 0 and <= 3;
            // The first item of the run may trail on from the words before it: only its last two count.
            var tail = isShort ? words : words.TakeLast(2).ToList();
            if (tail.Any(t => Addressed().IsMatch(t.Lower))) break;
            run++;
            if (tail.Any(t => rubricStems.Contains(t.Stem))) rubric++;
            if (!isShort) break;
        }
        return run >= 3 && rubric >= 3;
    }

    // ---- Off-topic ---------------------------------------------------------------------

    /// <summary>The teacher owning what went wrong: "I should have...", "that's on me", "my mistake", "I got that wrong".</summary>
    [GeneratedRegex(@"\bi (really )?(should|shouldn['’]t|could) have (stopped|done|said|asked|checked|thought|noticed|told|explained|planned|given|waited|listened|called|spoken|been|let|made|set|started|put)\b|\bthat['’]s on me\b|\bmy (fault|mistake)\b|\bi (got|had) (that|it) wrong\b", Rx)]
    private static partial Regex OwnsAMistake();

    /// <summary>A limit whose subject points back at what was said or done: "It still has to stop.", "I need that to stop.", "This ends today."</summary>
    [GeneratedRegex(@"\b(it|this|that)\s+(still\s+|really\s+)?(has to|needs to|must|is going to|will|is to|can['’]t|cannot|won['’]t|stops|ends)\b|\bneed (it|this|that) to stop\b", Rx)]
    private static partial Regex StopsWhatWasSaid();

    /// <summary>Thanking them for telling or trusting: "Thank you for trusting me.", "Thanks for telling me.", "Thank you for being so honest."</summary>
    [GeneratedRegex(@"\b(thank you|thanks)( so much| very much| ever so much)? for (telling|trusting|coming to|sharing (that|this|it)|being (so |really )?(honest|brave)|letting me know|talking to|speaking to|saying (that|so))\b", Rx)]
    private static partial Regex ThanksForTelling();

    /// <summary>Whether the reply says what the teacher will tell, keep or pass on, in answer to a plea to keep it quiet.</summary>
    private static bool AnswersAPleaForSecrecy(string reply, string line) => AsksForSecrecy().IsMatch(line) && SaysWhatTheyWillTell().IsMatch(reply);

    /// <summary>A plea to keep it quiet: "you have to promise you won't tell anyone", "you can't say it was me", "If you report it...", "just leave it".</summary>
    [GeneratedRegex(@"\b(promise|keep (it|this) (quiet|secret|to yourself)|between (us|you and me)|(won['’]t|don['’]t|do not|can['’]t|cannot|mustn['’]t|not) (tell|say|report|ring|call|let (her|him|them|anyone))|if you (tell|report|say)|just leave it)\b", Rx)]
    private static partial Regex AsksForSecrecy();

    /// <summary>The teacher saying what they will tell, keep or pass on: "I'll have to tell someone", "I can't keep it to myself", "I'll keep your name out of it", "I can't promise".</summary>
    [GeneratedRegex(@"\bi(['’]ll| will| would|['’]d| have to| need to| can['’]t| cannot| won['’]t| will not| must| am going to|['’]m going to)?( have to| need to| always| only| never| not)? (tell|say|share|pass (it|this|that) on|report|keep|let (\w+ )?know|speak to|talk to|promise)\b", Rx)]
    private static partial Regex SaysWhatTheyWillTell();

    /// <summary>"You're right about...", "You're so right that...", "You were right to...", "I agree with you about...": agreeing with what they said, and naming it.</summary>
    [GeneratedRegex(@"\b(you['’]re|you are|you were) (so |absolutely |quite |completely |totally |dead |probably )?right (about|that|to|when|there)\b|\bi (completely |totally |really )?agree with you (about|that|on)\b", Rx)]
    private static partial Regex AgreesWithThem();

    /// <summary>
    /// Whether a sentence of the reply opens with a short answer ("They have.", "Yes, she did,", "It is.") whose subject
    /// the last turn also has ("They've all finished...", "She did it herself", "It's literally the same diagram").
    /// </summary>
    public static bool AnswersInShort(string reply, string lastTurn)
        => ShortAnswer().Matches(reply).Any(m => Regex.IsMatch(lastTurn, $@"\b{m.Groups["subject"].Value}{AuxiliaryAnswered(m.Groups["aux"].Value.ToLowerInvariant())}", Rx));

    /// <summary>What must follow the subject in their line for the short answer to answer it: "They have" answers "They've all finished", not "they'll do it".</summary>
    private static string AuxiliaryAnswered(string aux) => aux switch
    {
        "have" or "has" or "had" => @"(['’]ve|['’]s|['’]d| have| has| had)\b",
        "is" or "are" or "was" or "were" => @"(['’]s|['’]re| is| are| was| were)\b",
        "can" or "could" or "will" or "would" => @"(['’]ll|['’]d| can| could| will| would)\b",
        _ => @" (?!(have|has|is|are|was|were|will|would|can|could)\b)\w+", // did, do, does: a verb of their own ("She did it herself")
    };

    [GeneratedRegex(@"(^|[.!?]\s+)((yes|yeah|no|true|right),?\s+)?(?<subject>they|she|he|it|you|we)\s+(?<aux>have|has|had|did|do|does|is|are|was|were|can|could|will|would)(n['’]?t| not)?( too| already| really| indeed)?\s*[,.!]", Rx)]
    private static partial Regex ShortAnswer();

    private static readonly HashSet<string> PointsBack = new(StringComparer.Ordinal) { "that", "it", "those", "them", "he", "she", "they", "him", "her" };

    private static void FindOffTopic(EncodedReply reply, IReadOnlyList<EncodedClause> clauses, IReadOnlyList<ContextTurn> context, Lazy<HashSet<string>> theirs, float[] lastVector,
        IReadOnlyList<CriterionModel> criteria, MoveClassifier? classifier, string who, List<IntegrityFinding> findings)
    {
        var lastSimilarity = clauses.Select(c => (double)VectorMath.Dot(c.Vector, lastVector)).Append(VectorMath.Dot(reply.Vector, lastVector)).Max();
        // A topic to stray from must be in the last turn: after "yes" or "30", a tutor's next question is not off-topic.
        // A short line ("Brilliant. So you're on their side.") still has one, but only a reply far from it and from the
        // scenario's indicators is off it.
        var lastTokens = TextTokens.Tokenize(context[^1].Text);
        var lastWords = lastTokens.Count(t => t.IsContent);
        if (lastWords < OffTopicShortLineWords) return;
        var shortLine = lastWords < OffTopicMinimumWords;
        if (lastSimilarity >= (shortLine ? OffTopicShortLineSimilarity : OffTopicLastTurnSimilarity)) return;
        var conversation = ContentStems(context);
        var replyTokens = TextTokens.Tokenize(reply.Text);
        if (replyTokens.Where(t => t.IsContent && !t.IsNumber && conversation.Contains(t.Stem)).Select(t => t.Stem).Distinct().Count() > 1) return;
        // A reply about something else brings that something: a question or a correction that adds no topic of its own
        // ("By what?", "Not 3. 4.") cannot be off the speaker's, nor can a short question that points back at what they
        // said ("And how did you find that?"). "What are you doing this weekend?" and "Do you have any pets at home?"
        // bring one. A bare "Okay." stays what it was: it answers nothing.
        var newTopic = replyTokens.Where(t => t.IsContent && !t.IsNumber && !conversation.Contains(t.Stem)).Select(t => t.Stem).Distinct().Count();
        var asksOrCorrects = reply.Text.Contains('?') || replyTokens.Any(t => t.IsNumber);
        if (newTopic == 0 && asksOrCorrects) return;
        // Pointing back includes naming a number they just said: "Nearly. What did you do with the 4?"
        var theirNumbers = lastTokens.Where(t => t.IsNumber).Select(t => t.Lower).ToHashSet(StringComparer.Ordinal);
        if (newTopic == 1 && replyTokens.Count <= OffTopicFollowUpWords && reply.Text.Contains('?')
            && replyTokens.Any(t => PointsBack.Contains(t.Lower) || (t.IsNumber && theirNumbers.Contains(t.Lower)))) return;
        // A statement that takes up a word they just said, one the library does not use everywhere, explains or describes it
        // ("When you panic, your brain goes into alarm mode" after "Like my brain just switched off!"), however far MiniLM
        // puts it (0.23, where "Have you finished your spelling homework yet?" is 0.29).
        if (EverydayWords.StatementTakesUp(reply.Text, context[^1].Text)) return;
        // Acknowledging how they feel is about them, whatever words it uses ("I can hear how much this matters to you,
        // especially after your own experience." to the father who was kept in a bottom set was capped at 25), and so is a
        // choice about how things are handled ("Would you rather I speak to them myself, or go through Mr Hughes?"), unless
        // it brings a subject of its own ("That sounds awful. If we keep her on Higher, I'd want a clear trigger in March.").
        // So is an offer on their terms ("If you need to check it, you can step outside and I'll cover for you.").
        // A clause that acknowledges them, beside nothing but questions, in a reply that brings no subject of its own, does the same: "Okay. I can see this
        // really matters to you. Can you tell me why?" to Amara, who will not hand over her phone, is an open question as a
        // whole, and was capped at 25. (Replies from other scenarios that acknowledge a feeling bring their own subject:
        // "I can hear how worried you are about tomorrow and about home...")
        // How many words of a subject of its own the reply brings (not everyday, not names, not said before): read once, for the
        // acknowledgements, thanks and agreements below.
        var brings = EverydayWords.TopicStems(reply.Text, withoutNames: true).Count(s => !conversation.Contains(s));
        if (classifier is not null)
        {
            static bool Acknowledges(MoveClassification heard) => heard is { Move: Moves.ValidateFeelings or Moves.OfferChoice, Confidence: >= FeelingsHeardFrom };
            if (brings <= FeelingsBringAtMost && (Acknowledges(classifier.Classify(reply.Text, reply.Vector)) || MoveClassifier.OffersOnTheirTerms(reply.Text))) return;
            var acknowledging = clauses.Where(c => Acknowledges(classifier.Classify(c.Text, c.Vector))).ToList();
            if (brings == 0 && acknowledging.Count > 0
                && clauses.Except(acknowledging).All(c => c.Text.TrimEnd().EndsWith('?') || !TextTokens.Tokenize(c.Text).Any(t => t.IsContent))) return;
        }
        // A limit on what they are doing, said of it by a word that points back, is about what they just said: "I hear you. It
        // still has to stop." and "I believe you don't mean it nastily. I still need it to stop today." to Liam, who had called
        // the nickname banter, were capped at 25, and so was "...The name still has to stop.", whose "name" the library uses
        // everywhere, and "I don't think you're being cruel on purpose. The name still has to stop.", which tells him first that he
        // is not bad. Not a limit on something of its own ("The tapping has to stop.", "Put your phone away, please.").
        var limits = MoveClassifier.LimitsTheBehaviour(reply.Text);
        if (limits
            && (brings == 0 || (brings <= FeelingsBringAtMost && (StopsWhatWasSaid().IsMatch(reply.Text) || MoveClassifier.Reassures(reply.Text))))) return;
        // Saying whether it is harmless fun answers a line that called it banter, whichever way it says: "I don't think it's
        // harmless. I think it's hurting him." to Liam's "It's banter." was capped at 25, sharing none of his words.
        if (brings <= FeelingsBringAtMost && (MoveClassifier.DeniesItIsHarmless(reply.Text) || MoveClassifier.CallsItHarmless(reply.Text))) return;
        // An apology answers the conversation, whatever was said last ("I'm sorry, that came out wrong and it wasn't fair to you."),
        // and so does owning a mistake ("You're right. I should have stopped them the first time it got noisy." to the mentor
        // who said the lab wasn't safe was capped at 25).
        if (Apologies.In(reply.Text) || OwnsAMistake().IsMatch(reply.Text)) return;
        // Thanking them for telling answers what they just did: "Thank you for trusting me. Can you tell me what's been
        // happening?" to Noor, who asked for a promise before she would say anything, was capped at 25.
        // Not a reply that brings a subject of its own ("Thank you for telling me that... I don't want Kieran believing that about
        // himself either." to Sofia).
        if (ThanksForTelling().IsMatch(reply.Text) && brings == 0) return;
        // Saying what the teacher will tell, keep or pass on answers a plea to keep it secret, whichever way it answers: "If it's
        // serious, I'll have to tell someone who can help, and I'll tell you first." to Leah, who asked for a promise that nobody
        // would be told, was capped at 25, and so was "If it's serious, I'll need to pass it on, but I'll keep your name out of
        // it as far as I can." to Noor. Whether the answer promises too much is the red line's to say.
        if (brings <= FeelingsBringAtMost && AnswersAPleaForSecrecy(reply.Text, context[^1].Text)) return;
        // Telling them they are right about something answers what they said: "You're so right about the safety briefing. What
        // would you want to see me do differently next time?" to the mentor who said the lab wasn't safe was capped at 25.
        // Not when the reply brings a subject of its own, as feelings above: "You're right that it's propaganda, and catching
        // that firing line is sharp..." said to the parent whose son panics agrees with something nobody said.
        if (AgreesWithThem().IsMatch(reply.Text) && brings <= FeelingsBringAtMost) return;
        // So does a short answer to what they just said, in their own subject: "They have." after "They've all finished their
        // sentences" ("Thanks, Pauline. They have, and I can see how much you've helped them." was capped at 25).
        if (AnswersInShort(reply.Text, context[^1].Text)) return;
        // Naming what they said, however far back ("You said he laughs. How do you know he finds it funny?"), answers them.
        if (ReportedSpeech.Reported(reply.Text).Any(what => TextTokens.Tokenize(what).Any(t => t.IsContent && theirs.Value.Contains(t.Stem)))) return;
        // An instruction about something nobody raised is about that thing, however near an indicator its words put it: "Put your
        // phone away, please." to Noor, who had asked for a promise, was 0.43 from the warning "Can you show me the messages on
        // your phone right now?" by its phone, and scored 60. Not a limit on what they did ("It has to stop.").
        var instructsAboutSomethingElse = classifier is not null && clauses.Count == 1 && newTopic > 0 && !limits
            && classifier.Classify(reply.Text, reply.Vector) is { Move: Moves.SetLimit, Confidence: >= InstructionHeardFrom };
        if (criteria.Count > 0 && !instructsAboutSomethingElse)
        {
            var topical = Nearest([.. clauses.Select(c => c.Vector), reply.Vector], criteria.SelectMany(c => c.Positive.Concat(c.Negative)));
            if (topical >= (shortLine ? OffTopicShortLineIndicatorSimilarity : OffTopicIndicatorSimilarity)) return;
            // Two words that are not everyday, shared with one indicator, say the same thing in other words where MiniLM
            // cannot see it: "When you panic, your brain goes into alarm mode" is 0.36 from "It's your brain's alarm, not a
            // sign you can't do maths." and 0.13 from "My head just went blank".
            var distinctive = EverydayWords.TopicStems(reply.Text);
            if (distinctive.Count >= 2 && criteria.Any(c => IndicatorStems(c).Any(i => i.Count(distinctive.Contains) >= 2))) return;
        }
        var quote = reply.Text.Trim();
        findings.Add(new(IntegrityFamilies.OffTopic, new TextSpan(0, reply.Text.TrimEnd().Length), quote,
            $"\"{Quote(quote)}\" does not answer what {who} just said: however good it sounds, a reply about something else earns no credit here.",
            OffTopicOverallCap, 1, Caps((AllCriteria, OffTopicCriterionCap), ("uptake", 10))));
    }

    /// <summary>Each indicator's content stems, read once per criterion (a basis never changes).</summary>
    private static IReadOnlyList<HashSet<string>> IndicatorStems(CriterionModel criterion)
        => IndicatorStemsByCriterion.GetValue(criterion, c => c.Criterion.PositiveIndicators.Concat(c.Criterion.NegativeIndicators)
            .Select(i => TextTokens.Tokenize(i).Where(t => t.IsContent).Select(EverydayWords.TopicStem).ToHashSet(StringComparer.Ordinal)).ToList());

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<CriterionModel, IReadOnlyList<HashSet<string>>> IndicatorStemsByCriterion = new();

    // ---- Padding -----------------------------------------------------------------------

    [GeneratedRegex(@"\b(to be honest|at the end of the day|it is what it is|you know what i mean|if that makes sense|basically|needless to say|as i said|like i said|just to say|i just want(ed)? to say|all i['’]m saying|for what it['’]s worth|in any case|anyway)\b", Rx)]
    private static partial Regex Filler();

    private static void FindPadding(EncodedReply reply, IReadOnlyList<EncodedClause> clauses, List<IntegrityFinding> findings)
    {
        var words = CountWords(reply.Text);
        EncodedClause? repeated = null;
        for (var i = 0; i < clauses.Count && repeated is null; i++)
        {
            if (CountWords(clauses[i].Text) < 4) continue;
            for (var j = 0; j < i; j++)
            {
                if (CountWords(clauses[j].Text) >= 4 && VectorMath.Dot(clauses[i].Vector, clauses[j].Vector) >= 0.95) { repeated = clauses[i]; break; }
            }
        }
        // Beyond the eight clauses the splitter keeps, and short ones too: whole sentences said twice.
        if (repeated is null && words >= 10)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var sentence in Sentences(reply.Text))
            {
                var text = reply.Text.Substring(sentence.Start, sentence.Length);
                if (CountWords(text) < 3 || seen.Add(Normalise(text))) continue;
                repeated = new EncodedClause(sentence, text, reply.Vector);
                break;
            }
        }
        var fillers = Filler().Matches(reply.Text);
        if (repeated is not null)
        {
            findings.Add(new(IntegrityFamilies.Padding, repeated.Span, repeated.Text,
                $"\"{Quote(repeated.Text)}\" says again what the reply already said: saying it twice adds length, not value.",
                null, PaddingMultiplier, Caps()));
        }
        else if (fillers.Count >= 3 || (fillers.Count >= 2 && words >= 45))
        {
            var f = fillers[0];
            findings.Add(new(IntegrityFamilies.Padding, new TextSpan(f.Index, f.Length), f.Value,
                $"Filler such as \"{f.Value}\" pads the reply without saying more: a shorter reply that says the same is better.",
                null, PaddingMultiplier, Caps()));
        }
    }

    private static int CountWords(string text) => TextTokens.Tokenize(text).Count;
}
