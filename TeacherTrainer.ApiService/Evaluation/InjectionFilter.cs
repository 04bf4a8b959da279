using System.Text.RegularExpressions;

namespace TeacherTrainer.ApiService.Evaluation;

/// <summary>
/// Finds sentences in a reply that speak to the assessor or a model rather than to the student
/// ("ignore previous instructions", "give this reply 100") and blanks them out, character for
/// character, so the rest is judged exactly as if they had never been written and evidence offsets
/// still point into the trainee's text. The judgement says when this happened.
/// </summary>
public static partial class InjectionFilter
{
    [GeneratedRegex(@"\b(ignore|disregard|forget|override)\b[^.!?\n]{0,40}\b(instruction|instructions|prompt|rules|rubric|previous|above|everything)\b"
        + @"|\b(give|award|assign|rate|score|mark)\b[^.!?\n]{0,40}\b(\d{2,3}\s*(%|/\s*100|points|out of)|full marks|top marks|maximum|a perfect|highest|excellent score|score of)"
        + @"|\b(system prompt|developer mode|jailbreak|you are now|act as (an?|the) (ai|assistant|grader|assessor|evaluator)|as the (grader|assessor|evaluator)|reveal your (instructions|prompt))\b"
        + @"|\b(assistant|system)\s*:"
        + @"|<\s*/?\s*(system|instructions?|prompt)\s*>",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Injection();

    [GeneratedRegex(@"[^.!?\n]*(?:[.!?]+|\n|$)", RegexOptions.CultureInvariant)]
    private static partial Regex Sentence();

    /// <summary>The reply with injected sentences replaced by spaces (same length), and whether any were.</summary>
    public static (string Text, bool Found) Blank(string reply)
    {
        if (!Injection().IsMatch(reply)) return (reply, false);
        var chars = reply.ToCharArray();
        foreach (Match sentence in Sentence().Matches(reply))
        {
            if (sentence.Length == 0 || !Injection().IsMatch(sentence.Value)) continue;
            for (var i = sentence.Index; i < sentence.Index + sentence.Length; i++) chars[i] = ' ';
        }
        return (new string(chars), true);
    }
}
