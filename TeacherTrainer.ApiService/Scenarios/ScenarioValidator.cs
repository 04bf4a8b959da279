using System.Text.Json;
using Json.Schema;
using TeacherTrainer.ApiService.Simulation;

namespace TeacherTrainer.ApiService.Scenarios;

/// <summary>
/// Checks a scenario document against Content/scenario.schema.json and the rules a schema cannot
/// express: rubric weights sum to 1, rated exemplars of each quality, unique keys, no repeated
/// reply-bank lines. Used by the seeder's tests (every content file) and by scenario authoring.
/// </summary>
public sealed partial class ScenarioValidator
{
    public const int MinStrongExemplars = 3;
    public const int MinAcceptableExemplars = 2;
    public const int MinPoorExemplars = 3;
    public const int MaxTitle = ScenarioFieldLimits.MaxTitle;

    private readonly JsonSchema _schema;

    public ScenarioValidator() : this(Path.Combine(AppContext.BaseDirectory, "Content", "scenario.schema.json")) { }

    public ScenarioValidator(string schemaPath)
    {
        // JsonSchema.Net registers a schema globally by its $id: build each file once per process.
        _schema = Schemas.GetOrAdd(Path.GetFullPath(schemaPath), path => JsonSchema.FromText(File.ReadAllText(path)));
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, JsonSchema> Schemas = new();

    /// <summary>
    /// Validates raw JSON; when it has no errors, also returns the document (with any consistency
    /// warnings among the issues). <paramref name="earlier"/>: earlier versions of the same scenario,
    /// whose persona the text may still describe after a rename.
    /// </summary>
    public (ScenarioDocument? Document, IReadOnlyList<ScenarioIssue> Issues) Validate(string json, IEnumerable<ScenarioDocument>? earlier = null)
    {
        JsonElement element;
        try
        {
            using var parsed = JsonDocument.Parse(json);
            element = parsed.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return (null, [new ScenarioIssue("", $"Not valid JSON: {ex.Message}")]);
        }
        // Scenario text reaches a language model (the persona's prompt) and every trainee's screen:
        // every field has a length limit, checked first so an oversized field is named whatever else is wrong.
        var issues = ScenarioLimits.Check(element).ToList();
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("slug", out var slugValue)
            && slugValue.ValueKind == JsonValueKind.String && slugValue.GetString() == ScenarioAuthoringApi.ReservedSlug)
        {
            issues.Add(new ScenarioIssue("/slug", $"'{ScenarioAuthoringApi.ReservedSlug}' is reserved; choose another slug."));
        }
        var result = _schema.Evaluate(element, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!result.IsValid)
        {
            // Errors inside a 'not' are what must NOT hold; they are not the user's problem.
            var details = (result.Details ?? []).Where(d => !d.EvaluationPath.ToString().Contains("/not", StringComparison.Ordinal)).ToList();
            foreach (var detail in details.Where(d => d.Errors is { Count: > 0 } && !IsAnotherShapesComplaint(d, details)))
            {
                foreach (var (_, message) in detail.Errors!)
                {
                    issues.Add(new ScenarioIssue(detail.InstanceLocation.ToString(), message));
                }
            }
            return (null, issues.DistinctBy(i => (i.Path, i.Message)).Take(50).ToList());
        }
        if (issues.Count > 0) return (null, issues.Take(50).ToList());
        var document = element.Deserialize<ScenarioDocument>(ScenarioDocument.JsonOptions)!;
        issues.AddRange(CheckRules(document));
        if (issues.Count > 0) return (null, issues);
        issues.AddRange(ScenarioConsistency.Check(document, earlier).DistinctBy(i => (i.Path, i.Message)).Take(50));
        return (document, issues);
    }

    /// <summary>
    /// Whether an error comes from a shape the value was never meant to have. A reply line is a string or an object
    /// (<c>oneOf</c>): the string branch says "Value is "object" but should be "string"" of every object line, and the list
    /// output reports it whenever anything else in the scenario is wrong, beside every line. A branch's error is kept only
    /// when its choice failed and no other branch of that choice is of the value's type; a value of neither shape (a
    /// number) is told every shape it may have.
    /// </summary>
    private static bool IsAnotherShapesComplaint(EvaluationResults detail, IReadOnlyList<EvaluationResults> details)
    {
        var path = detail.EvaluationPath.ToString();
        var branch = BranchOf().Match(path);
        if (!branch.Success) return false;
        var choice = path[..branch.Index];
        // The value the choice was about: the detail's own, or one that holds it (a branch's error may be deep inside).
        var instance = detail.InstanceLocation.ToString();
        var choiceNode = details.Where(d => d.EvaluationPath.ToString() == choice && (instance + "/").StartsWith(d.InstanceLocation + "/", StringComparison.Ordinal))
            .MaxBy(d => d.InstanceLocation.ToString().Length);
        // The choice held (the value has a shape that fits): no branch's complaint is the author's.
        if (choiceNode is not { IsValid: false }) return true;
        var atValue = details.Where(d => d.InstanceLocation.ToString() == choiceNode.InstanceLocation.ToString()).ToList();
        var branchRoots = atValue.Where(d => d.EvaluationPath.ToString() is var p && p.StartsWith(choice, StringComparison.Ordinal) && BranchOf().Match(p) is { Success: true } m
            && m.Index == choice.Length && m.Length == p.Length - choice.Length).ToList();
        static bool WrongType(EvaluationResults root) => root.Errors?.ContainsKey("type") == true;
        var own = branchRoots.FirstOrDefault(r => r.EvaluationPath.ToString() == choice + branch.Value);
        return own is not null && WrongType(own) && branchRoots.Any(r => !WrongType(r));
    }

