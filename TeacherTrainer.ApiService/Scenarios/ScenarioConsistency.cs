using System.Text.RegularExpressions;

namespace TeacherTrainer.ApiService.Scenarios;

/// <summary>
/// Checks that a scenario's text still agrees with its persona: a copied scenario whose persona was
/// renamed (or made older, or given other pronouns) otherwise keeps talking about the old person in its
/// setting, indicators, exemplars and reply lines, and trainees meet two people in one conversation.
/// Also checks that every criterion is illustrated by exemplars on both sides (rated high and low).
/// Each finding is a warning with the JSON path of the text that disagrees: a draft may be saved with
/// warnings (an author renames first and fixes the text after), but it is not published with them.
/// </summary>
public static partial class ScenarioConsistency
{
    public const string Warning = "warning";

    /// <param name="earlier">Earlier versions of the same scenario (its first and its current one), whose persona the text may still describe.</param>
    public static IEnumerable<ScenarioIssue> Check(ScenarioDocument d, IEnumerable<ScenarioDocument>? earlier = null)
    {
        var texts = Texts(d).ToList();
        var name = NameParts(d.Persona.Name);
        var first = name.FirstOrDefault();

        // The setting introduces the persona to the trainee: one that never names them describes someone else.
        if (first is not null && !ContainsWord(d.Setting, first))
        {
            yield return new("/setting", $"The setting never names the persona ({first}); does it still describe someone else?", Warning);
        }

        foreach (var previous in (earlier ?? []).Where(p => p.Persona.Name != d.Persona.Name).DistinctBy(p => p.Persona.Name))
        {
            // A name part that was the old persona's and is not the new one's (a shared surname stays fine).
            var stale = NameParts(previous.Persona.Name).Where(p => !name.Contains(p, StringComparer.Ordinal)).ToList();
            foreach (var (path, text) in texts)
            {
                foreach (var part in stale.Where(p => ContainsWord(text, p)))
                {
                    yield return new(path, $"Still says “{part}”: the persona is now {d.Persona.Name} (was {previous.Persona.Name}).", Warning);
                }
            }
        }

        foreach (var previous in (earlier ?? []).Where(p => p.Persona.Age != d.Persona.Age && p.Persona.Age > 0).DistinctBy(p => p.Persona.Age))
        {
            foreach (var (path, text) in texts.Where(t => MentionsAge(t.Text, previous.Persona.Age)))
            {
                yield return new(path, $"Still gives the age {previous.Persona.Age}: the persona is now {d.Persona.Age}.", Warning);
            }
        }

        // An age written beside the persona's name ("Leo Nguyen, six, pushed...") must be theirs.
        if (first is not null)
        {
            foreach (var (path, text) in texts)
            {
                foreach (Match m in Regex.Matches(text, $@"\b{Regex.Escape(first)}(?:\s+\p{{Lu}}[\p{{L}}'-]+)?,\s+(?:aged\s+)?(?<age>\d{{1,2}}|{NumberWordPattern})[,)]"))
                {
                    var age = ParseAge(m.Groups["age"].Value);
                    if (age is not null && age != d.Persona.Age)
                    {
                        yield return new(path, $"Gives {first}'s age as {age}, but the persona is {d.Persona.Age}.", Warning);
                    }
                }
            }
        }

        foreach (var issue in CheckPronouns(d, first, texts)) yield return issue;
        foreach (var issue in CheckExemplarSides(d)) yield return issue;
    }

