using System.Text.RegularExpressions;
using TeacherTrainer.ApiService.Scenarios;

namespace TeacherTrainer.ApiService.Evaluation;

/// <summary>A red line's example or near-miss, embedded, with its polarity.</summary>
public sealed record RedLinePhrase(string Text, float[] Vector, RedLinePolarity Polarity)
{
    /// <summary>Its content words, to tell which part of a mixed clause it speaks to.</summary>
    public IReadOnlySet<string> Words { get; } = RedLineDetector.ContentWords(Text);
}

/// <summary>
/// Whether a phrase is said in the affirmative ("it stays between us"), in the negative ("I won't
/// tell anyone"), or mixes both parts ("It's just banter, they didn't mean anything by it").
/// </summary>
public enum RedLinePolarity { Affirmative, Negated, Mixed }

/// <summary>A red line ready for detection: its definition and its embedded examples and near-misses.</summary>
public sealed record RedLineModel(RedLine RedLine, IReadOnlyList<RedLinePhrase> Examples, IReadOnlyList<RedLinePhrase> NearMisses);

/// <summary>
/// A reply that crossed a red line: the clause in the trainee's words that did it, the example it is
/// closest to, and by how much it is closer to the breaching examples than to the safe ones.
/// </summary>
public sealed record RedLineBreach(RedLine RedLine, EncodedClause Evidence, string MatchedExample, double Similarity, double Margin, string? SafestMatch);

/// <summary>
/// Recognises a reply that crosses one of a scenario's red lines, from the clause vectors the engine
/// already has (no extra model call). A clause breaches a red line when
/// <list type="number">
/// <item>it is close to one of the red line's examples said with the same polarity (both affirmative,
/// as in "it stays between us", or both negative, as in "I won't tell anyone"), at least <see cref="SimilarityFloor"/>; and</item>
/// <item>it is closer to that example by <see cref="Margin"/> than to anything safe: the red lines'
/// near-misses ("I can't promise to keep it secret"), the criteria's positive indicators and the
/// scenario's strong exemplars.</item>
/// </list>
/// Polarity is read from negation words in plain sight, so every decision can be explained.
/// </summary>
public static partial class RedLineDetector
{
    /// <summary>
    /// Near-misses of every scenario's red lines (Content/red-line-near-misses.json): invitations to say more. MiniLM puts
    /// "Can you tell me what's been happening in the chat?" 0.55 from "Just leave the chat and it'll sort itself out." by its
    /// topic, and Noor's teacher was told they had crossed two red lines by asking.
    /// </summary>
    public static IReadOnlyList<string> SafeInEveryScenario => NearMissesEverywhere.Value;

