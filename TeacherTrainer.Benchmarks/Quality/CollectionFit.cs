using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using TeacherTrainer.ApiService.AI;
using TeacherTrainer.ApiService.Evaluation;

namespace TeacherTrainer.Benchmarks.Quality;

/// <summary>
/// Fits and checks the collection score's combination (<see cref="CollectionScorer.Combine"/>) on Bridge
/// (Wang et al. 2024), in process with exact neighbour search standing in for pgvector's HNSW:
/// leave-one-out on bridge-train (each item's own two rows removed from the collection), then bridge-validation
/// against the whole train collection. Reports expert-over-novice and how often fixed generic replies beat the
/// novice, on the overall score as the engine composes it (collection criterion, plus uptake on the student's turn).
/// The generic replies it trains on are written apart from the four the tests check.
/// </summary>
public static class CollectionFit
{
    /// <summary>What the quality tests check: never used for fitting.</summary>
    public static readonly string[] CheckedGeneric = ["Good job!", "Can you explain?", "Great effort, let's keep going.", "That's not right."];

    /// <summary>Generic replies used as negatives when fitting (a teacher educator's list of stock phrases).</summary>
    public static readonly string[] TrainingGeneric =
    [
        "Well done!", "Nice work.", "Try again.", "Keep it up!", "Incorrect.", "What do you think?", "Are you sure?",
        "Let's try another one.", "Excellent!", "Nope, have another go.", "You can do better.", "Awesome, next question.",
        "Tell me more.", "Hmm, okay.", "Wrong answer.", "Super effort today!", "Why do you think that?",
        "How did you get that?",
    ];

    private sealed record Item(IReadOnlyList<ContextTurn> Context, string Expert, string Novice, float[] ContextVector, float[] ExpertVector, float[] NoviceVector, float[]? LastVector);

    private sealed record Row(int Item, bool IsExpert, float[] Vector);

    public static async Task RunAsync(string dataDirectory, TextWriter output)
    {
        using var encoder = new MiniLmEncoder();
        var train = await LoadAsync(Path.Combine(dataDirectory, "bridge-train.jsonl"), encoder);
        var validation = await LoadAsync(Path.Combine(dataDirectory, "bridge-validation.jsonl"), encoder);
        var checkedVectors = await encoder.EncodeAsync(CheckedGeneric);
        var trainingVectors = await encoder.EncodeAsync(TrainingGeneric);
        var rows = train.SelectMany((t, i) => new[] { new Row(i, true, t.ExpertVector), new Row(i, false, t.NoviceVector) }).ToList();

        // Specificity: every real reply (expert or novice) in its own context against stock phrases placed in the same
        // contexts. The engagement features do not read the collection, so no item is left out here.
        var examples = new List<(float[] Features, bool Label)>();
        for (var i = 0; i < train.Count; i++)
        {
            var t = train[i];
            examples.Add((Engagement(t, t.Expert, t.ExpertVector), true));
            examples.Add((Engagement(t, t.Novice, t.NoviceVector), true));
            for (var g = 0; g < GenericPerItem; g++)
            {
                var k = (GenericPerItem * i + g) % TrainingGeneric.Length;
                examples.Add((Engagement(t, TrainingGeneric[k], trainingVectors[k]), false));
            }
        }
        var fitted = Fit(examples);
        output.WriteLine($"fitted specificity (ML.NET L-BFGS logistic regression on {examples.Count} replies): " +
            $"bias {fitted.Bias:F3}, weights {string.Join(", ", CollectionParts.EngagementNames.Zip(fitted.Weights, (n, w) => $"{n} {w:F3}"))}");

        foreach (var (name, combination) in new[] { ("neighbours alone", CollectionScorer.Specificity.None), ("with specificity", fitted) })
        {
            // The figures for train are leave-one-out but the combination was fitted on those same rows: the validation line is the honest one.
            Report($"{name}, bridge-train leave-one-out", train, i => i, combination, rows, train, checkedVectors, output);
            Report($"{name}, bridge-validation", validation, _ => -1, combination, rows, train, checkedVectors, output);
        }
    }

    private static void Report(string label, List<Item> items, Func<int, int> exclude, CollectionScorer.Specificity combination,
        List<Row> rows, List<Item> collection, float[][] genericVectors, TextWriter output)
    {
        int expertWins = 0;
        var genericWins = new int[CheckedGeneric.Length];
        for (var i = 0; i < items.Count; i++)
        {
            var t = items[i];
            int Overall(string reply, float[] vector)
            {
                var parts = Parts(rows, collection, t, reply, vector, exclude(i));
                var score = (int)Math.Round(CollectionScorer.ScoreFrom(parts, combination));
                var last = t.Context.Count > 0 && EvaluationEngine_UptakeApplies(t.Context[^1].Speaker) ? t.Context[^1].Text : null;
                if (last is null) return score;
                var uptake = (int)Math.Round(UptakeScorer.Score(last, reply, t.LastVector, vector).Score);
                return (int)Math.Round((score * (1 - JudgementComposer.UptakeWeight) + uptake * JudgementComposer.UptakeWeight));
            }
            var novice = Overall(t.Novice, t.NoviceVector);
            if (Overall(t.Expert, t.ExpertVector) > novice) expertWins++;
            for (var g = 0; g < CheckedGeneric.Length; g++)
                if (Overall(CheckedGeneric[g], genericVectors[g]) > novice) genericWins[g]++;
        }
        output.WriteLine($"{label} ({items.Count}): expert over novice {expertWins / (double)items.Count:F3}; generic over novice " +
            string.Join(", ", CheckedGeneric.Select((g, k) => $"\"{g}\" {genericWins[k]}/{items.Count}")));
    }

