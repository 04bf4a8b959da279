using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using TeacherTrainer.ApiService.AI;
using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.ApiService.Scenarios;
using TeacherTrainer.ApiService.Simulation;

namespace TeacherTrainer.Benchmarks.Quality;

/// <summary>
/// <c>judge SLUG "persona line" "reply" [turn]</c> (or <c>judge general "problem" "student's turn" "reply"</c>): one
/// judgement in process, printed whole, for reading judgements as a teacher educator would (no database: the
/// scenario comes from Content/).
/// </summary>
public static class JudgeCommand
{
    public static async Task RunAsync(string content, string[] args, TextWriter output)
    {
        var services = EvaluationServices.CreateInProcess();
        if (args[0] == "general")
        {
            // judge general "problem" "student's last turn" "reply": the general rubric, as for a conversation with no scenario.
            var general = await services.GetRequiredService<EvaluationEngine>().JudgeAsync(new EvaluationInput(
                [new ContextTurn("teacher", args[1]), new ContextTurn("student", args[2])], args[3], null), CancellationToken.None);
            output.WriteLine($"move {general.Move.Move} ({general.Move.Confidence:F2})");
            output.WriteLine(JsonSerializer.Serialize(general.Judgement, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
            return;
        }
        var document = await LoadScenarioAsync(content, args[0]);
        var version = await services.PreloadAsync(document);
        var engine = services.GetRequiredService<EvaluationEngine>();
        var line = args[1].Length == 0 ? document.OpeningLine : args[1];
        var turn = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 1;
        var result = await engine.JudgeAsync(new EvaluationInput([new ContextTurn(document.Persona.Speaker, line)], args[2], version, TurnNumber: turn), CancellationToken.None);
        output.WriteLine($"move {result.Move.Move} ({result.Move.Confidence:F2})");
        // What the context checks see: closeness to the line answered and to the rubric's indicators.
        var lineVector = await services.GetRequiredService<ReplyEncoder>().EncodeTextAsync(line, CancellationToken.None);
        var basis = (await services.GetRequiredService<RubricBasisCache>().GetScenarioAsync(version, CancellationToken.None))!;
        var units = result.Reply.Clauses.Select(c => c.Vector).Append(result.Reply.Vector).ToList();
        output.WriteLine($"closeness to the line answered {units.Max(u => VectorMath.Dot(u, lineVector)):F3}; to the nearest indicator " +
            $"{basis.Criteria.SelectMany(c => c.Positive.Concat(c.Negative)).Max(v => units.Max(u => VectorMath.Dot(u, v))):F3}");
        output.WriteLine("moves " + string.Join(", ", result.Move.Probabilities.OrderByDescending(p => p.Value).Take(5).Select(p => $"{p.Key} {p.Value:F2}")));
        // Each clause read alone: what decides whether a harmful reading of the whole stands (MoveClassifier.Hear).
        var classifier = await services.GetRequiredService<MoveClassifierProvider>().GetAsync(CancellationToken.None);
        foreach (var clause in result.Reply.Clauses)
        {
            var heard = classifier.Classify(clause.Text, clause.Vector);
            output.WriteLine($"  clause \"{clause.Text}\": " + string.Join(", ", heard.Probabilities.OrderByDescending(p => p.Value).Take(3).Select(p => $"{p.Key} {p.Value:F2}")));
        }
        // Each criterion's nearest good indicator and warning, and which part of the reply is nearest each: what its margin is made of.
        var parts = result.Reply.Clauses.Prepend(new EncodedClause(new(0, result.Reply.Text.Length), result.Reply.Text, result.Reply.Vector)).ToList();
        foreach (var criterion in basis.Criteria)
        {
            string Nearest(float[][] indicators, IReadOnlyList<string> texts) =>
                parts.SelectMany(u => indicators.Select((v, i) => (Similarity: VectorMath.Dot(u.Vector, v), Part: u.Text, Indicator: texts[i])))
                    .MaxBy(x => x.Similarity) is var (similarity, part, indicator) ? $"{similarity:F2} \"{part}\" ~ \"{indicator}\"" : "none";
            output.WriteLine($"  {criterion.Criterion.Key}: good {Nearest(criterion.Positive, criterion.Criterion.PositiveIndicators)}");
            output.WriteLine($"  {new string(' ', criterion.Criterion.Key.Length)}  warning {Nearest(criterion.Negative, criterion.Criterion.NegativeIndicators)}");
        }
        // Each red line's nearest clause, whether it crosses or not: what RedLineDetector decides on.
        foreach (var near in RedLineDetector.Closest(basis, result.Reply, line))
        {
            output.WriteLine($"  red line {near.RedLine.Key}: {near.Similarity:F3} from \"{near.MatchedExample}\", margin {near.Margin:F3} over \"{near.SafestMatch}\" (\"{near.Evidence.Text}\")");
        }
        output.WriteLine(JsonSerializer.Serialize(result.Judgement, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
    }

    /// <summary>
    /// <c>judge-batch FILE</c>: many replies, one line each, for reading a family of judgements side by side. Each line of FILE
    /// is <c>slug|reply</c> (the reply answers the scenario's opening line) or <c>slug|persona line|reply</c>; the output is
    /// one line per reply: score, band, the move as heard with its confidence, the caps' flags, and the reply.
    /// </summary>
    public static async Task RunBatchAsync(string content, string file, TextWriter output)
    {
        var services = EvaluationServices.CreateInProcess();
        var engine = services.GetRequiredService<EvaluationEngine>();
        var versions = new Dictionary<string, (ScenarioDocument Document, Guid Version)>(StringComparer.Ordinal);
        foreach (var row in File.ReadLines(file).Where(l => l.Contains('|', StringComparison.Ordinal) && !l.StartsWith('#')))
        {
            var fields = row.Split('|');
            if (!versions.TryGetValue(fields[0], out var scenario))
            {
                var document = await LoadScenarioAsync(content, fields[0]);
                versions[fields[0]] = scenario = (document, await services.PreloadAsync(document));
            }
            var (line, reply) = fields.Length > 2 ? (fields[1], fields[2]) : (scenario.Document.OpeningLine, fields[1]);
            var result = await engine.JudgeAsync(new EvaluationInput([new ContextTurn(scenario.Document.Persona.Speaker, line)], reply, scenario.Version), CancellationToken.None);
            output.WriteLine($"{result.Judgement.Score,3} {result.Judgement.Band,-10} {result.Move.Move} {result.Move.Confidence:F2} [{string.Join(",", result.Judgement.Flags)}] {fields[0]} | {reply}");
        }
    }

    /// <summary>A library scenario from Content/Scenarios by its slug.</summary>
    private static async Task<ScenarioDocument> LoadScenarioAsync(string content, string slug)
        => JsonSerializer.Deserialize<ScenarioDocument>(
            await File.ReadAllTextAsync(Path.Combine(content, "Scenarios", slug + ".json")), ScenarioDocument.JsonOptions)!;
}
