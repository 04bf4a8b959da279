using System.Text.RegularExpressions;

namespace TeacherTrainer.ApiService.Evaluation;

/// <summary>
/// Words the teacher attributes to someone else ("You said he laughs.", "You asked me to promise.",
/// "You think it's banter"): reported, not asserted. A red line is crossed by what the teacher says,
/// not by what they report the other person said, and a reply that names what the person said earlier
/// is answering them, however far it reaches back.
/// </summary>
public static partial class ReportedSpeech
{
    /// <summary>Whether the clause opens by attributing its content to the person spoken to (or to someone else).</summary>
    public static bool Opens(string clause) => Frame().IsMatch(clause);

    /// <summary>The words after each attributing frame in the reply ("he laughs" in "You said he laughs. How do you know?").</summary>
    public static IEnumerable<string> Reported(string reply)
        => Anywhere().Matches(reply).Select(m => m.Groups["what"].Value);

    private const string Verbs = @"(?:said|say|says|told me|tell me|mentioned|mention|asked(?: me)?(?: to)?|(?:(?:do not|don['’]t|did not|didn['’]t)\s+)?want(?:ed)?|think|thought|reckon|believe|feel|keep saying|are saying|['’]re saying|were saying|called|call)";

    /// <summary>
    /// A frame that says back the listener's view as theirs ("So for you it's just a laugh", "What I'm hearing is it's just
    /// banter to you"): Liam's teacher checked "So for you it's just a laugh, and he calls you names too. Is that right?" and
    /// was capped at 30 for dismissing the abuse as banter.
    /// </summary>
    private const string Revoicing = @"(?:for you|to you|in your (?:view|eyes|head)|from (?:your|where you['’]re) (?:side|standing)|what i['’]m hearing is|if i['’]ve (?:got|understood) (?:that|you|this) right)\b";

    /// <summary>
    /// The teacher saying they have heard it, before the report: "I hear that you want me to leave it." reports the student's
    /// wish and grants nothing, yet it was 0.53 from "Okay, I'll leave it then, if that's what you want." and capped as a
    /// promise of secrecy, though the reply went on "I still can't ignore what I heard." So was "I hear that you don't want anyone
    /// to know it was you. I'll be careful, but I can't promise nobody will find out." to Noor (0.57 from "Okay, I promise I
    /// won't say it was you.").
    /// </summary>
    private const string Heard = @"(?:i\s+(?:can\s+)?(?:hear|know|understand|get|see|realise|realize|appreciate)\s+(?:that\s+)?)?";

    [GeneratedRegex(@"^\W*(?:so,?\s+|and\s+|but\s+|okay,?\s+|ok,?\s+)?(?:" + Heard + @"(?:you|he|she|they)\s+" + Verbs + @"\b|" + Revoicing + ")", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Frame();

    [GeneratedRegex(@"\byou\s+" + Verbs + @"\b(?<what>[^.?!;]*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Anywhere();
}
