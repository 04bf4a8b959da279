using System.Text.Json.Nodes;
using TeacherTrainer.Web.Services.Api;

namespace TeacherTrainer.Web.Components.Pages.Teach.ScenarioEditor;

/// <summary>
/// The API's problems with a scenario, by the form field they belong to. The validator names places by
/// JSON path, sometimes by key (/rubric/listening); paths are turned into indexes (/rubric/0) so each
/// editor finds the problems of its own fields.
/// </summary>
public sealed class IssueList(IReadOnlyList<ScenarioIssue> issues, JsonObject document)
{
    public static readonly IssueList None = new([], new JsonObject());

    public IReadOnlyList<(string Path, ScenarioIssue Issue)> All { get; } = issues.Select(i => (Normalize(i.Path, document), i)).ToList();

    /// <summary>Problems of exactly this field.</summary>
    public IEnumerable<ScenarioIssue> At(string path) => All.Where(i => i.Path == path).Select(i => i.Issue);

    /// <summary>Problems of this field and everything inside it.</summary>
    public IEnumerable<ScenarioIssue> Under(string path) => All.Where(i => i.Path == path || i.Path.StartsWith(path + "/", StringComparison.Ordinal)).Select(i => i.Issue);

    public bool Has(string path) => All.Any(i => i.Path == path);

    public string Invalid(string path) => Has(path) ? "is-invalid" : "";

    private static string Normalize(string path, JsonObject document)
    {
        var parts = path.Split('/');
        for (var i = 1; i + 1 < parts.Length; i++)
        {
            if (int.TryParse(parts[i + 1], out _)) continue;
            var array = Resolve(document, parts[1..(i + 1)]) as JsonArray;
            if (array is null) continue;
            var index = array.Select((item, n) => (item, n)).FirstOrDefault(x => x.item is JsonObject o && o["key"]?.GetValue<string>() == parts[i + 1], (null!, -1)).n;
            if (index >= 0) parts[i + 1] = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return string.Join('/', parts);
    }

    private static JsonNode? Resolve(JsonNode? node, IEnumerable<string> parts)
    {
        foreach (var part in parts)
        {
            node = node switch
            {
                JsonObject o => o[part],
                JsonArray a when int.TryParse(part, out var n) && n < a.Count => a[n],
                _ => null,
            };
        }
        return node;
    }
}
