using System.Text.RegularExpressions;

namespace TeacherTrainer.ApiService.Evaluation;

/// <summary>
/// Owning one's own words ("I'm sorry, that came out wrong and it wasn't fair to you."): the judge never
/// reads it as being about something else, and the persona takes it as a repair after a harmful turn.
/// </summary>
public static partial class Apologies
{
    public static bool In(string text) => Sorry().IsMatch(text);

    [GeneratedRegex(@"\b(sorry|apologi[sz]e|i was wrong|i shouldn't have|that came out wrong|that was unfair|my mistake|i got that wrong|that wasn't fair|i was out of line)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Sorry();
}