    private static bool EvaluationEngine_UptakeApplies(string speaker) => ApiService.Evaluation.EvaluationEngine.UptakeSpeakers.Contains(speaker);

    /// <summary>The scorer's inputs for one reply, from exact neighbour search over the collection rows (item <paramref name="exclude"/> left out).</summary>
    private static CollectionParts Parts(List<Row> rows, List<Item> collection, Item item, string reply, float[] vector, int exclude)
    {
        var pool = rows.Where(r => r.Item != exclude).ToList();
        var byResponse = pool.Select(r => (r, s: (double)VectorMath.Dot(vector, r.Vector)))
            .OrderByDescending(x => x.s).Take(CollectionScorer.ResponseNeighbourCount)
            .Select(x => new ExemplarNeighbour(Id(x.r), x.r.IsExpert ? ExemplarQuality.Expert : ExemplarQuality.Novice, x.s)).ToList();
        var nearContexts = Enumerable.Range(0, collection.Count).Where(i => i != exclude)
            .OrderByDescending(i => VectorMath.Dot(item.ContextVector, collection[i].ContextVector)).Take(CollectionScorer.ContextNeighbourCount).ToHashSet();
        var byContext = pool.Where(r => nearContexts.Contains(r.Item))
            .Select(r => new ExemplarNeighbour(Id(r), r.IsExpert ? ExemplarQuality.Expert : ExemplarQuality.Novice, VectorMath.Dot(vector, r.Vector))).ToList();
        return CollectionScorer.Measure(byResponse, byContext, CollectionScorer.Engagement(item.Context, reply, vector, item.ContextVector));
    }

    private static Guid Id(Row r) => new(r.Item, 0, r.IsExpert ? (short)1 : (short)0, 0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>Stock phrases placed in each training context as negatives.</summary>
    public static int GenericPerItem = int.Parse(Environment.GetEnvironmentVariable("TT_GENERIC") ?? "2");

    private static float[] Engagement(Item item, string reply, float[] vector)
        => new CollectionParts(0, 0, CollectionScorer.Engagement(item.Context, reply, vector, item.ContextVector), false).EngagementFeatures();

    private sealed class Example
    {
        public bool Label { get; set; }
        public float[] Features { get; set; } = [];
    }

    private static CollectionScorer.Specificity Fit(List<(float[] Features, bool Label)> examples)
    {
        var ml = new MLContext(seed: TutoringFit.Seed);
        var schema = SchemaDefinition.Create(typeof(Example));
        schema[nameof(Example.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, CollectionParts.EngagementNames.Length);
        var data = ml.Data.LoadFromEnumerable(examples.Select(e => new Example { Label = e.Label, Features = e.Features }), schema);
        var trainer = ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            LabelColumnName = nameof(Example.Label),
            FeatureColumnName = nameof(Example.Features),
            L2Regularization = 0.01f,
            L1Regularization = 0,
            NumberOfThreads = 1,
        });
        var model = trainer.Fit(data).Model.SubModel;
        return new CollectionScorer.Specificity(Math.Round(model.Bias, 4), model.Weights.Select(w => Math.Round((double)w, 4)).ToArray());
    }

    private static async Task<List<Item>> LoadAsync(string path, MiniLmEncoder encoder)
    {
        var rows = File.ReadLines(path).Select(l => JsonNode.Parse(l)!).ToList();
        var contexts = rows.Select(r => r["context"]!.AsArray().Select(t => new ContextTurn(t!["speaker"]!.GetValue<string>(), t["text"]!.GetValue<string>())).ToList()).ToList();
        var contextVectors = await encoder.EncodeAsync(contexts.Select(CollectionStore.ContextText).ToList());
        var experts = rows.Select(r => r["expert"]!.GetValue<string>()).ToList();
        var novices = rows.Select(r => r["novice"]!.GetValue<string>()).ToList();
        var expertVectors = await encoder.EncodeAsync(experts);
        var noviceVectors = await encoder.EncodeAsync(novices);
        var lastVectors = await encoder.EncodeAsync(contexts.Select(c => c.Count > 0 ? c[^1].Text : "").ToList());
        return rows.Select((_, i) => new Item(contexts[i], experts[i], novices[i], contextVectors[i], expertVectors[i], noviceVectors[i], lastVectors[i])).ToList();
    }
}
