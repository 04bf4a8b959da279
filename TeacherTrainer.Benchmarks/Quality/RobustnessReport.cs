using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using TeacherTrainer.ApiService.AI;
using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.ApiService.Scenarios;
using TeacherTrainer.ApiService.Simulation;
using TeacherTrainer.Tests.Quality;

namespace TeacherTrainer.Benchmarks.Quality;

/// <summary>
/// The robustness suite in process, without a database (`dotnet run -c Release -- robustness`): the
/// same generated cases as TeacherTrainer.Tests/Quality/RobustnessSuiteTests, judged by the same
/// engine, each scenario's basis built from its document. Prints the share caught per family.
/// </summary>
public static class RobustnessReport
{
    /// <summary>TT_ROBUSTNESS_MISSES=FAMILY (or all) prints each missed case of that family: every miss is a case to read.</summary>
    private static readonly string? ShowMisses = Environment.GetEnvironmentVariable("TT_ROBUSTNESS_MISSES") is { Length: > 0 } f ? f : null;

    public static async Task RunAsync(string contentDirectory, string ratedDataDirectory, TextWriter output)
    {
        var services = EvaluationServices.CreateInProcess();
        var versions = new Dictionary<string, Guid>(StringComparer.Ordinal);
        var documents = new Dictionary<string, ScenarioDocument>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(contentDirectory, "Scenarios"), "*.json").Order(StringComparer.Ordinal))
        {
            var document = JsonSerializer.Deserialize<ScenarioDocument>(await File.ReadAllTextAsync(file), ScenarioDocument.JsonOptions)!;
            documents[document.Slug] = document;
            versions[document.Slug] = await services.PreloadAsync(document);
        }
        var engine = services.GetRequiredService<EvaluationEngine>();
        var cases = RobustnessCases.Generate(Path.Combine(contentDirectory, "Scenarios"), ratedDataDirectory);
        var scores = new Dictionary<(string?, string, string), int>();
        async Task<int> ScoreAsync(RobustnessCase c, string text)
        {
            var key = (c.ScenarioId, string.Join("\n", c.Context.Select(t => t.Speaker + ":" + t.Text)), text);
            if (scores.TryGetValue(key, out var known)) return known;
            var input = new EvaluationInput(c.Context.Select(t => new ContextTurn(t.Speaker, t.Text)).ToList(), text,
                c.ScenarioId is null ? null : versions[c.ScenarioId]);
            return scores[key] = (await engine.JudgeAsync(input, CancellationToken.None)).Judgement.Score;
        }

        output.WriteLine($"Robustness suite, in process: {cases.Count} cases");
        output.WriteLine($"{"family",-22} {"cases",6} {"caught",7} {"share",7}");
        foreach (var family in RobustnessCases.Families)
        {
            var inFamily = cases.Where(c => c.Family == family).ToList();
            var caught = 0;
            foreach (var c in inFamily)
            {
                int gamed = await ScoreAsync(c, c.Gamed), good = await ScoreAsync(c, c.Good);
                if (gamed < good - c.Margin) caught++;
                else if (ShowMisses is { } show && (show == "all" || show == family))
                    output.WriteLine($"  missed ({gamed} against {good}) {c.ScenarioId ?? "general"} | {c.Gamed}");
            }
            output.WriteLine($"{family,-22} {inFamily.Count,6} {caught,7} {caught / (double)inFamily.Count,7:P1}");
        }

        // The negation family's hard negatives: sincere replies that say "not" must carry no negated-content finding.
        var negatedFlags = 0;
        foreach (var (slug, line, reply) in RobustnessCases.SincereNegations)
        {
            var document = documents[slug];
            var input = new EvaluationInput([new ContextTurn(document.Persona.Speaker, line ?? document.OpeningLine)], reply, versions[slug]);
            var judgement = (await engine.JudgeAsync(input, CancellationToken.None)).Judgement;
            if (!judgement.Flags.Contains(IntegrityFamilies.NegatedContent)) continue;
            negatedFlags++;
            output.WriteLine($"  sincere reply read as negated content ({judgement.Score}): {reply}");
        }
        output.WriteLine($"sincere replies with negation read as negated content: {negatedFlags} of {RobustnessCases.SincereNegations.Length}");
    }
}
