using System.Text.Json;

namespace TeacherTrainer.ApiService.Scenarios;

/// <summary>
/// What a scenario document changes against the version trainees last met, by section, in words an
/// author checks before publishing ("Rubric: 1 criterion added, 2 edited"; "Exemplars: +3 / -1").
/// </summary>
public static class ScenarioDiffer
{
    public static ScenarioDiff Diff(ScenarioDocument? published, int? publishedNumber, ScenarioDocument next, IReadOnlyList<ScenarioIssue> warnings)
    {
        if (published is null)
        {
            return new ScenarioDiff(null, true,
            [
                new("Everything", "First publication: trainees have not met any version of this scenario yet.",
                    [$"{Plural(next.Rubric.Count, "criterion", "criteria")}", $"{Plural(next.Exemplars.Count, "exemplar")}", $"{Plural(Lines(next).Count, "reply line")}"]),
            ], warnings);
        }
        var changes = new List<ScenarioSectionChange>();
        var details = new List<string>();
        if (published.Title != next.Title) details.Add($"title: “{published.Title}” → “{next.Title}”");
        if (published.Summary != next.Summary) details.Add("summary changed");
        if (published.Category != next.Category) details.Add($"category: {published.Category} → {next.Category}");
        if (published.GradeBand != next.GradeBand) details.Add($"grade band: {published.GradeBand} → {next.GradeBand}");
        if (published.Difficulty != next.Difficulty) details.Add($"difficulty: {published.Difficulty} → {next.Difficulty}");
        if (published.TurnLimit != next.TurnLimit) details.Add($"turn limit: {published.TurnLimit} → {next.TurnLimit}");
        if (!published.Tags.SequenceEqual(next.Tags)) details.Add("tags changed");
        if (details.Count > 0) changes.Add(new("Details", string.Join("; ", details), details));

        if (published.Setting != next.Setting) changes.Add(new("Setting", "The setting changed.", []));
        if (published.OpeningLine != next.OpeningLine) changes.Add(new("Opening line", "The persona's first line changed.", [next.OpeningLine]));
        if (Listed(published.Goals, next.Goals) is { } goals) changes.Add(new("Trainee goals", goals.Summary, goals.Details));

        var persona = new List<string>();
        if (published.Persona.Name != next.Persona.Name) persona.Add($"name: {published.Persona.Name} → {next.Persona.Name}");
        if (published.Persona.Age != next.Persona.Age) persona.Add($"age: {published.Persona.Age} → {next.Persona.Age}");
        if (published.Persona.Pronouns != next.Persona.Pronouns) persona.Add($"pronouns: {published.Persona.Pronouns ?? "not given"} → {next.Persona.Pronouns ?? "not given"}");
        if (published.Persona.Role != next.Persona.Role) persona.Add($"role: {published.Persona.Role} → {next.Persona.Role}");
        if (published.Persona.Speaker != next.Persona.Speaker) persona.Add($"speaks as: {published.Persona.Speaker} → {next.Persona.Speaker}");
        if (published.Persona.Brief != next.Persona.Brief) persona.Add("brief changed");
        if (Listed(published.Persona.Knows, next.Persona.Knows) is { } knows) persona.Add("knows: " + knows.Summary);
        if (Keyed(published.Persona.Goals, next.Persona.Goals, g => g.Key, "goal", "goals") is { } personaGoals) persona.Add("goals: " + personaGoals.Summary);
        if (!Same(published.Persona with { Name = "", Age = 0, Pronouns = null, Role = "", Speaker = "", Brief = null, Knows = [], Goals = [] },
                  next.Persona with { Name = "", Age = 0, Pronouns = null, Role = "", Speaker = "", Brief = null, Knows = [], Goals = [] }))
        {
            persona.Add("traits, needs, triggers or what calms them changed");
        }
        if (persona.Count > 0) changes.Add(new("Persona", string.Join("; ", persona), persona));

        if (Keyed(published.Rubric, next.Rubric, c => c.Key, "criterion", "criteria") is { } rubric) changes.Add(new("Rubric", rubric.Summary, rubric.Details));
        if (Listed(published.Exemplars.Select(e => $"[{e.Rating}] {e.Text}").ToList(), next.Exemplars.Select(e => $"[{e.Rating}] {e.Text}").ToList()) is { } exemplars)
        {
            changes.Add(new("Exemplars", exemplars.Summary, exemplars.Details));
        }
        else if (!Same(published.Exemplars, next.Exemplars))
        {
            changes.Add(new("Exemplars", "Rationales or criteria edited.", []));
        }
        if (Listed(Lines(published), Lines(next)) is { } lines) changes.Add(new("Reply bank", lines.Summary, lines.Details));
        else if (!Same(published.ReplyLines, next.ReplyLines)) changes.Add(new("Reply bank", "What lines respond to was edited.", []));
        if (Listed(published.ClosingLines, next.ClosingLines) is { } closing) changes.Add(new("Closing lines", closing.Summary, closing.Details));
        if (Keyed(published.RedLines, next.RedLines, r => r.Key, "red line", "red lines") is { } red) changes.Add(new("Red lines", red.Summary, red.Details));
        if (!Same(published.InitialState, next.InitialState)) changes.Add(new("Starting mood", "The persona's starting escalation, trust or engagement changed.", []));
        return new ScenarioDiff(publishedNumber, false, changes, warnings);
    }

