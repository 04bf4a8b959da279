using System.Text.Json;
using System.Text.Json.Nodes;

namespace TeacherTrainer.Web.Components.Pages.Teach.ScenarioEditor;

/// <summary>
/// A scenario document being edited: the whole JSON (rubric, exemplars, reply bank and all), with
/// the common fields exposed for the form. Fields the form does not know are kept as they are.
/// </summary>
public sealed class ScenarioDraft
{
    public ScenarioDraft(JsonObject document)
    {
        Document = document;
        // A reply line may be authored as a plain string (answers anything); the form edits objects.
        if (document["replyLines"] is JsonArray lines)
        {
            for (var i = 0; i < lines.Count; i++)
            {
                if (lines[i] is JsonValue value && value.TryGetValue<string>(out var text)) lines[i] = new JsonObject { ["text"] = text };
            }
        }
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public JsonObject Document { get; }

    /// <summary>The shape of a scenario with every field empty: it will not validate until filled in.</summary>
    public static ScenarioDraft Blank() => new(new JsonObject
    {
        ["slug"] = "", ["title"] = "", ["category"] = "classroom-disruption", ["gradeBand"] = "middle-school", ["difficulty"] = "intermediate",
        ["summary"] = "", ["setting"] = "", ["tags"] = new JsonArray(),
        ["persona"] = new JsonObject
        {
            ["name"] = "", ["age"] = 13, ["role"] = "", ["speaker"] = "student",
            ["traits"] = new JsonArray(), ["needs"] = new JsonArray(), ["triggers"] = new JsonArray(), ["calmedBy"] = new JsonArray(),
        },
        ["openingLine"] = "", ["goals"] = new JsonArray(), ["turnLimit"] = 8,
        ["initialState"] = new JsonObject { ["escalation"] = 0.5, ["trust"] = 0.4, ["engagement"] = 0.5 },
        ["rubric"] = new JsonArray(), ["exemplars"] = new JsonArray(), ["replyBank"] = new JsonObject(), ["closingLines"] = new JsonArray(),
    });

    /// <summary>A new scenario made from an existing one: everything copied but its slug and title.</summary>
    public static ScenarioDraft CopyOf(JsonObject existing)
    {
        var copy = (JsonObject)existing.DeepClone();
        copy["slug"] = existing["slug"]?.GetValue<string>() + "-copy";
        copy["title"] = "Copy of " + existing["title"]?.GetValue<string>();
        return new ScenarioDraft(copy);
    }

    /// <returns>Null when the text is not a JSON object; <paramref name="error"/> says why.</returns>
    public static ScenarioDraft? Parse(string json, out string? error)
    {
        error = null;
        try
        {
            if (JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) is JsonObject document)
            {
                return new ScenarioDraft(document);
            }
            error = "The file holds JSON, but not a scenario object ({ ... }).";
        }
        catch (JsonException ex)
        {
            error = $"Not valid JSON: {ex.Message}";
        }
        return null;
    }

    public string ToJson() => Document.ToJsonString(Indented);

    public string Slug { get => Text("slug"); set => Document["slug"] = value.Trim(); }
    public string Title { get => Text("title"); set => Document["title"] = value; }
    public string Category { get => Text("category"); set => Document["category"] = value; }
    public string GradeBand { get => Text("gradeBand"); set => Document["gradeBand"] = value; }
    public string Difficulty { get => Text("difficulty"); set => Document["difficulty"] = value; }
    public string Summary { get => Text("summary"); set => Document["summary"] = value; }
    public string Setting { get => Text("setting"); set => Document["setting"] = value; }
    public string OpeningLine { get => Text("openingLine"); set => Document["openingLine"] = value; }
    public int TurnLimit { get => Number(Document, "turnLimit"); set => Document["turnLimit"] = value; }

    public string PersonaName { get => Text(Persona, "name"); set => Persona["name"] = value; }
    public int PersonaAge { get => Number(Persona, "age"); set => Persona["age"] = value; }
    public string PersonaRole { get => Text(Persona, "role"); set => Persona["role"] = value; }
    public string PersonaSpeaker { get => Text(Persona, "speaker"); set => Persona["speaker"] = value; }

    /// <summary>The goals, one per line.</summary>
    public string Goals { get => Lines(Document, "goals"); set => Document["goals"] = ToArray(value.Split('\n')); }

    /// <summary>The persona's traits, one per line.</summary>
    public string PersonaTraits { get => Lines(Persona, "traits"); set => Persona["traits"] = ToArray(value.Split('\n')); }

    /// <summary>Tags, separated by commas.</summary>
    public string Tags
    {
        get => string.Join(", ", Strings(Document, "tags"));
        set => Document["tags"] = ToArray(value.Split(','));
    }

    private JsonObject Persona => Document["persona"] as JsonObject ?? (JsonObject)(Document["persona"] = new JsonObject());

    private string Text(string name) => Text(Document, name);

    private static string Text(JsonObject node, string name)
        => node[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";

    private static int Number(JsonObject node, string name)
        => node[name] is JsonValue value && value.TryGetValue<int>(out var number) ? number : 0;

    private static IEnumerable<string> Strings(JsonObject node, string name)
        => node[name] is JsonArray array ? array.Select(i => i is JsonValue v && v.TryGetValue<string>(out var s) ? s : "") : [];

    private static string Lines(JsonObject node, string name) => string.Join("\n", Strings(node, name));

    private static JsonArray ToArray(IEnumerable<string> items)
        => new([.. items.Select(i => i.Trim()).Where(i => i.Length > 0).Select(i => (JsonNode)JsonValue.Create(i))]);
}
