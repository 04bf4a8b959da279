using System.Globalization;
using System.Text.Json.Nodes;

namespace TeacherTrainer.Web.Components.Pages.Teach.ScenarioEditor;

/// <summary>
/// Reading and writing the parts of a scenario document the section editors bind to. The editors
/// change the <see cref="ScenarioDraft.Document"/> in place, so the JSON tab always shows what the
/// form holds and fields the form does not know survive a round trip.
/// </summary>
public static class DraftJson
{
    public static string Str(JsonObject node, string name)
        => node[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";

    /// <summary>Sets a text; an empty optional text is removed rather than stored empty.</summary>
    public static void Set(JsonObject node, string name, string? value, bool optional = false)
    {
        if (optional && string.IsNullOrWhiteSpace(value)) node.Remove(name);
        else node[name] = value ?? "";
    }

    public static int Int(JsonObject node, string name, int fallback = 0)
        => node[name] is JsonValue value && value.TryGetValue<int>(out var n) ? n
            : node[name] is JsonValue d && d.TryGetValue<double>(out var x) ? (int)x : fallback;

    public static double Double(JsonObject node, string name)
        => node[name] is JsonValue value && value.TryGetValue<double>(out var n) ? n : 0;

    public static string DoubleText(JsonObject node, string name) => Double(node, name).ToString("0.###", CultureInfo.InvariantCulture);

    public static void SetDouble(JsonObject node, string name, string? text)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) node[name] = value;
    }

    public static void SetInt(JsonObject node, string name, string? text)
    {
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)) node[name] = value;
    }

    public static IEnumerable<string> Strings(JsonObject node, string name)
        => node[name] is JsonArray array ? array.Select(i => i is JsonValue v && v.TryGetValue<string>(out var s) ? s : "") : [];

    /// <summary>A list of texts as one line each.</summary>
    public static string Lines(JsonObject node, string name) => string.Join("\n", Strings(node, name));

    public static void SetLines(JsonObject node, string name, string? value, bool optional = false) => SetList(node, name, (value ?? "").Split('\n'), optional);

    /// <summary>A list of short words (moves, cues, keys) separated by commas.</summary>
    public static string Commas(JsonObject node, string name) => string.Join(", ", Strings(node, name));

    public static void SetCommas(JsonObject node, string name, string? value, bool optional = true) => SetList(node, name, (value ?? "").Split(','), optional);

    private static void SetList(JsonObject node, string name, IEnumerable<string> items, bool optional)
    {
        var list = items.Select(i => i.Trim()).Where(i => i.Length > 0).ToList();
        if (optional && list.Count == 0) node.Remove(name);
        else node[name] = new JsonArray([.. list.Select(i => (JsonNode)JsonValue.Create(i))]);
    }

    /// <summary>The objects of an array property (created empty when missing).</summary>
    public static IReadOnlyList<JsonObject> Objects(JsonObject node, string name) => Array(node, name).OfType<JsonObject>().ToList();

    public static JsonArray Array(JsonObject node, string name)
        => node[name] as JsonArray ?? (JsonArray)(node[name] = new JsonArray());

    public static JsonObject Object(JsonObject node, string name)
        => node[name] as JsonObject ?? (JsonObject)(node[name] = new JsonObject());
}
