using System.Text.Json;
using TeacherTrainer.ApiService.Scenarios;

namespace TeacherTrainer.ApiService.Simulation;

/// <summary>The kinds of trainee move the persona reacts to (Content/moves.json).</summary>
public static class Moves
{
    public const string ValidateFeelings = "validate-feelings";
    public const string OpenQuestion = "open-question";
    public const string Revoice = "revoice";
    public const string SetLimit = "set-limit";
    public const string OfferChoice = "offer-choice";
    public const string Explain = "explain";
    public const string SpecificPraise = "specific-praise";
    public const string PlanTogether = "plan-together";
    public const string Threat = "threat";
    public const string Sarcasm = "sarcasm";
    public const string Dismissal = "dismissal";
    /// <summary>Acknowledgements, thanks, agreement or plain information that make none of the other moves: a normal reading, not a failure.</summary>
    public const string Neutral = "neutral";

    public static readonly string[] All =
        [ValidateFeelings, OpenQuestion, Revoice, SetLimit, OfferChoice, Explain, SpecificPraise, PlanTogether, Threat, Sarcasm, Dismissal, Neutral];

    public static bool IsHarmful(string move) => move is Threat or Sarcasm or Dismissal;
}

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
        Moves = Simulation.Moves.All.Select(key => document.Moves.SingleOrDefault(m => m.Key == key)
            ?? throw new InvalidDataException($"{path} lacks the move {key}")).ToList();
        _byKey = Moves.ToDictionary(m => m.Key);
    }

    public MoveDefinition this[string key] => _byKey[key];

    /// <summary>The move's display name; the key itself for a move this catalog does not know (old or imported data).</summary>
    public string NameOf(string key) => _byKey.TryGetValue(key, out var move) ? move.Name : key;
}
