using System.Text.Json;
using System.Text.Json.Nodes;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Tests.Integration;

/// <summary>
/// The engine measured against human judgement, through the API on the real database: the floors
/// sit just under what the engine reaches (docs/evaluation.md), so a change that makes judgement
/// worse fails here. Data: Demszky et al. 2021 (uptake) and Wang et al. 2024 (Bridge), read from
/// the shared data folder, never copied into the repository.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class EvaluationQualityTests(ApiFactory api)
{
    // Uptake: the criterion as the API serves it (the fitted linear model, the echo guard and the integrity checks'
    // caps) reaches Spearman 0.539 on lesson-grouped held-out folds (`dotnet run -c Release --project
    // TeacherTrainer.Benchmarks -- fit-uptake`, "as served"), with a spread of 0.060 between the five folds; the pooled
    // figure's noise is about that over √5, 0.027. The floor is the cross-validated figure less that noise. Measured
    // here in sample (the model was fitted on these rows), the figure sits higher; the floor guards against
    // regressions, not the headline.
    public const double UptakeSpearmanFloor = 0.51;
    public const double BridgePairwiseFloor = 0.93;

    /// <summary>
    /// MRBench within-moment rho of the general overall: 0.474 cross-validated (5 folds by moment,
    /// <c>fit-tutoring</c>), less the spread across folds (sd 0.051). Measured here on the shipped model,
    /// which saw these moments, so the figure printed is in-sample; the floor comes from the cross-validated one.
    /// </summary>
    public const double MrBenchWithinMomentFloor = 0.42;

    /// <summary>A stock reply may beat the novice on at most a third of the Bridge validation items.</summary>
    public const double GenericOverNoviceCeiling = 1 / 3.0;

    public static readonly string[] GenericReplies = ["Good job!", "Can you explain?", "Great effort, let's keep going.", "That's not right."];

    [Fact]
    public async Task Uptake_ranks_real_classroom_exchanges_like_the_expert_raters()
    {
        using var admin = await api.CreateClientForAsync((await api.CreateUserWithoutPasswordAsync(Roles.Admin)).Id);
        var rows = File.ReadLines(Path.Combine(TestEnvironment.EvaluationDataDirectory, "uptake-dev.jsonl"))
            .Select(l => JsonNode.Parse(l)!).ToList();
        var scores = new double[rows.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, rows.Count), new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = TestContext.Current.CancellationToken },
            async (i, ct) =>
            {
                var response = await admin.PostAsJsonAsync("/api/evaluations", new
                {
                    context = new[] { new { speaker = "student", text = rows[i]["student"]!.GetValue<string>() } },
                    response = rows[i]["teacher"]!.GetValue<string>(),
                }, ct);
                response.EnsureSuccessStatusCode();
                var judgement = (await response.Content.ReadFromJsonAsync<Judgement>(ct))!;
                scores[i] = judgement.Criteria.Single(c => c.Key == "uptake").Score;
            });
        var rho = Spearman(scores, rows.Select(r => r["uptake_zscore"]!.GetValue<double>()).ToArray());
        TestContext.Current.SendDiagnosticMessage($"uptake-dev: Spearman {rho:F3} over {rows.Count} exchanges (word-overlap baseline 0.50)");
        Assert.True(rho >= UptakeSpearmanFloor, $"Spearman {rho:F3} fell below the floor {UptakeSpearmanFloor}");
    }

    [Fact]
    public async Task An_experts_rewrite_outscores_the_novice_reply_it_replaced()
    {
        using var admin = await api.CreateClientForAsync((await api.CreateUserWithoutPasswordAsync(Roles.Admin)).Id);
        var ct = TestContext.Current.CancellationToken;
        await ImportBridgeTrainAsync(admin, ct);
        var validation = BridgeValidation();
        int overallWins = 0, collectionWins = 0;
        foreach (var row in validation)
        {
            var expert = await JudgeAsync(admin, row["context"]!, row["expert"]!.GetValue<string>(), ct);
            var novice = await JudgeAsync(admin, row["context"]!, row["novice"]!.GetValue<string>(), ct);
            if (expert.Overall > novice.Overall) overallWins++;
            if (expert.Collection > novice.Collection) collectionWins++;
        }
        var accuracy = overallWins / (double)validation.Count;
        TestContext.Current.SendDiagnosticMessage(
            $"bridge-validation: expert wins {accuracy:F3} overall, {collectionWins / (double)validation.Count:F3} on the collection criterion alone (baseline 0.87)");
        Assert.True(accuracy >= BridgePairwiseFloor, $"pairwise accuracy {accuracy:F3} fell below the floor {BridgePairwiseFloor}");
    }

    [Fact]
    public async Task A_stock_reply_does_not_beat_the_novice_reply_against_the_Bridge_collection()
    {
        using var admin = await api.CreateClientForAsync((await api.CreateUserWithoutPasswordAsync(Roles.Admin)).Id);
        var ct = TestContext.Current.CancellationToken;
        await ImportBridgeTrainAsync(admin, ct);
        var validation = BridgeValidation();
        var wins = new int[GenericReplies.Length];
        foreach (var row in validation)
        {
            var novice = await JudgeAsync(admin, row["context"]!, row["novice"]!.GetValue<string>(), ct);
            for (var g = 0; g < GenericReplies.Length; g++)
            {
                var generic = await JudgeAsync(admin, row["context"]!, GenericReplies[g], ct);
                if (generic.Overall > novice.Overall) wins[g]++;
            }
        }
        TestContext.Current.SendDiagnosticMessage("bridge-validation, stock reply over novice: " +
            string.Join(", ", GenericReplies.Select((g, i) => $"\"{g}\" {wins[i]}/{validation.Count}")));
        for (var g = 0; g < GenericReplies.Length; g++)
            Assert.True(wins[g] <= GenericOverNoviceCeiling * validation.Count,
                $"\"{GenericReplies[g]}\" beat the novice on {wins[g]} of {validation.Count} items (at most a third allowed)");
    }

    [Fact]
    public async Task The_general_overall_ranks_tutor_replies_within_a_moment_like_the_raters()
    {
        using var admin = await api.CreateClientForAsync((await api.CreateUserWithoutPasswordAsync(Roles.Admin)).Id);
        var ct = TestContext.Current.CancellationToken;
        var moments = File.ReadLines(Path.Combine(TestEnvironment.EvaluationDataDirectory, "mrbench-dev.jsonl")).Select(l => JsonNode.Parse(l)!)
            .Where(m => m["context"]!.AsArray() is { Count: > 0 } turns && turns[^1]!["speaker"]!.GetValue<string>() == "student").ToList();
        var replies = moments.SelectMany((m, i) => m["replies"]!.AsArray().Select(r => (Moment: i, Text: r!["response"]!.GetValue<string>(), Human: MrBenchComposite(r["labels"]!.AsObject()))))
            .Where(r => !double.IsNaN(r.Human) && !string.IsNullOrWhiteSpace(r.Text)).ToList();
        var scores = new double[replies.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, replies.Count), new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = ct },
            async (i, token) =>
            {
                var response = await admin.PostAsJsonAsync("/api/evaluations", new { context = moments[replies[i].Moment]["context"]!.DeepClone(), response = replies[i].Text }, token);
                response.EnsureSuccessStatusCode();
                scores[i] = (await response.Content.ReadFromJsonAsync<Judgement>(token))!.Score;
            });
        var rhos = new List<double>();
        foreach (var group in Enumerable.Range(0, replies.Count).GroupBy(i => replies[i].Moment))
        {
            var human = group.Select(i => replies[i].Human).ToArray();
            if (human.Distinct().Count() < 2) continue;
            var machine = group.Select(i => scores[i]).ToArray();
            rhos.Add(machine.Distinct().Count() < 2 ? 0 : Spearman(machine, human));
        }
        var rho = rhos.Average();
        TestContext.Current.SendDiagnosticMessage($"mrbench-dev: within-moment Spearman of the general overall {rho:F3} over {rhos.Count} moments (in-sample; cross-validated 0.474; length baseline 0.17)");
        Assert.True(rho >= MrBenchWithinMomentFloor, $"within-moment Spearman {rho:F3} fell below the floor {MrBenchWithinMomentFloor}");
    }

    /// <summary>The data README's composite: Yes 1, To some extent 0.5, No 0; Revealing reversed (any "Yes ..." is 0); Tone Encouraging 1, Neutral 0.5.</summary>
    private static double MrBenchComposite(JsonObject labels)
    {
        var values = new List<double>();
        foreach (var (name, node) in labels)
        {
            if (node?.GetValue<string>() is not { } v) continue;
            double? x = name switch
            {
                "Tutor_Tone" => v switch { "Encouraging" => 1, "Neutral" => 0.5, "Offensive" => 0, _ => null },
                // The data say "Yes (and the answer is correct)" or "Yes (but the answer is incorrect)": both reveal it.
                "Revealing_of_the_Answer" => v switch { "No" => 1, "To some extent" => 0.5, _ when v.StartsWith("Yes", StringComparison.Ordinal) => 0, _ => null },
                "Mistake_Identification" or "Mistake_Location" or "Providing_Guidance" or "Actionability" or "Coherence" or "humanlikeness"
                    => v switch { "Yes" => 1, "To some extent" => 0.5, "No" => 0, _ => null },
                _ => null,
            };
            if (x is { } value) values.Add(value);
        }
        return values.Count == 0 ? double.NaN : values.Average();
    }

    /// <summary>Imports bridge-train as the collection the Bridge checks judge against (a PUT replaces it, so each test may call it).</summary>
    private static async Task ImportBridgeTrainAsync(HttpClient admin, CancellationToken ct)
    {
        var train = File.ReadLines(Path.Combine(TestEnvironment.EvaluationDataDirectory, "bridge-train.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        var items = train.SelectMany(r => new[]
        {
            new { context = r["context"]!.DeepClone(), response = r["expert"]!.GetValue<string>(), quality = "expert" },
            new { context = r["context"]!.DeepClone(), response = r["novice"]!.GetValue<string>(), quality = "novice" },
        }).ToList();
        var import = await admin.PutAsJsonAsync("/api/collections/bridge-quality-check", new { description = "Bridge train (evaluation only)", items }, ct);
        Assert.True(import.IsSuccessStatusCode, await import.Content.ReadAsStringAsync(ct));
    }

    private static List<JsonNode> BridgeValidation()
        => File.ReadLines(Path.Combine(TestEnvironment.EvaluationDataDirectory, "bridge-validation.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();

    private static async Task<(int Overall, int Collection)> JudgeAsync(HttpClient client, JsonNode context, string reply, CancellationToken ct)
    {
        var response = await client.PostAsJsonAsync("/api/evaluations", new { context = context.DeepClone(), response = reply, collection = "bridge-quality-check" }, ct);
        response.EnsureSuccessStatusCode();
        var judgement = (await response.Content.ReadFromJsonAsync<Judgement>(ct))!;
        var collection = judgement.Criteria.Single(c => c.Key == "expert-likeness").Score;
        return (judgement.Score, collection);
    }

    internal static double Spearman(double[] a, double[] b)
    {
        static double[] Ranks(double[] values)
        {
            var order = values.Select((v, i) => (v, i)).OrderBy(x => x.v).ToArray();
            var ranks = new double[values.Length];
            for (var i = 0; i < order.Length;)
            {
                var j = i;
                while (j + 1 < order.Length && order[j + 1].v == order[i].v) j++;
                var rank = (i + j) / 2.0 + 1;
                for (var k = i; k <= j; k++) ranks[order[k].i] = rank;
                i = j + 1;
            }
            return ranks;
        }
        var ra = Ranks(a);
        var rb = Ranks(b);
        var ma = ra.Average();
        var mb = rb.Average();
        double num = 0, da = 0, db = 0;
        for (var i = 0; i < ra.Length; i++)
        {
            num += (ra[i] - ma) * (rb[i] - mb);
            da += (ra[i] - ma) * (ra[i] - ma);
            db += (rb[i] - mb) * (rb[i] - mb);
        }
        return num / Math.Sqrt(da * db);
    }
}
