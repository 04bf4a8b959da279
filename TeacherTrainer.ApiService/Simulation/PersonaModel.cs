using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.ApiService.Scenarios;

namespace TeacherTrainer.ApiService.Simulation;

/// <summary>A persona goal with its example lines embedded.</summary>
public sealed record PersonaGoalModel(PersonaGoal Goal, float[][] MetBy);

/// <param name="BankMove">The move bucket of a line from the move-and-mood bank; null for an authored reply line.</param>
public sealed record PersonaLineModel(ReplyLine Line, string? BankMove, float[]? Vector)
{
    /// <summary>The line says it heard its own words repeated ("Glad you were listening."): read once, not on every turn.</summary>
    public bool NamesTheRepetition { get; } = ReplyBank.NamesARepetition(Line.Text);
}

/// <summary>
/// What the persona brings to a session, ready to use: its goals (authored, or read from the rubric
/// for a scenario that has none yet) with embedded examples, and every line it can say with its embedding.
/// Built once per scenario version.
/// </summary>
public sealed class PersonaModel
{
    public required ScenarioDocument Scenario { get; init; }
    public required IReadOnlyList<PersonaGoalModel> Goals { get; init; }
    public required IReadOnlyList<PersonaLineModel> Lines { get; init; }
    /// <summary>False when the scenario has no goals of its own and they were read from its rubric.</summary>
    public bool GoalsAuthored { get; init; }
    private IReadOnlyDictionary<string, float[]> Vectors { get; init; } = new Dictionary<string, float[]>();

    /// <summary>The persona's first name (with the title, for "Mrs Okafor"), for mood reasons.</summary>
    public string ShortName
    {
        get
        {
            var parts = Scenario.Persona.Name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts.Length > 1 && parts[0].TrimEnd('.') is "Mr" or "Mrs" or "Ms" or "Miss" or "Dr" ? $"{parts[0]} {parts[1]}" : parts[0];
        }
    }

    public float[]? VectorOf(string text) => Vectors.GetValueOrDefault(text);

    public static Task<PersonaModel> BuildAsync(ScenarioDocument scenario, IEmbeddingGenerator<string, Embedding<float>> embeddings, CancellationToken cancellationToken = default)
        => BuildAsync(scenario, async (texts, ct) =>
        {
            var embedded = await embeddings.GenerateAsync(texts, cancellationToken: ct);
            return embedded.Select(e => e.Vector.ToArray()).ToList();
        }, cancellationToken);

