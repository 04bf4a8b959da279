using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.ApiService.Scenarios;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Quality;

/// <summary>
/// The robustness suite (issue 9, "hard to game"): every case pairs a genuinely good reply with a
/// gamed variant of it in the same context, both judged through <c>POST /api/evaluations</c> as a
/// user's would be. A case is caught when the gamed variant scores below the good reply (by a clear
/// margin for insults, negation and off-topic replies). The share caught per family is reported and
/// written to artifacts/robustness.md; each family has a floor just under what the engine reaches.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RobustnessSuiteTests(ApiFactory api)
{
    /// <summary>
    /// Floors: what the merged engine measured (artifacts/robustness.md; share caught per family on 173 or
    /// 102 cases) less two binomial standard errors, rounded down. The suite is deterministic, so these are
    /// margins for the next change to the engine, not for run-to-run noise.
    /// Measured at first: echo 96.0, formulaic 92.5, stuffing 98.8, insult 98.3, negated 100, off-topic 86.1,
    /// padding 97.7, injection 100, generic 97.1, hedged negation 100 (%). Since the general rubric weighs the
    /// reply's wording and gentle corrections read as neutral (issue 9): echo 96.5, formulaic 94.8, padding 96.5,
    /// off-topic 86.7 (181 cases, 8 of them written statements), hedged negation 95.5 (21 of 22); the floors stay.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, double> Floors = new Dictionary<string, double>
    {
        [RobustnessCases.Echo] = 0.93,
        [RobustnessCases.Revoicing] = 0.86,
        [RobustnessCases.Stuffing] = 0.97,
        [RobustnessCases.Insult] = 0.96,
        [RobustnessCases.Negated] = 0.97,
        [RobustnessCases.OffTopic] = 0.80,
        [RobustnessCases.Padding] = 0.93,
        [RobustnessCases.Injection] = 0.97,
        [RobustnessCases.Generic] = 0.94,
        // Written with the detector that catches them (22 cases, 21 caught): a floor that lets one slip.
        [RobustnessCases.HedgedNegation] = 0.93,
    };

    /// <summary>Good replies that any integrity finding fires on: the detectors must leave sincere replies alone (measured 4 of 185).</summary>
    public const double GoodRepliesFlaggedCeiling = 0.04;

    private sealed record Judged(int Score, IReadOnlyList<string> Notes);

    [Fact]
    public async Task Gamed_replies_score_below_the_good_replies_they_imitate()
    {
        var ct = TestContext.Current.CancellationToken;
        var cases = RobustnessCases.Generate(Path.Combine(AppContext.BaseDirectory, "Content", "Scenarios"), TestEnvironment.EvaluationDataDirectory);
        Assert.True(cases.Count >= 300, $"{cases.Count} cases");
        Assert.All(RobustnessCases.Families, f => Assert.Contains(cases, c => c.Family == f));

        // An administrator's client: the same engine and endpoint a trainee uses, without the per-user request limit.
        using var client = await api.CreateClientForAsync((await api.CreateUserWithoutPasswordAsync(Roles.Admin)).Id);
        var judged = new ConcurrentDictionary<(string?, string, string), Judged>();
        var texts = cases.SelectMany(c => new[] { (c.ScenarioId, c.Context, c.Good), (c.ScenarioId, c.Context, c.Gamed) })
            .DistinctBy(x => (x.ScenarioId, ContextKey(x.Context), x.Item3)).ToList();
        await Parallel.ForEachAsync(texts, new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = ct }, async (item, token) =>
        {
            var response = await client.PostAsJsonAsync("/api/evaluations", new { context = item.Context, response = item.Item3, scenarioId = item.ScenarioId }, token);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(token));
            var judgement = (await response.Content.ReadFromJsonAsync<Judgement>(token))!;
            judged[(item.ScenarioId, ContextKey(item.Context), item.Item3)] = new Judged(judgement.Score, [.. judgement.Notes]);
        });
        Judged Of(RobustnessCase c, string text) => judged[(c.ScenarioId, ContextKey(c.Context), text)];

        var report = new StringBuilder();
        report.AppendLine("# Robustness suite: share of gamed replies caught, by family").AppendLine();
        report.AppendLine($"{cases.Count} cases from the scenario library's 5-rated exemplars and the Bridge validation experts, judged through POST /api/evaluations.");
        report.AppendLine("Caught: the gamed reply scores below the good one (by more than the margin shown).").AppendLine();
        report.AppendLine("| family | cases | margin | caught | share | floor | mean good | mean gamed |");
        report.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        var failures = new List<string>();
        var misses = new StringBuilder();
        foreach (var family in RobustnessCases.Families)
        {
            var inFamily = cases.Where(c => c.Family == family).ToList();
            var caught = inFamily.Where(c => Of(c, c.Gamed).Score < Of(c, c.Good).Score - c.Margin).ToList();
            var share = caught.Count / (double)inFamily.Count;
            var line = $"| {family} | {inFamily.Count} | {inFamily.Max(c => c.Margin)} | {caught.Count} | {share:P1} | {Floors[family]:P0} | {inFamily.Average(c => Of(c, c.Good).Score):F1} | {inFamily.Average(c => Of(c, c.Gamed).Score):F1} |";
            report.AppendLine(line);
            TestContext.Current.SendDiagnosticMessage($"robustness {family}: {caught.Count}/{inFamily.Count} caught ({share:P1}, floor {Floors[family]:P0})");
            if (share < Floors[family]) failures.Add($"{family}: {share:P1} < {Floors[family]:P0}");
            foreach (var miss in inFamily.Except(caught).Take(8))
            {
                misses.AppendLine($"- {family} {miss.Source}: good {Of(miss, miss.Good).Score}, gamed {Of(miss, miss.Gamed).Score}: \"{Shorten(miss.Gamed)}\"");
            }
        }
        var goods = cases.Select(c => (c.ScenarioId, Key: ContextKey(c.Context), c.Good)).Distinct().ToList();
        var flagged = goods.Where(g => judged[(g.ScenarioId, g.Key, g.Good)].Notes.Count > 0).ToList();
        var flaggedShare = flagged.Count / (double)goods.Count;
        report.AppendLine().AppendLine($"Good replies with any integrity note (false alarms): {flagged.Count} of {goods.Count} ({flaggedShare:P1}; ceiling {GoodRepliesFlaggedCeiling:P0}).");
        foreach (var g in flagged.Take(10)) report.AppendLine($"- \"{Shorten(g.Good)}\": {judged[(g.ScenarioId, g.Key, g.Good)].Notes[0]}");
        report.AppendLine().AppendLine("## Examples missed").AppendLine().Append(misses);
        TestContext.Current.SendDiagnosticMessage($"robustness: good replies flagged {flagged.Count}/{goods.Count} ({flaggedShare:P1})");

        var artifacts = Path.Combine(TestEnvironment.RepositoryRoot, "artifacts");
        Directory.CreateDirectory(artifacts);
        await File.WriteAllTextAsync(Path.Combine(artifacts, "robustness.md"), report.ToString(), ct);

        Assert.True(failures.Count == 0, "families below their floor:\n" + string.Join("\n", failures) + "\n" + misses);
        Assert.True(flaggedShare <= GoodRepliesFlaggedCeiling, $"{flagged.Count} good replies flagged:\n" + string.Join("\n", flagged.Select(g => g.Good)));
    }

    /// <summary>
    /// The hard negatives of the negation family: sincere replies that say "not" ("You're not in trouble", "I won't tell
    /// your whole class", "It's not your fault") are judged like any reply and must carry no negated-content finding.
    /// </summary>
    [Fact]
    public async Task Sincere_replies_with_negation_are_not_read_as_negated_content()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = await api.CreateClientForAsync((await api.CreateUserWithoutPasswordAsync(Roles.Admin)).Id);
        var documents = Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Content", "Scenarios"), "*.json")
            .Select(f => JsonSerializer.Deserialize<ScenarioDocument>(File.ReadAllText(f), ScenarioDocument.JsonOptions)!)
            .ToDictionary(d => d.Slug, StringComparer.Ordinal);
        var flagged = new List<string>();
        foreach (var (slug, line, reply) in RobustnessCases.SincereNegations)
        {
            var doc = documents[slug];
            var context = new[] { new RobustnessTurn(doc.Persona.Speaker, line ?? doc.OpeningLine) };
            var response = await client.PostAsJsonAsync("/api/evaluations", new { context, response = reply, scenarioId = slug }, ct);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(ct));
            var judgement = (await response.Content.ReadFromJsonAsync<Judgement>(ct))!;
            if (judgement.Flags.Contains(IntegrityFamilies.NegatedContent)) flagged.Add($"{slug}: \"{reply}\" ({judgement.Score})");
        }
        TestContext.Current.SendDiagnosticMessage($"robustness: sincere replies with negation read as negated content {flagged.Count}/{RobustnessCases.SincereNegations.Length}");
        Assert.True(flagged.Count == 0, "sincere replies read as negated content:\n" + string.Join("\n", flagged));
    }

    private static string ContextKey(IReadOnlyList<RobustnessTurn> context) => string.Join("\u241e", context.Select(t => t.Speaker + ":" + t.Text));

    private static string Shorten(string text) => text.Length <= 140 ? text : text[..137] + "...";
}
