using System.Text.Json;
using System.Text.Json.Serialization;

namespace TeacherTrainer.ApiService.Scenarios;

/// <summary>
/// A scenario as authored: the shape of <c>Content/scenario.schema.json</c>. Stored whole (jsonb) on
/// every <see cref="Data.ScenarioVersion"/>, so a session is always judged against the exact
/// content it was held with.
/// </summary>
public sealed record ScenarioDocument
{
    public required string Slug { get; init; }
    public required string Title { get; init; }
    public required string Category { get; init; }
    public required string GradeBand { get; init; }
    public required string Difficulty { get; init; }
    public required string Summary { get; init; }
    public required string Setting { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public required Persona Persona { get; init; }
    public required string OpeningLine { get; init; }
    public required IReadOnlyList<string> Goals { get; init; }
    public int TurnLimit { get; init; } = 8;
    public required PersonaStateValues InitialState { get; init; }
    public required IReadOnlyList<RubricCriterion> Rubric { get; init; }
    public required IReadOnlyList<ScenarioExemplar> Exemplars { get; init; }
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> ReplyBank { get; init; }
    public required IReadOnlyList<string> ClosingLines { get; init; }
    /// <summary>What a teacher must never say in this scenario; a reply that does is capped, and told why.</summary>
    public IReadOnlyList<RedLine> RedLines { get; init; } = [];

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };
}

public sealed record Persona
{
    public required string Name { get; init; }
    public int Age { get; init; }
    public required string Role { get; init; }
    /// <summary><c>student</c>, <c>parent</c> or <c>colleague</c>: the speaker label of the persona's turns.</summary>
    public required string Speaker { get; init; }
    public IReadOnlyList<string> Traits { get; init; } = [];
    public IReadOnlyList<string> Needs { get; init; } = [];
    public IReadOnlyList<string> Triggers { get; init; } = [];
    public IReadOnlyList<string> CalmedBy { get; init; } = [];
}

public sealed record PersonaStateValues(double Escalation, double Trust, double Engagement);

public sealed record RubricCriterion
{
    public required string Key { get; init; }
    public required string Name { get; init; }
    public required string Description { get; init; }
    public IReadOnlyList<string> PositiveIndicators { get; init; } = [];
    public IReadOnlyList<string> NegativeIndicators { get; init; } = [];
    public IReadOnlyList<string> HelpfulMoves { get; init; } = [];
    public IReadOnlyList<string> HarmfulMoves { get; init; } = [];
    public double Weight { get; init; }
    /// <summary>The trainee turn (1-based) from which the criterion is due: a plan is not expected in the first reply.</summary>
    public int DueFromTurn { get; init; } = 1;
}

/// <summary>
/// Something a teacher must never say in a scenario (promising secrecy after a disclosure, mocking a
/// child). Recognised by meaning against <see cref="Examples"/>, kept apart from <see cref="NearMisses"/>
/// (replies on the same topic that do not cross it); a breaching reply scores at most <see cref="Cap"/>.
/// </summary>
public sealed record RedLine
{
    public required string Key { get; init; }
    /// <summary>What the breach is, as a trainee reads it ("Promising to keep a disclosure secret").</summary>
    public required string Name { get; init; }
    /// <summary>Why it matters, in plain language: shown to a trainee whose reply crossed it.</summary>
    public required string Description { get; init; }
    public required IReadOnlyList<string> Examples { get; init; }
    public IReadOnlyList<string> NearMisses { get; init; } = [];
    /// <summary>The highest overall score a reply that crosses the line can get.</summary>
    public int Cap { get; init; } = 25;
    /// <summary>Rubric criteria the breach concerns (capped too).</summary>
    public IReadOnlyList<string> Criteria { get; init; } = [];
}

public sealed record ScenarioExemplar
{
    /// <summary>The persona line the exemplar answers; the opening line when null.</summary>
    public string? After { get; init; }
    public required string Text { get; init; }
    public int Rating { get; init; }
    public required string Rationale { get; init; }
}