    /// <summary>"/oneOf/1" or "/anyOf/0": the branch of a choice, with the choice's keyword in group 1.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"(/(?:oneOf|anyOf))/\d+")]
    private static partial System.Text.RegularExpressions.Regex BranchOf();

    public static IEnumerable<ScenarioIssue> CheckRules(ScenarioDocument d)
    {
        var weights = d.Rubric.Sum(c => c.Weight);
        if (Math.Abs(weights - 1) > 0.01) yield return new("/rubric", $"The criteria's weights must add up to 1 (they add up to {weights:0.###}).");
        foreach (var key in d.Rubric.GroupBy(c => c.Key).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            yield return new("/rubric", $"The criterion key '{key}' is used more than once.");
        }
        var strong = d.Exemplars.Count(e => e.Rating >= 4);
        var acceptable = d.Exemplars.Count(e => e.Rating == 3);
        var poor = d.Exemplars.Count(e => e.Rating <= 2);
        if (strong < MinStrongExemplars || acceptable < MinAcceptableExemplars || poor < MinPoorExemplars)
        {
            yield return new("/exemplars", $"Give at least {MinStrongExemplars} strong (4-5), {MinAcceptableExemplars} acceptable (3) and {MinPoorExemplars} poor (1-2) exemplars; there are {strong}, {acceptable} and {poor}.");
        }
        var lines = LinesOf(d).ToList();
        foreach (var repeated in lines.GroupBy(l => l).Where(g => g.Count() > 1).Select(g => g.Key).Take(5))
        {
            yield return new("/replyBank", $"The line \"{repeated}\" appears more than once.");
        }
        foreach (var issue in CheckPersonaGoals(d)) yield return issue;
        foreach (var criterion in d.Rubric)
        {
            foreach (var move in criterion.HelpfulMoves.Concat(criterion.HarmfulMoves).Where(m => !Moves.All.Contains(m)))
            {
                yield return new($"/rubric/{criterion.Key}", $"'{move}' is not a move.");
            }
            if (criterion.DueFromTurn < 1 || criterion.DueFromTurn > d.TurnLimit)
            {
                yield return new($"/rubric/{criterion.Key}", $"dueFromTurn must be between 1 and the turn limit ({d.TurnLimit}).");
            }
        }
        foreach (var issue in CheckRedLines(d)) yield return issue;
    }

    public const int MaxRedLineCap = 60;

    private static IEnumerable<ScenarioIssue> CheckRedLines(ScenarioDocument d)
    {
        foreach (var key in d.RedLines.GroupBy(r => r.Key).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            yield return new("/redLines", $"The red line key '{key}' is used more than once.");
        }
        var criteria = d.Rubric.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var red in d.RedLines)
        {
            if (red.Examples.Count == 0) yield return new($"/redLines/{red.Key}", "Give at least one example of a reply that crosses the red line.");
            if (red.Cap is < 0 or > MaxRedLineCap) yield return new($"/redLines/{red.Key}", $"The cap must be between 0 and {MaxRedLineCap} (it is {red.Cap}).");
            foreach (var unknown in red.Criteria.Where(c => !criteria.Contains(c)))
            {
                yield return new($"/redLines/{red.Key}", $"'{unknown}' is not a criterion of this scenario's rubric.");
            }
        }
    }

    /// <summary>The persona's goals and the reply lines that point at them refer to things that exist.</summary>
    /// <summary>Every line the persona may say: the reply bank's and the reply lines'.</summary>
    private static IEnumerable<string> LinesOf(ScenarioDocument d)
        => d.ReplyBank.Values.SelectMany(byMood => byMood.Values).SelectMany(l => l).Concat(d.ReplyLines.Select(l => l.Text));

    private static IEnumerable<ScenarioIssue> CheckPersonaGoals(ScenarioDocument d)
    {
        var keys = d.Persona.Goals.Select(g => g.Key).ToList();
        foreach (var key in keys.GroupBy(k => k).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            yield return new("/persona/goals", $"The goal key '{key}' is used more than once.");
        }
        foreach (var goal in d.Persona.Goals)
        {
            foreach (var missing in goal.Requires.Where(r => !keys.Contains(r) || r == goal.Key))
            {
                yield return new($"/persona/goals/{goal.Key}", $"'{missing}' is not another goal of this persona.");
            }
        }
        var lines = LinesOf(d).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < d.ReplyLines.Count; i++)
        {
            var trigger = d.ReplyLines[i].RespondsTo;
            if (trigger.Goal is { } goal && !keys.Contains(goal)) yield return new($"/replyLines/{i}", $"'{goal}' is not a goal of this persona.");
            foreach (var move in trigger.Moves.Where(m => !Moves.All.Contains(m))) yield return new($"/replyLines/{i}", $"'{move}' is not a move.");
            foreach (var earlier in trigger.After.Where(t => t == d.ReplyLines[i].Text || !lines.Contains(t)))
            {
                yield return new($"/replyLines/{i}", $"'{earlier}' is not another line of this persona, so this line would never be said.");
            }
        }
    }
}
