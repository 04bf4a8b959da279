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
    /// <summary>Persona lines that answer particular words, offers or goals (chosen before the move-and-mood bank).</summary>
    public IReadOnlyList<ReplyLine> ReplyLines { get; init; } = [];
    /// <summary>What a teacher must never say in this scenario; a reply that does is capped, and told why.</summary>
    public IReadOnlyList<RedLine> RedLines { get; init; } = [];

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };
}

/// <summary>
/// A persona line and what it answers. Authored as an object, or as a plain string (a line that
/// answers anything: the old reply-bank form still reads).
/// </summary>
[JsonConverter(typeof(ReplyLineConverter))]
public sealed record ReplyLine
{
    public required string Text { get; init; }
    public ReplyTrigger RespondsTo { get; init; } = new();
    /// <summary>The mood the line belongs to; any mood when null.</summary>
    public string? Mood { get; init; }
}

/// <summary>What a line answers: all given conditions must hold (moves: the reply's move is one of them; cues: one is in its words).</summary>
public sealed record ReplyTrigger
{
    public IReadOnlyList<string> Moves { get; init; } = [];
    /// <summary>Words or phrases in the trainee's last reply, any one of which the line answers.</summary>
    public IReadOnlyList<string> Cues { get; init; } = [];
    /// <summary>A persona goal the reply has just met.</summary>
    public string? Goal { get; init; }
    /// <summary>What must have been said in the conversation first, e.g. <c>choice-offered</c>, <c>plan-proposed</c>, <c>apology</c>.</summary>
    public IReadOnlyList<string> Requires { get; init; } = [];
    /// <summary>
    /// The parts of a plan the line says back, each of which the trainee must have said somewhere in the session (a part's
    /// other wordings after "|"): a farewell that recaps "Timer, and get a grown-up" waits for a timer and a grown-up.
    /// </summary>
    public IReadOnlyList<string> Said { get; init; } = [];
    /// <summary>
    /// Lines of the persona's own, one of which must have been said first: a line that presupposes what the persona has not yet
    /// told ("It's not every day." before she has said what "it" is) waits for the line that tells it.
    /// </summary>
    public IReadOnlyList<string> After { get; init; } = [];
}

public sealed class ReplyLineConverter : JsonConverter<ReplyLine>
{
    public override ReplyLine? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String) return new ReplyLine { Text = reader.GetString()! };
        var shape = JsonSerializer.Deserialize<ReplyLineShape>(ref reader, options) ?? throw new JsonException("A reply line is empty.");
        return new ReplyLine { Text = shape.Text, RespondsTo = shape.RespondsTo ?? new ReplyTrigger(), Mood = shape.Mood };
    }

    public override void Write(Utf8JsonWriter writer, ReplyLine value, JsonSerializerOptions options)
        => JsonSerializer.Serialize(writer, new ReplyLineShape(value.Text, value.RespondsTo, value.Mood), options);

    private sealed record ReplyLineShape(string Text, ReplyTrigger? RespondsTo, string? Mood);
}

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
    /// <summary>The rubric criteria the reply illustrates; every criterion when empty.</summary>
    public IReadOnlyList<string> Criteria { get; init; } = [];
}