    private static List<string> Lines(ScenarioDocument d)
        => d.ReplyBank.SelectMany(m => m.Value.SelectMany(x => x.Value)).Concat(d.ReplyLines.Select(l => l.Text)).ToList();

    private sealed record Change(string Summary, IReadOnlyList<string> Details);

    /// <summary>Lists compared as sets of lines: "+2 / -1".</summary>
    private static Change? Listed(IReadOnlyList<string> before, IReadOnlyList<string> after)
    {
        var added = after.Except(before).ToList();
        var removed = before.Except(after).ToList();
        if (added.Count == 0 && removed.Count == 0) return before.SequenceEqual(after) ? null : new Change("Reordered.", []);
        return new Change($"+{added.Count} / -{removed.Count}", [.. added.Take(10).Select(a => "+ " + a), .. removed.Take(10).Select(r => "- " + r)]);
    }

    /// <summary>Items with keys: added, removed and edited by key.</summary>
    private static Change? Keyed<T>(IReadOnlyList<T> before, IReadOnlyList<T> after, Func<T, string> key, string one, string many)
    {
        var old = before.GroupBy(key).ToDictionary(g => g.Key, g => g.First());
        var now = after.GroupBy(key).ToDictionary(g => g.Key, g => g.First());
        var added = now.Keys.Except(old.Keys).ToList();
        var removed = old.Keys.Except(now.Keys).ToList();
        var edited = now.Keys.Intersect(old.Keys).Where(k => !Same(old[k], now[k])).ToList();
        if (added.Count + removed.Count + edited.Count == 0) return null;
        var parts = new List<string>();
        if (added.Count > 0) parts.Add($"{Plural(added.Count, one, many)} added");
        if (removed.Count > 0) parts.Add($"{Plural(removed.Count, one, many)} removed");
        if (edited.Count > 0) parts.Add($"{Plural(edited.Count, one, many)} edited");
        return new Change(string.Join(", ", parts), [.. added.Select(k => "added " + k), .. removed.Select(k => "removed " + k), .. edited.Select(k => "edited " + k)]);
    }

    private static bool Same<T>(T a, T b)
        => JsonSerializer.Serialize(a, ScenarioDocument.JsonOptions) == JsonSerializer.Serialize(b, ScenarioDocument.JsonOptions);

    private static string Plural(int n, string one, string? many = null) => $"{n} {(n == 1 ? one : many ?? one + "s")}";
}