    private static readonly Lazy<IReadOnlyList<string>> NearMissesEverywhere = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Content", "red-line-near-misses.json");
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        return [.. document.RootElement.GetProperty("nearMisses").EnumerateArray().Select(e => e.GetString()!)];
    });

    /// <summary>A clause must be at least this close to a breaching example (MiniLM cosine) to count.</summary>
    public const double SimilarityFloor = 0.45;
    /// <summary>...and this much closer to it than to the nearest safe phrase.</summary>
    public const double Margin = 0.05;

    /// <summary>
    /// The red lines the reply crosses (at most one breach per red line: its clearest clause), in the scenario's order. A clause
    /// that only thanks them commits the teacher to nothing, yet it may sit near an example in words ("Thank you for trusting
    /// me" near "You can trust me, I'll keep it to myself"): it cannot cross a red line by itself, but it corroborates a clause
    /// of the teacher's own that leans the same way (at least <see cref="CorroboratedFrom"/>, nearer the example than anything
    /// safe), and that clause is the evidence: "Don't worry, it won't go any further than the two of us." after "Thank you for
    /// trusting me with this." is 0.38 from "It won't go any further than me.", read in the reply's one pass.
    /// </summary>
    public static IReadOnlyList<RedLineBreach> Detect(RubricBasis basis, EncodedReply reply, string? lineAnswered = null)
    {
        var closest = Closest(basis, reply, lineAnswered);
        var breaches = closest.Where(b => b.Similarity >= SimilarityFloor && b.Margin >= Margin).ToList();
        if (basis.RedLines.Count == 0 || reply.Clauses.Count < 2 || !reply.Clauses.Any(c => OnlyThanks(c.Text))) return breaches;
        var thanks = reply.Clauses.Where(c => OnlyThanks(c.Text)).ToList();
        var thanked = Nearest(basis, thanks);
        foreach (var leaning in closest)
        {
            if (breaches.Any(b => b.RedLine.Key == leaning.RedLine.Key)) continue;
            var corroborated = thanked.Any(t => t.RedLine.Key == leaning.RedLine.Key && t.Similarity >= SimilarityFloor && t.Margin >= Margin);
            if (corroborated && leaning.Similarity >= CorroboratedFrom && leaning.Margin > 0) breaches.Add(leaning);
        }
        return [.. basis.RedLines.SelectMany(m => breaches.Where(b => b.RedLine.Key == m.RedLine.Key))];
    }

    /// <summary>How close a clause of the teacher's own must come to a red line's example when a thanks beside it is closer still.</summary>
    public const double CorroboratedFrom = 0.3;

    /// <summary>
    /// For each red line, the clause of the reply that comes closest to crossing it (highest margin),
    /// whether or not it does: what <see cref="Detect"/> decides on, shown for diagnostics and tuning.
    /// </summary>
    /// <param name="lineAnswered">What the persona just said: a clause that hands its words back is theirs, not the teacher's.</param>
    public static IReadOnlyList<RedLineBreach> Closest(RubricBasis basis, EncodedReply reply, string? lineAnswered = null)
    {
        if (basis.RedLines.Count == 0) return [];
        // The clauses (pooled from the reply's one pass, in context) and the whole reply, whose vector
        // is a true sentence embedding like the examples': a short reply is judged as itself.
        var whole = new EncodedClause(new(0, reply.Text.Length), reply.Text, reply.Vector);
        // A clause that reports what they said ("You said he laughs.") asserts nothing of the teacher's own, and the
        // whole reply would carry it: the teacher's own clauses are read alone. A reply that is one clause is read as
        // what it says ("You said he laughs, so it's just banter.").
        var reported = reply.Clauses.Count > 1 && reply.Clauses.Any(c => ReportedSpeech.Opens(c.Text));
        IReadOnlyList<EncodedClause> units = reply.Clauses.Count == 1 && reply.Clauses[0].Text.Length == reply.Text.Trim().Length
            ? [whole]
            : reported ? [.. reply.Clauses.Where(c => !ReportedSpeech.Opens(c.Text))] : [.. reply.Clauses, whole];
        // A clause that opens by conceding asserts only what follows: "Even if he laughs, the name has to stop." was 0.58 from
        // "Fair enough, if he laughs then it's just banter." and capped, and "Even though I'm a teacher, I promise I won't tell
        // anyone." was 0.5 from "I can't promise that" by its concession. What it asserts is read, the whole reply that carries
        // the concession is not.
        if (reply.Clauses.Any(c => c.Asserted is not null))
        {
            var single = reply.Clauses.Count == 1 && ReferenceEquals(units[0], whole);
            units = single ? [reply.Clauses[0].Asserted!] : [.. units.Where(u => !ReferenceEquals(u, whole)).Select(u => u.Asserted ?? u)];
        }
        // A clause that only thanks them is read apart (see Detect), and so is the whole reply it sits in, which carries it.
        if (units.Any(u => OnlyThanks(u.Text))) units = [.. units.Where(u => !OnlyThanks(u.Text) && !ReferenceEquals(u, whole))];
        // So is a clause that only grants them a fact before a question about it: "He laughs, I know. Does he laugh when he's on
        // his own, though?" concludes nothing from the laughing, and "He laughs, I know." was 0.61 from "Fair enough, if he
        // laughs then it's just banter." A clause that draws the conclusion ("so I suppose it's fine", "just banter") is read.
        if (units.Any(u => OnlyGrants(u.Text)) && reply.Clauses.SkipWhile(c => !OnlyGrants(c.Text)).Skip(1).Any(c => c.Text.TrimEnd().EndsWith('?')))
            units = [.. units.Where(u => !OnlyGrants(u.Text) && !ReferenceEquals(u, whole))];
        // The persona's own words handed back ("But you can't say it was me." after Noor's "...you can't say it was me.") are
        // theirs, as reported speech is: the teacher has promised nothing by them (a reply of nothing else is an echo, and the
        // echo cap says so). The whole reply is still read when it says more: "Promise you won't say it was me. Okay, I
        // promise." promises, and its clause "Okay, I promise." read inside it is not as near the red line as the whole.
        if (Quoted(units, lineAnswered) is { Count: > 0 } quoted)
        {
            var ownClauses = units.Count(u => !quoted.Contains(u) && !ReferenceEquals(u, whole));
            units = [.. units.Where(u => !quoted.Contains(u) && (ownClauses > 0 || !ReferenceEquals(u, whole)))];
        }
        return Nearest(basis, units);
    }

    /// <summary>A clause this long or longer (or clauses side by side), found word for word in the line answered, is the persona's words said back.</summary>
    public const int QuotedFromWords = 4;

    private static HashSet<EncodedClause> Quoted(IReadOnlyList<EncodedClause> units, string? lineAnswered)
    {
        var quoted = new HashSet<EncodedClause>(ReferenceEqualityComparer.Instance);
        if (string.IsNullOrWhiteSpace(lineAnswered)) return quoted;
        var line = " " + string.Join(' ', TextTokens.Tokenize(lineAnswered).Select(t => t.Lower)) + " ";
        bool InLine(IEnumerable<string> words) => line.Contains(" " + string.Join(' ', words) + " ", StringComparison.Ordinal);
        var words = units.Select(u => TextTokens.Tokenize(u.Text).Select(t => t.Lower).ToList()).ToList();
        // Clauses side by side are read together: "I've been cutting. On my arms." said back to Leah is her words, though
        // neither clause alone is long enough to tell a quotation from a phrase anyone might say.
        for (var first = 0; first < units.Count; first++)
        {
            var run = new List<string>();
            for (var last = first; last < units.Count && words[last].Count > 0 && InLine(run.Concat(words[last])); last++)
            {
                run.AddRange(words[last]);
                if (run.Count < QuotedFromWords) continue;
                for (var i = first; i <= last; i++) quoted.Add(units[i]);
            }
        }
        return quoted;
    }

    /// <summary>For each red line, the unit that comes closest to crossing it (highest margin).</summary>
    private static List<RedLineBreach> Nearest(RubricBasis basis, IReadOnlyList<EncodedClause> units)
    {
        var polarities = units.Select(u => PolarityOf(u.Text)).ToList();
        var parts = units.Select((u, i) => polarities[i] == RedLinePolarity.Mixed ? PartsOf(u.Text) : []).ToList();
        var safe = SafePhrases(basis);
        // The nearest safe phrase does not depend on the red line: once per clause. A plain statement is not made safe by a
        // phrase that denies it: "he's just sleeping now." was 0.6 from "Pickles isn't sleeping. He died, and that's very sad."
        // by its words, and "Even though it's sad, he's just sleeping now." to Sofia crossed no red line. The phrase's parts
        // that share words with the statement speak for it, as a mixed clause's do towards an example (Check). Only for a
        // statement in the affirmative: a negation read from its words is often no denial ("You don't have to tell me anything."
        // says what "You can tell me as much or as little as you like." says), and a question asserts nothing.
        var nearestSafe = units.Select((u, i) =>
        {
            if (polarities[i] != RedLinePolarity.Affirmative || u.Text.Contains('?')) return Nearest(u.Vector, safe);
            var words = ContentWords(u.Text);
            return Nearest(u.Vector, [.. safe.Where(p => Agrees(p, polarities[i], words))]);
        }).ToList();
        var breaches = new List<RedLineBreach>();
        foreach (var model in basis.RedLines)
        {
            RedLineBreach? best = null;
            for (var i = 0; i < units.Count; i++)
            {
                var breach = Check(model, units[i], polarities[i], parts[i], nearestSafe[i]);
                if (breach is not null && (best is null || breach.Margin > best.Margin)) best = breach;
            }
            if (best is not null) breaches.Add(best);
        }
        return breaches;
    }

    /// <summary>
    /// What is known to be safe in the scenario: every red line's near-misses (a near-miss written for
    /// one red line is safe for all), its criteria's positive indicators and its strong exemplars. A
    /// clause closer to one of these than to any breach is not a breach (names and topic words alone
    /// make "Tell me about Pickles" close to "Pickles is just sleeping").
    /// </summary>
    private static IReadOnlyList<SafePhrase> SafePhrases(RubricBasis basis)
        => SafeByBasis.GetValue(basis, b => b.RedLines.SelectMany(r => r.NearMisses).Concat(b.NearMissesEverywhere).Select(n => (n.Text, n.Vector))
            .Concat(b.Criteria.SelectMany(c => c.Criterion.PositiveIndicators.Zip(c.Positive)))
            .Concat(b.Exemplars.Where(e => e.Rating >= 4).Select(e => (e.Text, e.Embedding)))
            .Select(p => new SafePhrase(p.Item1, p.Item2))
            .ToList());

    /// <summary>Built once per basis (a basis never changes).</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<RubricBasis, IReadOnlyList<SafePhrase>> SafeByBasis = new();

    /// <summary>A phrase known to be safe, with the polarity of each of its statement parts, sentence by sentence.</summary>
    private sealed record SafePhrase(string Text, float[] Vector)
    {
        public IReadOnlyList<(IReadOnlySet<string> Words, bool Negated)> Parts { get; } =
            [.. SentenceEnd().Split(Text).SelectMany(sentence => PartsOf(sentence))];
    }

    /// <summary>Whether a safe phrase can vouch for a statement of this polarity: its parts sharing words with it agree, or none disagrees.</summary>
    private static bool Agrees(SafePhrase phrase, RedLinePolarity polarity, IReadOnlySet<string> statementWords)
    {
        var towards = PolarityOfPartLike(phrase.Parts, statementWords);
        return towards == RedLinePolarity.Mixed || towards == polarity;
    }

    private static (double Similarity, string? Text) Nearest(float[] vector, IReadOnlyList<SafePhrase> phrases)
    {
        (double Similarity, string? Text) best = (-1, null);
        foreach (var (text, phrase) in phrases)
        {
            var similarity = VectorMath.Dot(vector, phrase);
            if (similarity > best.Similarity) best = (similarity, text);
        }
        return best;
    }

    private static RedLineBreach? Check(RedLineModel model, EncodedClause unit, RedLinePolarity polarity,
        IReadOnlyList<(IReadOnlySet<string> Words, bool Negated)> parts, (double Similarity, string? Text) nearestSafe)
    {
        double breachSimilarity = -1;
        string? matched = null;
        var (safeSimilarity, safest) = nearestSafe;
        foreach (var example in model.Examples)
        {
            // An affirmative clause and a negative example (or the reverse) disagree: "You're not a bully"
            // does not say "You're a nasty bully". In a clause whose parts differ, the parts sharing words
            // with the example speak for it (unsettled if they disagree); an example that mixes both is never ruled out.
            var clausePolarity = polarity == RedLinePolarity.Mixed ? PolarityOfPartLike(parts, example.Words) : polarity;
            var agrees = clausePolarity == RedLinePolarity.Mixed || example.Polarity == RedLinePolarity.Mixed || example.Polarity == clausePolarity;
            if (!agrees) continue;
            var similarity = VectorMath.Dot(unit.Vector, example.Vector);
            if (similarity > breachSimilarity) (breachSimilarity, matched) = (similarity, example.Text);
        }
        var margin = breachSimilarity - Math.Max(safeSimilarity, 0);
        return matched is not null
            ? new RedLineBreach(model.RedLine, unit, matched, Math.Round(breachSimilarity, 4), Math.Round(margin, 4), safest)
            : null;
    }

    /// <summary>
    /// Caps a judgement for the red lines its reply crossed: the criteria each breach concerns and the
    /// overall score at the lowest cap (band recomputed), with the reason in the notes and the suggestion.
    /// </summary>
    public static Judgement Apply(Judgement judgement, IReadOnlyList<RedLineBreach> breaches)
    {
        if (breaches.Count == 0) return judgement;
        var byCriterion = new Dictionary<string, RedLineBreach>(StringComparer.Ordinal);
        foreach (var breach in breaches)
        {
            foreach (var key in breach.RedLine.Criteria) byCriterion.TryAdd(key, breach);
        }
        var criteria = judgement.Criteria.Select(c => byCriterion.TryGetValue(c.Key, out var b)
            ? c with
            {
                Score = Math.Min(c.Score, b.RedLine.Cap),
                Evidence = b.Evidence.Text,
                EvidenceStart = b.Evidence.Span.Start,
                Effect = "cost",
                Explanation = $"Red line: {b.RedLine.Name}. You wrote \"{b.Evidence.Text}\".",
            }
            : c).ToList();
        var cap = breaches.Min(b => b.RedLine.Cap);
        // Never above what the judgement already had (other caps may have applied), nor above the red line's cap.
        var overall = Math.Min(Math.Min(JudgementComposer.Overall(criteria), judgement.Score), cap);
        var messages = breaches.Select(Explain).ToList();
        return judgement with
        {
            Score = overall,
            Band = JudgementBands.For(overall),
            Criteria = criteria,
            Suggestion = string.Join(" ", messages.Append(judgement.Suggestion)),
            Notes = [.. judgement.Notes, .. messages],
            Flags = [.. judgement.Flags, .. breaches.Select(b => Judgement.RedLineFlagPrefix + b.RedLine.Key).Distinct()],
        };
    }

    /// <summary>What the trainee reads: the line crossed, their own words, why it matters, and the cap.</summary>
    public static string Explain(RedLineBreach breach)
        => $"Red line: {breach.RedLine.Name} (\"{breach.Evidence.Text.TrimEnd('.', ' ')}\"). {breach.RedLine.Description.TrimEnd()} " +
           $"A reply that does this scores at most {breach.RedLine.Cap}.";

    /// <summary>A clause that only thanks them ("Thank you so much for trusting me, Leah."), with no further part.</summary>
    public static bool OnlyThanks(string clause) => Thanks().IsMatch(clause);

    /// <summary>
    /// A clause that grants them a fact and concludes nothing from it: "You're right, he does laugh.", "He laughs, I know.", "I
    /// believe you that he laughs." Not with a conclusion in it ("Yeah, he does laugh, so I suppose it's fine.", "Fair point,
    /// he laughs too. Just don't overdo it." read as one clause, "it's only banter"), nor with a commitment ("I know, and I won't
    /// tell anyone."): those are read as what they say.
    /// </summary>
    public static bool OnlyGrants(string clause) => Grants().IsMatch(clause) && !Concludes().IsMatch(clause);

    [GeneratedRegex(@"^\W*((you['’]re|you are) (quite |absolutely )?right|true|fair enough|fair point|i know|i believe you|i hear you)\b|,\s*i know\W*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Grants();

    [GeneratedRegex(@"\b(so|fine|harmless|banter|jok\w*|fun|problem|matter|bother\w*|alright|all right|okay|ok|harm|mind|wrong|lighten|overdo|keep it|only|just|then|promis\w*|won['’]?t|will not|never|secrets?|keep\w*|tell\w*|between|nobody|no one|anyone|stays?|safe)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Concludes();

    /// <summary>Whether a phrase is said in the negative ("I won't tell anyone", "Nobody will know"), ignoring idioms that negate nothing ("don't worry").</summary>
    public static bool IsNegated(string text) => Negation().IsMatch(Idioms().Replace(text, " "));

    /// <summary>
    /// Affirmative, negated, or mixed when the clause's parts disagree ("I won't judge you, and it
    /// stays between us"): the clause vector cannot say which part a breach sits in.
    /// </summary>
    public static RedLinePolarity PolarityOf(string clause)
    {
        // Parts of one or two words ("OK", "Leah", "Of course") are address or interjection, not a statement.
        var text = Idioms().Replace(clause, " ");
        var parts = Parts().Split(text).Where(p => Words().Count(p) >= 3).ToList();
        if (parts.Count == 0) return Negation().IsMatch(text) ? RedLinePolarity.Negated : RedLinePolarity.Affirmative;
        var negated = parts.Count(p => Negation().IsMatch(p));
        return negated == 0 ? RedLinePolarity.Affirmative : negated == parts.Count ? RedLinePolarity.Negated : RedLinePolarity.Mixed;
    }

    /// <summary>
    /// Whether the statement parts of a text (sentences, split at commas and joining words) that hold a word for which
    /// <paramref name="holds"/> is true are all negated (true) or all affirmative (false); null when they disagree or none does.
    /// </summary>
    public static bool? NegatedWhere(string text, Func<string, bool> holds)
    {
        bool? negated = null;
        foreach (var span in ClauseSplitter.Split(text))
        {
            foreach (var part in Parts().Split(Idioms().Replace(text.Substring(span.Start, span.Length), " ")))
            {
                if (!Words().Matches(part).Any(m => holds(m.Value))) continue;
                var isNegated = Negation().IsMatch(part);
                if (negated is { } seen && seen != isNegated) return null;
                negated = isNegated;
            }
        }
        return negated;
    }

    /// <summary>
    /// The polarity a mixed clause has towards a phrase: that of its parts sharing content words with
    /// the phrase (mixed when they disagree, or when none shares a word).
    /// </summary>
    private static RedLinePolarity PolarityOfPartLike(IReadOnlyList<(IReadOnlySet<string> Words, bool Negated)> parts, IReadOnlySet<string> words)
    {
        bool? negated = null;
        foreach (var part in parts)
        {
            if (!part.Words.Overlaps(words)) continue;
            if (negated is { } seen && seen != part.Negated) return RedLinePolarity.Mixed;
            negated = part.Negated;
        }
        return negated switch { null => RedLinePolarity.Mixed, true => RedLinePolarity.Negated, false => RedLinePolarity.Affirmative };
    }

    /// <summary>A mixed clause's statement parts (three words or more), each with its content words and whether it is negated.</summary>
    private static IReadOnlyList<(IReadOnlySet<string> Words, bool Negated)> PartsOf(string clause)
        => Parts().Split(Idioms().Replace(clause, " ")).Where(p => Words().Count(p) >= 3)
            .Select(p => (ContentWords(p), Negation().IsMatch(p))).ToList();

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "and", "but", "you", "your", "you're", "i'm", "i'll", "it's", "that", "this", "for", "with", "are", "was", "were", "will",
        "can", "can't", "won't", "don't", "not", "never", "just", "have", "has", "had", "him", "her", "his", "she", "they", "them", "what",
        "okay", "yeah", "really", "about", "all", "any", "some", "would", "could", "should", "there", "then", "than", "into", "out",
    };

    /// <summary>Lower-cased words of three letters or more, less the commonest function words.</summary>
    public static IReadOnlySet<string> ContentWords(string text)
        => Words().Matches(text).Select(m => m.Value.ToLowerInvariant().Replace('’', '\''))
            .Where(w => w.Length >= 3 && !StopWords.Contains(w)).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"\b(not|never|no|nobody|nothing|none|nor|neither|cannot|no-one)\b|n['’]t\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Negation();

    /// <summary>Negation words that negate nothing said: reassurance, interjections, "no matter what".</summary>
    [GeneratedRegex(@"\b(don['’]t|do not) (you )?worry\b|\bno (worries|problem|matter|doubt)\b|\bnothing but\b|\bnot (a problem|only|just)\b|\bof course not\b|\bwhether or not\b|\bnever mind\b|^\s*(no|nope|not really)\b[,.!]?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Idioms();

    /// <summary>Where a clause's parts meet: a comma, a semicolon, or a joining "and"/"but"/"so".</summary>
    [GeneratedRegex(@"[,;]\s*|\s+(?:and|but|so)\s+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Parts();

    [GeneratedRegex(@"[\p{L}\p{N}'’]+", RegexOptions.CultureInvariant)]
    private static partial Regex Words();

    [GeneratedRegex(@"(?<=[.!?])\s+", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"^\W*(?:(?:oh|okay|ok|well),?\s+)?(?:thank you|thanks|thank u)(?:\s+(?:so|very)\s+much)?(?:\s+for\s+[^,;.!?]*)?(?:,\s*\p{Lu}\p{Ll}+)?\W*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Thanks();
}
