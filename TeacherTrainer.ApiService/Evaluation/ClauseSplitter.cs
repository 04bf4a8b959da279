using System.Text.RegularExpressions;
using TeacherTrainer.ApiService.AI;

namespace TeacherTrainer.ApiService.Evaluation;

/// <summary>
/// Cuts a reply into the clauses evidence is drawn from: sentences, and long sentences further at
/// the joints where a second thought starts (", but", "; ", " so "). The evidence shown to a trainee
/// is one of these, in their own words.
/// </summary>
public static partial class ClauseSplitter
{
    /// <summary>Sentences longer than this are cut at a joint, so evidence points at the part that mattered.</summary>
    public const int LongSentenceWords = 16;
    public const int MaxClauses = 8;

    [GeneratedRegex(@"[^.!?…]+(?:[.!?…]+[""'’”)]*|$)", RegexOptions.CultureInvariant)]
    private static partial Regex Sentence();

    [GeneratedRegex(@",\s+(?=(but|and then|so|because|which|although|though|or|while|and I|and we|and you)\b)|;\s+|:\s+|\s+-\s+|\s+–\s+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Joint();

    /// <summary>
    /// The part of a clause that it asserts, when the clause opens by conceding something or on a proviso: "the name has to stop."
    /// in "Even if he laughs, the name has to stop.", "I'll keep it between us." in "Even though I'm not meant to, I'll keep it
    /// between us.", "this stays with me." in "Provided you're not in danger, this stays with me."
    /// Null when the clause concedes nothing, or when what follows the concession is under three words.
    /// </summary>
    public static TextSpan? AssertedPart(string text, TextSpan clause)
    {
        var conceded = Concession().Match(text, clause.Start, clause.Length);
        if (!conceded.Success) return null;
        var (start, end) = Trim(text, clause.Start + conceded.Length, clause.End);
        return CountWords(text, start, end) >= 3 ? new TextSpan(start, end - start) : null;
    }

    /// <summary>
    /// An opening concession or proviso up to its comma: "Even if he laughs,", "Even though I'm not meant to,", "Whether or not he
    /// laughs,", "Provided you're not in danger,", "As long as you're safe,". A proviso grants what follows on its condition:
    /// "Provided you're not in danger, this stays with me." was 0.48 from "Your secret's safe with me." and nearer still, by its
    /// danger, to "I can't keep secrets if you might be in danger.", and it promised Leah secrecy at 63.
    /// </summary>
    [GeneratedRegex(@"\G\W*(?:even if|even though|even when|although|though|whether or not|provided|providing|as long as|so long as)\b[^,;.!?]{3,80}?,", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Concession();

    public static IReadOnlyList<TextSpan> Split(string text)
    {
        var clauses = new List<TextSpan>();
        foreach (Match sentence in Sentence().Matches(text))
        {
            var (start, end) = Trim(text, sentence.Index, sentence.Index + sentence.Length);
            if (end <= start) continue;
            var words = CountWords(text, start, end);
            if (words <= LongSentenceWords)
            {
                clauses.Add(new TextSpan(start, end - start));
                continue;
            }
            var cursor = start;
            foreach (Match joint in Joint().Matches(text[start..end]))
            {
                var at = start + joint.Index;
                if (CountWords(text, cursor, at) >= 3)
                {
                    var (s, e) = Trim(text, cursor, at);
                    clauses.Add(new TextSpan(s, e - s));
                    cursor = at + joint.Length;
                }
            }
            var (ls, le) = Trim(text, cursor, end);
            if (le > ls) clauses.Add(new TextSpan(ls, le - ls));
        }
        // Very long replies: keep the first clauses; the whole reply is always judged too.
        return clauses.Count <= MaxClauses ? clauses : clauses.Take(MaxClauses).ToList();
    }

    private static int CountWords(string text, int start, int end)
    {
        var count = 0;
        var inWord = false;
        for (var i = start; i < end; i++)
        {
            var letter = char.IsLetterOrDigit(text[i]);
            if (letter && !inWord) count++;
            inWord = letter;
        }
        return count;
    }

    private static (int Start, int End) Trim(string text, int start, int end)
    {
        while (start < end && char.IsWhiteSpace(text[start])) start++;
        while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
        return (start, end);
    }
}