    /// <summary>
    /// The persona's pronouns (declared, or implied by a role such as "mother of..."), against the
    /// pronouns of sentences that name the persona and no one else.
    /// </summary>
    private static IEnumerable<ScenarioIssue> CheckPronouns(ScenarioDocument d, string? first, IReadOnlyList<(string Path, string Text)> texts)
    {
        var declared = d.Persona.Pronouns ?? ImpliedPronouns(d.Persona.Role);
        if (first is null || declared is null || !PronounSets.TryGetValue(declared, out var own)) yield break;
        // Only pronouns that cannot belong to a possession ("her dad, Andre" is about someone else).
        var others = SubjectPronouns.Where(p => p.Key != declared).SelectMany(p => p.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (path, text) in texts)
        {
            foreach (var sentence in Regex.Split(text, @"(?<=[.!?])\s+(?=\p{Lu})"))
            {
                var at = Regex.Match(sentence, $@"(?<![\p{{L}}]){Regex.Escape(first)}(?![\p{{L}}])");
                if (!at.Success) continue;
                // Only what follows the name, in a sentence about the persona alone: another named person makes "she" ambiguous.
                var rest = sentence[(at.Index + at.Length)..];
                var capitalised = Regex.Matches(sentence, @"\b\p{Lu}\p{Ll}+").Select(m => m.Value).Skip(1)
                    .Where(w => !NameParts(d.Persona.Name).Contains(w) && !CommonCapitalised.Contains(w));
                if (capitalised.Any()) continue;
                var words = Regex.Matches(rest, @"\b\p{L}+\b").Select(m => m.Value).ToList();
                var wrong = words.FirstOrDefault(w => others.Contains(w));
                if (wrong is not null && !words.Any(w => own.Contains(w, StringComparer.OrdinalIgnoreCase)))
                {
                    yield return new(path, $"Calls {first} “{wrong}”, but the persona's pronouns are {declared}.", Warning);
                    break;
                }
            }
        }
    }

    private static readonly IReadOnlyDictionary<string, string[]> SubjectPronouns = new Dictionary<string, string[]>
    {
        ["he/him"] = ["he", "himself"],
        ["she/her"] = ["she", "herself"],
    };

    /// <summary>Every criterion needs rated replies on both sides (an exemplar that names no criteria illustrates them all).</summary>
    private static IEnumerable<ScenarioIssue> CheckExemplarSides(ScenarioDocument d)
    {
        for (var i = 0; i < d.Rubric.Count; i++)
        {
            var key = d.Rubric[i].Key;
            var applicable = d.Exemplars.Where(e => e.Criteria.Count == 0 || e.Criteria.Contains(key)).ToList();
            var high = applicable.Count(e => e.Rating >= 4);
            var low = applicable.Count(e => e.Rating <= 2);
            if (high == 0 || low == 0)
            {
                var missing = high == 0 && low == 0 ? "no exemplar rated high (4-5) or low (1-2)" : high == 0 ? "no exemplar rated high (4-5)" : "no exemplar rated low (1-2)";
                yield return new($"/rubric/{i}", $"The criterion “{d.Rubric[i].Name}” has {missing}: tag exemplars with it so the judge sees both sides.", Warning);
            }
        }
        for (var i = 0; i < d.Exemplars.Count; i++)
        {
            foreach (var unknown in d.Exemplars[i].Criteria.Where(c => d.Rubric.All(r => r.Key != c)))
            {
                yield return new($"/exemplars/{i}/criteria", $"'{unknown}' is not a criterion of this scenario's rubric.", Warning);
            }
        }
    }

    /// <summary>Every text a trainee or the persona's model reads, with its JSON path.</summary>
    public static IEnumerable<(string Path, string Text)> Texts(ScenarioDocument d)
    {
        yield return ("/summary", d.Summary);
        yield return ("/setting", d.Setting);
        yield return ("/openingLine", d.OpeningLine);
        for (var i = 0; i < d.Goals.Count; i++) yield return ($"/goals/{i}", d.Goals[i]);
        if (d.Persona.Brief is { } brief) yield return ("/persona/brief", brief);
        for (var i = 0; i < d.Persona.Knows.Count; i++) yield return ($"/persona/knows/{i}", d.Persona.Knows[i]);
        for (var i = 0; i < d.Persona.Goals.Count; i++)
        {
            yield return ($"/persona/goals/{i}/description", d.Persona.Goals[i].Description);
            for (var j = 0; j < d.Persona.Goals[i].MetBy.Count; j++) yield return ($"/persona/goals/{i}/metBy/{j}", d.Persona.Goals[i].MetBy[j]);
        }
        for (var i = 0; i < d.Rubric.Count; i++)
        {
            var c = d.Rubric[i];
            yield return ($"/rubric/{i}/description", c.Description);
            for (var j = 0; j < c.PositiveIndicators.Count; j++) yield return ($"/rubric/{i}/positiveIndicators/{j}", c.PositiveIndicators[j]);
            for (var j = 0; j < c.NegativeIndicators.Count; j++) yield return ($"/rubric/{i}/negativeIndicators/{j}", c.NegativeIndicators[j]);
        }
        for (var i = 0; i < d.Exemplars.Count; i++)
        {
            yield return ($"/exemplars/{i}/text", d.Exemplars[i].Text);
            yield return ($"/exemplars/{i}/rationale", d.Exemplars[i].Rationale);
            if (d.Exemplars[i].After is { } after) yield return ($"/exemplars/{i}/after", after);
        }
        foreach (var (move, byMood) in d.ReplyBank)
        {
            foreach (var (mood, lines) in byMood)
            {
                for (var j = 0; j < lines.Count; j++) yield return ($"/replyBank/{move}/{mood}/{j}", lines[j]);
            }
        }
        for (var i = 0; i < d.ReplyLines.Count; i++) yield return ($"/replyLines/{i}/text", d.ReplyLines[i].Text);
        for (var i = 0; i < d.ClosingLines.Count; i++) yield return ($"/closingLines/{i}", d.ClosingLines[i]);
        for (var i = 0; i < d.RedLines.Count; i++)
        {
            yield return ($"/redLines/{i}/description", d.RedLines[i].Description);
            for (var j = 0; j < d.RedLines[i].Examples.Count; j++) yield return ($"/redLines/{i}/examples/{j}", d.RedLines[i].Examples[j]);
            for (var j = 0; j < d.RedLines[i].NearMisses.Count; j++) yield return ($"/redLines/{i}/nearMisses/{j}", d.RedLines[i].NearMisses[j]);
        }
    }

