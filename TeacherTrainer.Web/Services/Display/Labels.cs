using System.Globalization;

namespace TeacherTrainer.Web.Services.Display;

/// <summary>Words and colours for the API's codes (categories, grade bands, bands, moods, roles).</summary>
public static class Labels
{
    private static readonly Dictionary<string, string> Categories = new()
    {
        ["classroom-disruption"] = "Classroom disruption",
        ["emotional-distress"] = "Emotional distress",
        ["errors-misconceptions"] = "Errors & misconceptions",
        ["parent-communication"] = "Parent communication",
        ["inclusion-differentiation"] = "Inclusion & differentiation",
        ["conflict-bullying"] = "Conflict & bullying",
        ["academic-integrity"] = "Academic integrity",
        ["colleagues-leadership"] = "Colleagues & leadership",
    };

    public static IReadOnlyList<string> AllCategories => [.. Categories.Keys];

    public static readonly IReadOnlyList<string> GradeBands = ["early-primary", "upper-primary", "middle-school", "high-school"];
    public static readonly IReadOnlyList<string> Difficulties = ["introductory", "intermediate", "advanced"];

    public static string Category(string code) => Categories.TryGetValue(code, out var name) ? name : Humanize(code);

    public static string GradeBand(string code) => Humanize(code);

    public static string Difficulty(string code) => Humanize(code);

    public static string Role(string role) => Humanize(role);

    public static string Band(Band band) => Humanize(band.WireName());

    /// <summary>A band the API still sends as its wire name (the cohort records).</summary>
    public static string Band(string band) => Humanize(band);

    /// <summary>A band from its wire name; an unknown one reads as poor.</summary>
    public static Band BandNamed(string? band) => WireNames.TryParse<Band>(band, out var value) ? value : Contracts.Band.Poor;

    /// <summary>A Bootstrap badge class with AA contrast for a score band.</summary>
    public static string BandClass(Band band) => band switch
    {
        Contracts.Band.Excellent => "text-bg-success",
        Contracts.Band.Strong => "badge-strong",
        Contracts.Band.Developing => "text-bg-warning",
        Contracts.Band.Weak => "badge-weak",
        _ => "text-bg-danger",
    };

    /// <summary>The band of a 0-100 score (the engine's thresholds, shared through the contracts, for scores an instructor changed).</summary>
    public static Band BandOf(int score) => JudgementBands.For(score);

    public static string Mood(string mood) => mood switch
    {
        "escalated" => "Escalated",
        "guarded" => "Guarded",
        "settled" => "Settled",
        _ => Humanize(mood),
    };

    public static string MoodClass(string mood) => mood switch
    {
        "escalated" => "text-bg-danger",
        "guarded" => "text-bg-warning",
        _ => "text-bg-success",
    };

    public static string EndReason(string? reason) => reason switch
    {
        null or "" => "",
        "goals-met" => "You met the goals of the conversation.",
        "turn-limit" => "You reached the turn limit.",
        "ended-by-trainee" => "You ended the session.",
        _ => Humanize(reason) + ".",
    };

    public static string Date(DateTimeOffset at) => at.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    public static string DateTime(DateTimeOffset at) => at.ToString("d MMM yyyy, HH:mm", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>"due in 3 days", "due tomorrow", "overdue by 2 days".</summary>
    public static string Due(DateTimeOffset due, DateTimeOffset now)
    {
        var days = (int)Math.Floor((due.UtcDateTime.Date - now.UtcDateTime.Date).TotalDays);
        return days switch
        {
            < -1 => $"overdue by {-days} days",
            -1 => "overdue by 1 day",
            0 => due > now ? "due today" : "overdue",
            1 => "due tomorrow",
            _ => $"due in {days} days",
        };
    }

    public static string Percent(double fraction) => Math.Round(fraction * 100).ToString(CultureInfo.InvariantCulture) + "%";

    /// <summary>"1 scenario", "2 scenarios", "0 replies": one place for counts, so no page says "1 items".</summary>
    /// <param name="plural">The plural when it is not the noun plus "s" (reply → replies, criterion → criteria).</param>
    public static string Plural(int count, string noun, string? plural = null)
        => count.ToString("N0", CultureInfo.InvariantCulture) + " " + (count == 1 ? noun : plural ?? PluralOf(noun));

    private static string PluralOf(string noun) => noun switch
    {
        _ when noun.EndsWith("criterion", StringComparison.Ordinal) => noun[..^2] + "a",
        _ when noun.Length > 1 && noun[^1] == 'y' && !"aeiou".Contains(noun[^2], StringComparison.Ordinal) => noun[..^1] + "ies",
        _ when noun.EndsWith('s') || noun.EndsWith("ch", StringComparison.Ordinal) || noun.EndsWith("sh", StringComparison.Ordinal) || noun.EndsWith('x') => noun + "es",
        _ => noun + "s",
    };

    public static string Humanize(string code)
    {
        if (string.IsNullOrWhiteSpace(code)) return "";
        var words = code.Replace('-', ' ').Replace('_', ' ');
        return char.ToUpperInvariant(words[0]) + words[1..];
    }
}
