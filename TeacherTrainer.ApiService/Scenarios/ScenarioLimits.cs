using System.Globalization;
using System.Text.Json;

namespace TeacherTrainer.ApiService.Scenarios;

/// <summary>
/// The longest each field of a scenario may be, and the most items each list may hold. Scenario text
/// is written by instructors and read by a language model (the persona's prompt) and by trainees, so
/// nothing in it is unbounded: the persona's whole character notes stay within a few thousand words.
/// Paths use <c>*</c> for any array index or reply-bank key. The library's longest values are well
/// inside these (its longest setting is about 1,700 characters).
/// </summary>
public static class ScenarioLimits
{
    /// <summary>A string field not named below (keys, enum values, moves).</summary>
    public const int DefaultText = 200;

    /// <summary>A list not named below.</summary>
    public const int DefaultItems = 50;

    public static readonly IReadOnlyDictionary<string, int> Text = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["/slug"] = 80,
        ["/title"] = ScenarioValidator.MaxTitle,
        ["/summary"] = 240,
        ["/setting"] = 4000,
        ["/tags/*"] = 40,
        ["/persona/name"] = 60,
        ["/persona/role"] = 120,
        ["/persona/brief"] = 2000,
        ["/persona/traits/*"] = 200,
        ["/persona/needs/*"] = 200,
        ["/persona/triggers/*"] = 200,
        ["/persona/calmedBy/*"] = 200,
        ["/persona/knows/*"] = 300,
        ["/persona/goals/*/description"] = 300,
        ["/persona/goals/*/metBy/*"] = 300,
        ["/openingLine"] = 600,
        ["/goals/*"] = 300,
        ["/rubric/*/name"] = 80,
        ["/rubric/*/description"] = 600,
        ["/rubric/*/positiveIndicators/*"] = 300,
        ["/rubric/*/negativeIndicators/*"] = 300,
        ["/exemplars/*/after"] = 600,
        ["/exemplars/*/text"] = 1000,
        ["/exemplars/*/rationale"] = 400,
        ["/replyBank/*/*/*"] = 400,
        ["/replyLines/*"] = 400,
        ["/replyLines/*/text"] = 400,
        ["/replyLines/*/respondsTo/cues/*"] = 80,
        ["/closingLines/*"] = 400,
        ["/redLines/*/name"] = 120,
        ["/redLines/*/description"] = 600,
        ["/redLines/*/examples/*"] = 400,
        ["/redLines/*/nearMisses/*"] = 400,
    };

    public static readonly IReadOnlyDictionary<string, int> Items = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["/tags"] = 10,
        ["/persona/traits"] = 10,
        ["/persona/needs"] = 10,
        ["/persona/triggers"] = 10,
        ["/persona/calmedBy"] = 10,
        ["/persona/knows"] = 12,
        ["/persona/goals"] = 5,
        ["/persona/goals/*/metBy"] = 12,
        ["/goals"] = 5,
        ["/rubric"] = 6,
        ["/rubric/*/positiveIndicators"] = 12,
        ["/rubric/*/negativeIndicators"] = 12,
        ["/exemplars"] = 40,
        ["/replyBank/*/*"] = 12,
        ["/replyLines"] = 100,
        ["/replyLines/*/respondsTo/cues"] = 20,
        ["/closingLines"] = 10,
        ["/redLines"] = 10,
        ["/redLines/*/examples"] = 30,
        ["/redLines/*/nearMisses"] = 30,
    };

    /// <summary>Every field over its limit, by JSON path, with the limit and the length found.</summary>
    public static IEnumerable<ScenarioIssue> Check(JsonElement document) => Walk(document, "", "", depth: 0);

    /// <summary>The string's length; null when it is not valid UTF-16 (a lone surrogate escaped in the JSON).</summary>
    private static int? LengthOf(JsonElement element)
    {
        try
        {
            return element.GetString()!.Length;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static IEnumerable<ScenarioIssue> Walk(JsonElement element, string path, string key, int depth)
    {
        // Deeper than any scenario goes: the schema refuses it; nothing to measure.
        if (depth > 8) yield break;
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                var text = Text.GetValueOrDefault(key, DefaultText);
                if (LengthOf(element) is not { } length)
                {
                    yield return new ScenarioIssue(path, "Holds characters that are not valid text (an unpaired surrogate).");
                }
                else if (length > text)
                {
                    yield return new ScenarioIssue(path, string.Create(CultureInfo.InvariantCulture,
                        $"At most {text:N0} characters (this has {length:N0})."));
                }
                break;
            case JsonValueKind.Array:
                var most = Items.GetValueOrDefault(key, DefaultItems);
                var count = element.GetArrayLength();
                if (count > most) yield return new ScenarioIssue(path, $"At most {most} items (this has {count}).");
                var index = 0;
                foreach (var item in element.EnumerateArray().Take(most))
                {
                    foreach (var issue in Walk(item, $"{path}/{index++}", key + "/*", depth + 1)) yield return issue;
                }
                break;
            case JsonValueKind.Object:
                var byKey = key.StartsWith("/replyBank", StringComparison.Ordinal);
                var properties = 0;
                foreach (var property in element.EnumerateObject())
                {
                    if (++properties > DefaultItems) break;
                    foreach (var issue in Walk(property.Value, $"{path}/{property.Name}", key + "/" + (byKey ? "*" : property.Name), depth + 1))
                    {
                        yield return issue;
                    }
                }
                break;
        }
    }
}
