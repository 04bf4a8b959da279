using System.Text.Json;
using TeacherTrainer.ApiService.Scenarios;

namespace TeacherTrainer.ApiService.Evaluation;

public sealed record MoveDefinition(string Key, string Name, string Description, string Valence, IReadOnlyList<string> Examples);

public sealed record MoveCatalogDocument(IReadOnlyList<MoveDefinition> Moves);

/// <summary>The move definitions and labelled examples, loaded once from the content file.</summary>
public sealed class MoveCatalog
{
    public IReadOnlyList<MoveDefinition> Moves { get; }
    private readonly Dictionary<string, MoveDefinition> _byKey;

    public MoveCatalog() : this(Path.Combine(AppContext.BaseDirectory, "Content", "moves.json")) { }

    public MoveCatalog(string path)
    {
        var document = JsonSerializer.Deserialize<MoveCatalogDocument>(File.ReadAllText(path), ScenarioDocument.JsonOptions)
            ?? throw new InvalidDataException($"{path} is empty");
        Moves = Scenarios.Moves.All.Select(key => document.Moves.SingleOrDefault(m => m.Key == key)
            ?? throw new InvalidDataException($"{path} lacks the move {key}")).ToList();
        _byKey = Moves.ToDictionary(m => m.Key);
    }

    public MoveDefinition this[string key] => _byKey[key];

    /// <summary>The move's display name; the key itself for a move this catalog does not know (old or imported data).</summary>
    public string NameOf(string key) => _byKey.TryGetValue(key, out var move) ? move.Name : key;
}