    /// <summary>"Beatriz (Bia) Santos" is Beatriz, Bia and Santos: the parts of a name a text may use.</summary>
    public static IReadOnlyList<string> NameParts(string name)
        => Regex.Matches(name, @"\p{Lu}[\p{L}'-]+").Select(m => m.Value).Distinct().ToList();

    private static bool ContainsWord(string text, string word)
        => Regex.IsMatch(text, $@"(?<![\p{{L}}]){Regex.Escape(word)}(?![\p{{L}}])");

    /// <summary>An age as texts write one: "38-year-old", "38 years old", ", six,", "(6)", "aged six".</summary>
    private static bool MentionsAge(string text, int age)
    {
        var forms = age < NumberWords.Length ? $"(?:{age}|{NumberWords[age]})" : $"{age}";
        return Regex.IsMatch(text, $@"\b{forms}(?:-year-old|\s+years?\s+old)\b|,\s+{forms},|\({forms}\)|\baged\s+{forms}\b", RegexOptions.IgnoreCase);
    }

    private static int? ParseAge(string value)
        => int.TryParse(value, out var n) ? n : Array.FindIndex(NumberWords, w => w.Equals(value, StringComparison.OrdinalIgnoreCase)) is var i and >= 0 ? i : null;

    private static string? ImpliedPronouns(string role)
    {
        var r = role.ToLowerInvariant();
        if (Regex.IsMatch(r, @"\b(father|dad|stepfather|grandfather|uncle|boy)\b")) return "he/him";
        if (Regex.IsMatch(r, @"\b(mother|mum|mom|stepmother|grandmother|aunt|girl)\b")) return "she/her";
        return null;
    }

    private static readonly string[] NumberWords =
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
        "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
    ];

    private static readonly string NumberWordPattern = string.Join("|", NumberWords.Skip(4));

    public static readonly IReadOnlyDictionary<string, string[]> PronounSets = new Dictionary<string, string[]>
    {
        ["he/him"] = ["he", "him", "his", "himself"],
        ["she/her"] = ["she", "her", "hers", "herself"],
        ["they/them"] = ["they", "them", "their", "theirs", "themselves", "themself"],
    };

    /// <summary>Capitalised words that are not people (days, months, titles of school things).</summary>
    private static readonly HashSet<string> CommonCapitalised = new(StringComparer.Ordinal)
    {
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March", "April", "May",
        "June", "July", "August", "September", "October", "November", "December", "Year", "Grade", "English", "Maths", "Math", "Science",
        "History", "Reception", "You", "The", "A", "An", "I", "He", "She", "They", "His", "Her", "Their", "It", "This", "That", "When", "After",
        "At", "In", "On", "But", "And", "Today", "Yesterday", "Last", "Mr", "Mrs", "Ms", "Miss", "Dr",
    };
}
