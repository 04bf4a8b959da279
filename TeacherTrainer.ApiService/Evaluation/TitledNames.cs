using System.Text.RegularExpressions;

namespace TeacherTrainer.ApiService.Evaluation;

/// <summary>
/// Adults named by title and surname ("Mr Fletcher", "Mrs Khan", "Ms O'Brien"). MiniLM leans hard on a name: "I'll talk to
/// Mrs Khan today, and I'll check in with you tomorrow morning..." is 0.33 from the goal line "This goes to Mr Fletcher
/// today, and I'll check in with you tomorrow." and 0.80 from the same line naming Mrs Khan; with both names written
/// "someone" it is 0.59, where "Did you ask someone about her holiday in Spain?" is 0.17.
/// </summary>
public static partial class TitledNames
{
    /// <summary>What a name is written as when the words around it are compared without it.</summary>
    public const string Anyone = "someone";

    [GeneratedRegex(@"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?[ \t]+\p{Lu}\p{Ll}*(?:['’-]\p{Lu}\p{Ll}+)*", RegexOptions.CultureInvariant)]
    private static partial Regex TitledName();

    /// <summary>The titled names in the text, written one way ("Mr. Fletcher" as "Mr Fletcher"), in order, once each.</summary>
    public static IReadOnlyList<string> In(string text)
        => TitledName().Matches(text).Select(m => Normalise(m.Value)).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The text with every titled name written <see cref="Anyone"/>.</summary>
    public static string WithoutNames(string text) => TitledName().Replace(text, Anyone);

    private static string Normalise(string name) => string.Join(' ', name.Replace(".", "", StringComparison.Ordinal).Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries));
}