    /// <param name="embed">Embeds a batch of texts (the service goes through the judge's cache, which already holds the bank lines).</param>
    public static async Task<PersonaModel> BuildAsync(ScenarioDocument scenario,
        Func<IReadOnlyList<string>, CancellationToken, Task<List<float[]>>> embed, CancellationToken cancellationToken = default)
    {
        var authored = scenario.Persona.Goals.Count > 0;
        var goals = authored ? scenario.Persona.Goals : GoalsFromRubric(scenario);
        var lines = scenario.ReplyLines.Select(l => (Line: l, Move: (string?)null))
            .Concat(scenario.ReplyBank.SelectMany(byMove => byMove.Value.SelectMany(byMood => byMood.Value.Select(text =>
                (Line: LegacyLine(text, byMove.Key, byMood.Key), Move: (string?)byMove.Key)))))
            .ToList();
        var texts = goals.SelectMany(g => g.MetBy).Concat(lines.Select(l => l.Line.Text)).Append(scenario.OpeningLine)
            .Distinct(StringComparer.Ordinal).ToList();
        var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var batch in texts.Chunk(64))
        {
            var embedded = await embed(batch, cancellationToken);
            for (var i = 0; i < batch.Length; i++) vectors[batch[i]] = embedded[i];
        }
        return new PersonaModel
        {
            Scenario = scenario, GoalsAuthored = authored, Vectors = vectors,
            Goals = goals.Select(g => new PersonaGoalModel(g, g.MetBy.Select(m => vectors[m]).ToArray())).ToList(),
            Lines = lines.Select(l => new PersonaLineModel(l.Line, l.Move, vectors[l.Line.Text])).ToList(),
        };
    }

    /// <summary>A scenario without persona goals: each rubric criterion stands for one, met by lines like its positive indicators.</summary>
    private static IReadOnlyList<PersonaGoal> GoalsFromRubric(ScenarioDocument scenario)
        => scenario.Rubric.Select(c => new PersonaGoal { Key = c.Key, Description = c.Description, MetBy = c.PositiveIndicators }).ToList();

    private static readonly Regex QuotedWords = new(@"(?<![A-Za-z])'([^']{3,40})'(?![A-Za-z])", RegexOptions.Compiled);
    private static readonly Regex WordThenWhat = new(@"\b([A-Za-z]{4,}) what\?", RegexOptions.Compiled);
    // "Stressed? Yeah." and "Who's affected? I dunno." take up the teacher's words; "Honestly? I don't get it." and "Really?" take up nothing.
    private static readonly Regex ShortQuestion = new(@"^\s*(?:[A-Za-z]+['’]?[a-z]*\s+)?([A-Za-z]{4,})\?", RegexOptions.Compiled);
    private static readonly HashSet<string> DiscourseMarkers = new(StringComparer.OrdinalIgnoreCase)
    {
        "honestly", "seriously", "really", "real", "sorry", "pardon", "what", "okay", "right", "yeah", "fine", "sure", "well", "huh", "hmm", "again", "now", "today", "why", "who", "where", "when", "how", "that", "this", "then",
    };
    // "I don't want a meeting." and "Another meeting where everyone talks about me." turn down something the teacher must
    // have proposed. ("Another thing to get in trouble for." names nothing the teacher said.)
    private static readonly Regex TurnsDownAThing = new(@"\bI (?:don't|do not|don’t) want (?:a|an|the|your|another) ([A-Za-z]{4,})\b|(?:^|[.!?]\s+)Another (?!thing\b|time\b|day\b|week\b)([A-Za-z]{4,})\b", RegexOptions.Compiled | RegexOptions.IgnoreCase);
    /// <summary>Words that name the kind of move itself ("I don't want a plan.", "Choices? I didn't get a choice."): the move is what they answer, whatever its words.</summary>
    private static bool NamesTheMove(string word) => word is "plan" or "plans" or "choice" or "choices" or "option" or "options" or "menu";

    private static readonly Regex PutsForwardTheirOwn = new(@"^\s*(?:(?:okay|ok|alright|all right|maybe|right|yeah|fine)[.,!]*\s+)?(?:i['’]ll|i will|i could|i can|i['’]d|could i|can i|i might|me and)\b", RegexOptions.Compiled | RegexOptions.IgnoreCase);

    private static readonly Regex AboutLaughing = new(@"\b(laugh\w*|joke|joking|funny|mock\w*)\b", RegexOptions.Compiled | RegexOptions.IgnoreCase);

    /// <summary>
    /// An old bank line, with the presuppositions its own words make explicit: a line that quotes the
    /// teacher ("Don't 'I understand' me"), questions a word ("Conceptual what?", "Stressed? Yeah.") or turns
    /// down a thing ("I don't want a meeting.") answers only a reply that said it; a line about being laughed at answers only sarcasm; "I pick that one" needs a choice,
    /// a reaction to a plan needs a plan.
    /// </summary>
    public static ReplyLine LegacyLine(string text, string move, string mood)
    {
        var cues = QuotedWords.Matches(text).Select(m => m.Groups[1].Value)
            .Concat(WordThenWhat.Matches(text).Select(m => m.Groups[1].Value.ToLowerInvariant()))
            .Concat(ShortQuestion.Matches(text).Select(m => m.Groups[1].Value.ToLowerInvariant()).Concat(TurnsDownAThing.Matches(text).Select(m => (m.Groups[1].Success ? m.Groups[1] : m.Groups[2]).Value.ToLowerInvariant()))
                .Where(w => !DiscourseMarkers.Contains(w) && !NamesTheMove(w)))
            .Where(c => !c.Contains(' ') || c.Split(' ').Length <= 6).ToList();
        IReadOnlyList<string> moves = AboutLaughing.IsMatch(text) && move != Moves.Sarcasm ? [Moves.Sarcasm] : [];
        IReadOnlyList<string> requires = move switch
        {
            // "Neither." and "I don't want either." turn down a choice as surely as "I pick that one" takes one.
            Moves.OfferChoice => [ConversationFacts.ChoiceOffered],
            // A plan of their own ("Okay. I'll stop, I'll tell the lads...") answers a question that asks for one as well as a proposal.
            Moves.PlanTogether when mood != Moods.Escalated && PutsForwardTheirOwn.IsMatch(text) => [ConversationFacts.PlanInvited],
            Moves.PlanTogether when mood != Moods.Escalated => [ConversationFacts.PlanProposed],
            _ => [],
        };
        return new ReplyLine { Text = text, Mood = mood, RespondsTo = new ReplyTrigger { Cues = cues, Moves = moves, Requires = requires } };
    }
}

/// <summary>Persona models by scenario version: a version never changes, so its embeddings are computed once.</summary>
public sealed class PersonaModelCache(ReplyEncoder encoder)
{
    private readonly ConcurrentDictionary<Guid, Lazy<Task<PersonaModel>>> _models = new();

    public async Task<PersonaModel> GetAsync(Guid scenarioVersionId, ScenarioDocument scenario, CancellationToken cancellationToken)
    {
        var lazy = _models.GetOrAdd(scenarioVersionId, _ => new Lazy<Task<PersonaModel>>(() => PersonaModel.BuildAsync(scenario, EmbedAsync)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            _models.TryRemove(scenarioVersionId, out _);
            throw;
        }
    }

    private async Task<List<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        await encoder.WarmAsync(texts, cancellationToken);
        var vectors = new List<float[]>(texts.Count);
        foreach (var text in texts) vectors.Add(await encoder.EncodeTextAsync(text, cancellationToken));
        return vectors;
    }
}
