using System.Text.Json;
using System.Text.RegularExpressions;
using TeacherTrainer.Web.Services.Api;

namespace TeacherTrainer.Web.Components.Pages.Teach.Collections;

/// <summary>What an exemplar-collection file holds, and what is wrong with it.</summary>
public sealed record CollectionFileContent(string? Description, IReadOnlyList<CollectionItemRequest> Items, IReadOnlyList<string> Problems)
{
    public int Experts => Items.Count(i => i.Quality == "expert");
    public int Novices => Items.Count(i => i.Quality == "novice");
}

/// <summary>
/// Reads an exemplar collection from a file: JSON (<c>{description, items: [...]}</c> or a bare
/// array of items) or JSON Lines (one item per line). Each item is
/// <c>{context: [{speaker, text}], response, quality}</c>, checked here against the API's rules so
/// mistakes are reported by item and line before anything is sent.
/// </summary>
public static partial class CollectionFile
{
    public const int MaxItems = 5000;
    public const int MaxContextTurns = 20;
    public const int MaxText = 2000;
    private const int MaxProblems = 20;
    private static readonly HashSet<string> Speakers = ["student", "parent", "teacher", "colleague"];
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,99}$")]
    public static partial Regex NamePattern();

    public static CollectionFileContent Parse(string text, string fileName)
    {
        var problems = new List<string>();
        var items = new List<CollectionItemRequest>();
        string? description = null;
        var trimmed = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        var jsonLines = fileName.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase);
        if (!jsonLines && (trimmed.StartsWith('{') || trimmed.StartsWith('[')))
        {
            try
            {
                using var document = JsonDocument.Parse(trimmed, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
                var root = document.RootElement;
                var array = root;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    if (root.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String) description = d.GetString();
                    if (!root.TryGetProperty("items", out array) || array.ValueKind != JsonValueKind.Array)
                    {
                        return new(description, [], ["The file is a JSON object without an \"items\" array."]);
                    }
                }
                var number = 0;
                foreach (var element in array.EnumerateArray())
                {
                    number++;
                    Add(element, $"Item {number}", items, problems);
                }
            }
            catch (JsonException ex)
            {
                return new(null, [], [$"The file is not valid JSON: {ex.Message}"]);
            }
        }
        else
        {
            var lines = text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i].Trim().TrimStart('\uFEFF');
                if (line.Length == 0) continue;
                try
                {
                    using var document = JsonDocument.Parse(line);
                    Add(document.RootElement, $"Line {i + 1}", items, problems);
                }
                catch (JsonException ex)
                {
                    problems.Add($"Line {i + 1}: not valid JSON ({ex.Message}).");
                }
            }
        }
        if (items.Count == 0 && problems.Count == 0) problems.Add("The file holds no items.");
        if (items.Count > MaxItems) problems.Add($"The file holds {items.Count} items; a collection holds at most {MaxItems}.");
        return new(description, items, problems.Count > MaxProblems ? [.. problems.Take(MaxProblems), $"…and {problems.Count - MaxProblems} more."] : problems);
    }

    private static void Add(JsonElement element, string where, List<CollectionItemRequest> items, List<string> problems)
    {
        CollectionItemRequest? item;
        try
        {
            item = element.ValueKind == JsonValueKind.Object ? element.Deserialize<CollectionItemRequest>(Json) : null;
        }
        catch (JsonException)
        {
            item = null;
        }
        if (item is null)
        {
            problems.Add($"{where}: expected an object with context, response and quality.");
            return;
        }
        var before = problems.Count;
        if (item.Context is not { Count: > 0 }) problems.Add($"{where}: context needs at least one turn ({{\"speaker\": \"student\", \"text\": \"...\"}}).");
        else if (item.Context.Count > MaxContextTurns) problems.Add($"{where}: context has {item.Context.Count} turns; at most {MaxContextTurns}.");
        else
        {
            foreach (var turn in item.Context)
            {
                if (turn is null || !Speakers.Contains(turn.Speaker ?? ""))
                {
                    problems.Add($"{where}: each context turn's speaker must be student, parent, teacher or colleague.");
                    break;
                }
                if (string.IsNullOrWhiteSpace(turn.Text) || turn.Text.Length > MaxText)
                {
                    problems.Add($"{where}: each context turn needs text (at most {MaxText} characters).");
                    break;
                }
            }
        }
        if (string.IsNullOrWhiteSpace(item.Response) || item.Response.Length > MaxText) problems.Add($"{where}: response is missing or longer than {MaxText} characters.");
        if (item.Quality is not ("expert" or "novice")) problems.Add($"{where}: quality must be \"expert\" or \"novice\".");
        if (problems.Count == before) items.Add(item);
    }
}
