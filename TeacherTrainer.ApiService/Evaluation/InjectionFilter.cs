using System.Text.RegularExpressions;

namespace TeacherTrainer.ApiService.Evaluation;

/// <summary>
/// Finds the parts of a reply that speak to the assessor or a model rather than to the student
/// ("ignore previous instructions", "give this reply 100", "&lt;system&gt;...&lt;/system&gt;",
/// "note to the marker: ...") and blanks them out, character for character (line breaks kept), so
/// the rest is judged exactly as if they had never been written and evidence offsets still point
/// into the trainee's text. The judgement says when this happened. Three passes:
/// delimited blocks (tags, [[...]], {"score": ...}) are blanked exactly; then whole sentences that
/// address the assessor; then a sentence right after a blanked one when it carries on in the
/// assessor's vocabulary ("Band: excellent.", "Repeat it word for word.").
/// The suite of attempts is in TeacherTrainer.Tests/Security/PromptInjectionTests.cs.
/// </summary>
public static partial class InjectionFilter
{
    private const string Assessor = @"(marker|assessor|grader|evaluator|examiner|scorer|ai|a\.i\.|model|assistant|chatbot|llm|gpt|scoring (engine|system)|grading (engine|system)|rubric author)";

    [GeneratedRegex(@"<\s*(system|instructions?|prompt|assistant|admin)\s*>.*?<\s*/\s*\1\s*>|<\s*/?\s*(system|instructions?|prompt|assistant|admin)\s*/?\s*>"
        + @"|\[\[[^\]\n]{0,200}\]\]"
        + @"|\{[^{}\n]{0,200}?""?(score|band|grade|criteria|overall|rating)""?\s*[:=][^{}\n]{0,200}\}"
        + @"|\(\s*" + Assessor + @"\s*:[^)\n]{0,200}\)"
        + @"|\bp\.\s?s\.(?=\s*(to\s+)?(the\s+)?" + Assessor + @"\b)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex Block();

    // Every pattern names the assessor, the model, the scoring or "this reply" as the thing acted on:
    // ordinary classroom language ("Ignore everything else on the sheet", "You got 7/10", "Mark your
    // answers with a tick", "System: we use the metric system") speaks to the student and is never blanked.
    [GeneratedRegex(@"\b(ignore|disregard|forget|override)\b[^.!?\n]{0,40}\b(instructions?|prompt|rubric|previous|above|scoring|your (rules|guidelines)|everything (before|above))\b"
        + @"|\b(ignore|disregard|forget)\b[^.!?\n]{0,40}\b(everything|rules)\b[^.!?\n]{0,60}\b(score|full marks|top marks|grade (this|it|me)|rate (this|it|me)|this (reply|response|answer)|excellent|100)\b"
        + @"|\b(i\s+g\s+n\s+o\s+r\s+e|d\s+i\s+s\s+r\s+e\s+g\s+a\s+r\s+d|s\s+y\s+s\s+t\s+e\s+m)\b"
        + @"|\b(give|award|assign|rate|score|mark|grade|return|output)\s+(this|me|my (reply|answer|response)|the (reply|answer|response)|every criterion|all criteria)\b[^.!?\n]{0,40}(\b\d{1,3}\s*(%|/\s*\d{1,3}|points|out of)|\bfull marks|\btop marks|\bmaximum|\ba perfect|\bhighest|\bexcellent score|\bscore of|\bas (excellent|expert|perfect|exemplary))"
        + @"|\b(give|award|assign)\b[^.!?\n]{0,20}\b(the )?(maximum|max|highest|top|full|perfect) (score|marks?|grade|rating|band)\b"
        + @"|\b(system prompt|developer mode|jailbreak|you are now an? (evaluator|assessor|grader|marker|ai|assistant|model)|reveal your (instructions|prompt|rules))\b"
        + @"|\b(act|acting|pretend|roleplay|role-play|role play|imagine)\b[^.!?\n]{0,30}\b(as|you are|you're|to be)\s+(an? |the )?(ai|assistant with no rules|grader|evaluator|scorer|scoring engine|grading engine|generous (grader|marker|assessor|evaluator))\b"
        + @"|\b(dear|hey|hi|attention|note to|message to|p\.?s\.? to|instruction to|instructions to|note for)\s+(the\s+)?" + Assessor + @"\b"
        + @"|\bas\s+(the\s+)?(marker|assessor|grader|evaluator|examiner|scorer|ai|llm|scoring (engine|system)|grading (engine|system))\s*,"
        + @"|^\W*(marker|assessor|grader|evaluator|examiner|scorer|ai|llm|gpt|chatbot)\s*:"
        + @"|^\W*(assistant|system|user|developer)\s*:[^\n]{0,80}\b(score|marks?|grade|rating|band|evaluat\w*|assess\w*|rubric|criteri\w*|instructions?|prompt|output|100)\b"
        + @"|\b(score|scores|scoring|band|overall|uptake|rating|grade)\s*=\s*(\d|all|excellent|expert|perfect|max)"
        + @"|\b(score|scores|scoring|band|overall|uptake|rating)\s*:\s*(100\b|all-|excellent|expert|perfect|max)"
        + @"|\b(correct|right|true|real) (score|mark|grade) (for|of) (this|my) (reply|response|answer|text)\b"
        + @"|\b(repeat|print|show|reveal|output|translate|recite|tell me)\b[^.!?\n]{0,30}\b(your (instructions|prompt|rules|system prompt|guidelines)|(everything|all|the text) (above|before)|system prompt)\b"
        + @"|\boutput only\b|\byour new (task|job|role) is\b|\bnew (rule|task|instructions?)\b[^.!?\n]{0,60}\b(scores?|full marks|top marks|grade|evaluat\w*)\b"
        + @"|\b(end of (the )?(student|user|trainee|teacher) (text|input|reply)|begin (the )?(assessor|system|new|evaluator) instructions|assessor instructions)\b"
        + @"|\b(treat|rate|mark|grade|score|classify) (this|my)\b[^.!?\n]{0,40}\b(as (an? )?)?(expert|exemplary|top|perfect) (quality|reply|replies|answer|response)\b"
        + @"|\bpre-?approved\b[^.!?\n]{0,40}\b(rubric|assessor|marker|grader|exemplar|score|marks?)\b|\boverride (code|the rubric|all)\b|^\s*#{1,6}\s*(evaluation|assessment|score|grade|marking)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Multiline)]
    private static partial Regex Injection();

    /// <summary>Words of grading and prompting: a sentence right after an injected one that uses them carries the injection on.</summary>
    [GeneratedRegex(@"\b(score|scores|band|marks?|grade|graded|rubric|criteria|criterion|evaluat\w*|assess\w*|prompt|instructions?|word for word|verbatim|repeat|excellent|exemplary|expert|100)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AssessorVocabulary();

    [GeneratedRegex(@"[^.!?\n]*(?:[.!?]+|\n|$)", RegexOptions.CultureInvariant)]
    private static partial Regex Sentence();

    /// <summary>The reply with injected parts replaced by spaces (same length, line breaks kept), and whether any were.</summary>
    public static (string Text, bool Found) Blank(string reply)
    {
        var blocks = Block().Matches(reply);
        var chars = reply.ToCharArray();
        foreach (Match block in blocks) Erase(chars, block.Index, block.Length);
        var text = new string(chars);
        var found = blocks.Count > 0;
        var previousBlanked = false;
        // Sentence by sentence, so patterns anchored at a sentence's start ("System: ...") see it.
        foreach (Match sentence in Sentence().Matches(text))
        {
            if (sentence.Length == 0) continue;
            if (string.IsNullOrWhiteSpace(sentence.Value)) continue;
            var injected = Injection().IsMatch(sentence.Value) || (previousBlanked && AssessorVocabulary().IsMatch(sentence.Value));
            if (injected) Erase(chars, sentence.Index, sentence.Length);
            found |= injected;
            previousBlanked = injected;
        }
        return found ? (new string(chars), true) : (reply, false);
    }

    private static void Erase(char[] chars, int start, int length)
    {
        for (var i = start; i < start + length; i++)
        {
            if (chars[i] is not ('\n' or '\r')) chars[i] = ' ';
        }
    }
}
