namespace TeacherTrainer.ApiService.Evaluation;

/// <summary>
/// A reply's wording as words and word pairs ("let's check", "great job", "instead of"), weighted TF-IDF style
/// (1 + log count, times the term's inverse document frequency, scaled to unit length). Numbers are folded to "#",
/// so "is 420" and "is 24" are the same wording. Shared by the fitting harness and the scorer, so the terms a
/// model was fitted on are read the same way at run time.
/// </summary>
public static class ReplyWording
{
    /// <summary>The reply's terms, each with how often it occurs and where it first occurs (character offsets, for evidence).</summary>
    public static Dictionary<string, (int Count, int Start, int End)> Terms(string text)
    {
        var tokens = TextTokens.Tokenize(text);
        var terms = new Dictionary<string, (int Count, int Start, int End)>(StringComparer.Ordinal);
        string? previous = null;
        for (var i = 0; i < tokens.Count; i++)
        {
            var word = Fold(tokens[i]);
            Add(terms, word, tokens[i].Start, tokens[i].End);
            // A pair is two words of one sentence: "job! Now" is two thoughts, not a phrase.
            if (previous is not null && !SentenceEnds(text, tokens[i - 1].End, tokens[i].Start))
                Add(terms, previous + " " + word, tokens[i - 1].Start, tokens[i].End);
            previous = word;
        }
        return terms;
    }

    /// <summary>
    /// Whether a term means something said back to a trainee: it holds a word that is neither a number nor a function
    /// word ("how many", "job now", "remember"), so feedback never quotes "#" or "to" as what moved the score.
    /// </summary>
    public static bool IsNameable(string term)
        => term.Split(' ').Any(w => w != "#" && w.Length > 1 && !TextTokens.StopWords.Contains(w));

    private static bool SentenceEnds(string text, int from, int to)
    {
        for (var i = from; i < to; i++)
            if (text[i] is '.' or '!' or '?' or ';' or ':' or '\n' or '…') return true;
        return false;
    }

    /// <summary>The words of a span as the reply wrote them, widened to whole hyphenated words ("double" of "double-check").</summary>
    public static string Quote(string text, int start, int end)
    {
        while (end + 1 < text.Length && text[end] == '-' && char.IsLetter(text[end + 1]))
        {
            end++;
            while (end < text.Length && char.IsLetter(text[end])) end++;
        }
        return text[start..end];
    }

    private static string Fold(Token token)
        => token.Lower.Length > 0 && char.IsDigit(token.Lower[0]) ? "#" : token.Lower.Replace('’', '\'');

    private static void Add(Dictionary<string, (int Count, int Start, int End)> terms, string term, int start, int end)
        => terms[term] = terms.TryGetValue(term, out var seen) ? (seen.Count + 1, seen.Start, seen.End) : (1, start, end);

    /// <summary>
    /// The reply's weighted vector over a fixed vocabulary: (index into the vocabulary, weight, first occurrence) for
    /// each known term, unit length over the known terms. Unknown terms carry no weight.
    /// </summary>
    public static List<(int Index, double Weight, int Start, int End)> Vector(string text, IReadOnlyDictionary<string, int> vocabulary, IReadOnlyList<double> idf)
    {
        var entries = new List<(int Index, double Weight, int Start, int End)>();
        double norm = 0;
        foreach (var (term, (count, start, end)) in Terms(text))
        {
            if (!vocabulary.TryGetValue(term, out var index)) continue;
            var weight = (1 + Math.Log(count)) * idf[index];
            entries.Add((index, weight, start, end));
            norm += weight * weight;
        }
        if (norm <= 0) return entries;
        norm = Math.Sqrt(norm);
        for (var i = 0; i < entries.Count; i++) entries[i] = entries[i] with { Weight = entries[i].Weight / norm };
        // Ordinal order of index, so sums are added in the same order every time.
        entries.Sort((a, b) => a.Index.CompareTo(b.Index));
        return entries;
    }

    /// <summary>Smoothed inverse document frequency: ln((1 + documents) / (1 + documents with the term)) + 1.</summary>
    public static double Idf(int documents, int documentFrequency) => Math.Log((1.0 + documents) / (1.0 + documentFrequency)) + 1;
}

/// <summary>
/// The fitted pull of each term on the tutoring score (<see cref="TutoringModel.Wording"/>): the sum over the reply's
/// terms of weight x TF-IDF value. The term that pulled most either way is named in the feedback.
/// </summary>
public sealed class WordingModel
{
    public WordingModel(IReadOnlyList<string> terms, IReadOnlyList<double> idf, IReadOnlyList<double> weights)
    {
        Terms = terms;
        Idf = idf;
        Weights = weights;
        // Read once when the model is loaded, not on every judgement.
        Vocabulary = terms.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i, StringComparer.Ordinal);
        _nameable = terms.Select(ReplyWording.IsNameable).ToArray();
    }

    public IReadOnlyList<string> Terms { get; }
    public IReadOnlyList<double> Idf { get; }
    public IReadOnlyList<double> Weights { get; }

    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyDictionary<string, int> Vocabulary { get; }

    private readonly bool[] _nameable;

    /// <summary>
    /// The wording's contribution, and the nameable term (<see cref="ReplyWording.IsNameable"/>) that raised it most and
    /// the one that lowered it most, each with the reply's own words for it.
    /// </summary>
    public (double Contribution, WordingPull? Up, WordingPull? Down) Apply(string text)
    {
        double sum = 0;
        WordingPull? up = null, down = null;
        foreach (var (index, value, start, end) in ReplyWording.Vector(text, Vocabulary, Idf))
        {
            var c = Weights[index] * value;
            sum += c;
            if (!_nameable[index]) continue;
            if (c > 0 && (up is null || c > up.Value.Pull)) up = new(ReplyWording.Quote(text, start, end), c, start);
            if (c < 0 && (down is null || c < down.Value.Pull)) down = new(ReplyWording.Quote(text, start, end), c, start);
        }
        return (sum, up, down);
    }
}

/// <summary>One term's pull on the prediction: the reply's own words for it, and where they start.</summary>
public readonly record struct WordingPull(string Words, double Pull, int Start);
