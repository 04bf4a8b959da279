using System.Text.Json;

namespace TeacherTrainer.ApiService.Evaluation;

/// <summary>
/// Word stems that much of the scenario library uses ("want", "tell", "school", "write"): sharing one with the person
/// says nothing about sharing their topic, where sharing "brain" or "homework" does. Counted once, from the string
/// values of the library shipped with the build, so every machine reads a reply the same way.
/// </summary>
public static class EverydayWords
{
    /// <summary>A stem used in more than this share of the library's scenarios is everyday.</summary>
    public const double LibraryShare = 0.25;

    private static readonly Lazy<Library?> Counted = new(() => Count(Path.Combine(AppContext.BaseDirectory, "Content", "Scenarios")));

    /// <summary>Whether the stem is everyday; every stem is, when there is no library to count (nothing is then read as a shared topic).</summary>
    public static bool Contains(string stem) => Counted.Value?.Everyday.Contains(stem) ?? true;

    /// <summary>How many of the library's scenarios use the stem (0 when there is no library to count).</summary>
    public static int ScenariosUsing(string stem) => Counted.Value?.Scenarios.GetValueOrDefault(stem) ?? 0;

    private sealed record Library(IReadOnlySet<string> Everyday, IReadOnlyDictionary<string, int> Scenarios);

    /// <summary>
    /// Whether the reply is a statement that takes up a word of the line that is not everyday (three letters or more, not
    /// a number): "When you panic, your brain goes into alarm mode" after "Like my brain just switched off!". A question
    /// that picks up their word can still change the subject ("What did you have for lunch today?").
    /// </summary>
    public static bool StatementTakesUp(string reply, string line)
    {
        if (reply.Contains('?')) return false;
        var theirs = TextTokens.Tokenize(line).Where(t => t.IsContent).Select(TopicStem).ToHashSet(StringComparer.Ordinal);
        return TopicStems(reply).Any(theirs.Contains);
    }

    /// <summary>The reply's stems that can carry a topic: content words of three letters or more, not numbers, not everyday (and, if asked, not names).</summary>
    public static HashSet<string> TopicStems(string text, bool withoutNames = false)
        => TextTokens.Tokenize(text).Where(t => t.IsContent && !t.IsNumber && t.Lower.Length >= 3 && !(withoutNames && char.IsUpper(text[t.Start])))
            .Select(TopicStem).Where(s => !Contains(s)).ToHashSet(StringComparer.Ordinal);

    /// <summary>A word's stem without a possessive ("brain's" is "brain").</summary>
    public static string TopicStem(Token token)
        => token.Lower.EndsWith("'s", StringComparison.Ordinal) && token.Lower.Length > 4 ? TextTokens.Stem(token.Lower[..^2]) : token.Stem;

    private static Library? Count(string folder)
    {
        if (!Directory.Exists(folder)) return null;
        var files = Directory.GetFiles(folder, "*.json");
        if (files.Length == 0) return null;
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            var stems = Strings(document.RootElement).SelectMany(TextTokens.Tokenize)
                .Where(t => t.IsContent && !t.IsNumber).Select(TopicStem).ToHashSet(StringComparer.Ordinal);
            foreach (var stem in stems) counts[stem] = counts.GetValueOrDefault(stem) + 1;
        }
        return new(counts.Where(c => c.Value > files.Length * LibraryShare).Select(c => c.Key).ToHashSet(StringComparer.Ordinal), counts);
    }

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        _ => [],
    };
}
