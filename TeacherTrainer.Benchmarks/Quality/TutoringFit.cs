using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using TeacherTrainer.ApiService.AI;
using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.ApiService.Simulation;

namespace TeacherTrainer.Benchmarks.Quality;

/// <summary>
/// Fits the "guides the learner" model (<see cref="TutoringQualityScorer"/>) on MRBench's rated tutor replies
/// (Maurya et al. 2025) and measures the ENGINE'S OVERALL general-rubric score against the human composite:
/// within each moment, Spearman rho, averaged over moments that end on the student's turn. Five folds grouped
/// by moment: the model is fitted on four folds' moments and scores the fifth's replies through
/// <see cref="JudgementComposer.JudgeAgainstRubric"/> exactly as the API composes them. The criterion's weight
/// is chosen by the same cross-validation. Finally fits on every moment and writes the shipped model file.
/// </summary>
public static class TutoringFit
{
    public const int Folds = 5;
    public const int Seed = 17;
    public static float L2 = float.Parse(Environment.GetEnvironmentVariable("TT_L2") ?? "0.05", System.Globalization.CultureInfo.InvariantCulture);
    public static bool UseEmbedding = Environment.GetEnvironmentVariable("TT_EMB") == "1";

    /// <summary>Candidate shares of the general rubric (before uptake) for the criterion.</summary>
    public static readonly double[] Weights = [0.0, 0.55, 0.7, 0.85];

    public sealed record Reply(int Moment, string Text, double Composite, EncodedReply Encoded, MoveClassification Move,
        UptakeResult? Uptake, double[] Features, string Speaker, string? Last);

    public sealed record Moment(int Index, string Id, string Source, IReadOnlyList<ContextTurn> Context, bool EndsOnStudent);

    private static readonly string[] Dimensions =
        ["Mistake_Identification", "Mistake_Location", "Revealing_of_the_Answer", "Providing_Guidance", "Actionability", "Coherence", "Tutor_Tone", "humanlikeness"];

    /// <summary>
    /// The README's composite: mean of the dimensions present, Yes = 1, To some extent = 0.5, No = 0; Revealing reversed
    /// (any "Yes ..." is 0); Tone Encouraging 1, Neutral 0.5, Offensive 0.
    /// </summary>
    public static double Composite(JsonObject labels)
    {
        var values = new List<double>();
        foreach (var d in Dimensions)
        {
            if (labels[d]?.GetValue<string>() is not { } v) continue;
            double? x = d switch
            {
                "Tutor_Tone" => v switch { "Encouraging" => 1, "Neutral" => 0.5, "Offensive" => 0, _ => null },
                // The data say "Yes (and the answer is correct)" or "Yes (but the answer is incorrect)": both reveal it.
                "Revealing_of_the_Answer" => v switch { "No" => 1, "To some extent" => 0.5, _ when v.StartsWith("Yes", StringComparison.Ordinal) => 0, _ => null },
                _ => v switch { "Yes" => 1, "To some extent" => 0.5, "No" => 0, _ => null },
            };
            if (x is { } value) values.Add(value);
        }
        return values.Count == 0 ? double.NaN : values.Average();
    }

    public static async Task<(List<Moment> Moments, List<Reply> Replies)> LoadAsync(string dataDirectory, ReplyEncoder encoder, MoveClassifier classifier)
    {
        var moments = new List<Moment>();
        var replies = new List<Reply>();
        foreach (var line in File.ReadLines(Path.Combine(dataDirectory, "mrbench-dev.jsonl")))
        {
            var row = JsonNode.Parse(line)!;
            var context = row["context"]!.AsArray().Select(t => new ContextTurn(t!["speaker"]!.GetValue<string>(), t["text"]!.GetValue<string>())).ToList();
            var moment = new Moment(moments.Count, row["id"]!.GetValue<string>(), row["source"]!.GetValue<string>(), context,
                context.Count > 0 && context[^1].Speaker == "student");
            moments.Add(moment);
            var last = TutoringQualityScorer.LastLearnerTurn(context);
            var problem = TutoringQualityScorer.ProblemStatement(context);
            var lastVector = last is null ? null : await encoder.EncodeTextAsync(last, CancellationToken.None);
            var problemVector = problem is null ? null : await encoder.EncodeTextAsync(problem, CancellationToken.None);
            foreach (var r in row["replies"]!.AsArray())
            {
                var text = r!["response"]!.GetValue<string>();
                var composite = Composite(r["labels"]!.AsObject());
                if (double.IsNaN(composite) || string.IsNullOrWhiteSpace(text)) continue;
                var (judged, _) = InjectionFilter.Blank(text);
                if (string.IsNullOrWhiteSpace(judged)) continue;
                var encoded = await encoder.EncodeReplyAsync(judged, CancellationToken.None);
                var move = await classifier.HearAsync(encoded, encoder.EncodeReplyAsync, CancellationToken.None);
                var uptake = last is null ? null : UptakeScorer.Score(last, judged, lastVector, encoded.Vector);
                var features = TutoringQualityScorer.Features(context, judged, encoded.Vector, lastVector, problemVector);
                replies.Add(new Reply(moment.Index, judged, composite, encoded, move, uptake, features, context.Count > 0 ? context[^1].Speaker : "student", context.LastOrDefault()?.Text));
            }
        }
        return (moments, replies);
    }

    private sealed class Row
    {
        public float Label { get; set; }
        public float[] Features { get; set; } = [];
    }

    /// <summary>Fits the linear model with ML.NET (SDCA, fixed seed, one thread) on standardised features; the target is the composite centred within its moment.</summary>
    public static TutoringModel Fit(IReadOnlyList<Reply> replies, string provenance, double spreadFactor = 1.0)
    {
        int n = TutoringQualityScorer.FeatureNames.Length;
        var mean = new double[n];
        var scale = new double[n];
        for (var j = 0; j < n; j++)
        {
            mean[j] = replies.Average(r => r.Features[j]);
            var sd = Math.Sqrt(replies.Average(r => (r.Features[j] - mean[j]) * (r.Features[j] - mean[j])));
            scale[j] = sd < 1e-9 ? 1 : sd;
        }
        int dims = UseEmbedding ? MiniLmEncoder.Dimensions : 0;
        var eMean = new double[dims];
        var eScale = new double[dims];
        for (var d = 0; d < dims; d++)
        {
            eMean[d] = replies.Average(r => r.Encoded.Vector[d]);
            eScale[d] = Math.Max(1e-6, Math.Sqrt(replies.Average(r => (r.Encoded.Vector[d] - eMean[d]) * (r.Encoded.Vector[d] - eMean[d]))));
        }
        var momentMean = replies.GroupBy(r => r.Moment).ToDictionary(g => g.Key, g => g.Average(r => r.Composite));
        var (terms, idf) = WordingScale > 0 ? Vocabulary(replies) : ([], []);
        var vocabulary = terms.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i, StringComparer.Ordinal);
        int width = n + dims + terms.Length;
        var rows = replies.Select(r =>
        {
            var x = new float[width];
            for (var j = 0; j < n; j++) x[j] = (float)((r.Features[j] - mean[j]) / scale[j]);
            for (var d = 0; d < dims; d++) x[n + d] = (float)((r.Encoded.Vector[d] - eMean[d]) / eScale[d]);
            foreach (var (index, value, _, _) in ReplyWording.Vector(r.Text, vocabulary, idf)) x[n + dims + index] = (float)(value * WordingScale);
            return new Row { Label = (float)(r.Composite - momentMean[r.Moment]), Features = x };
        }).ToList();
        var ml = new MLContext(seed: Seed);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        var trainer = ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options
        {
            LabelColumnName = nameof(Row.Label),
            FeatureColumnName = nameof(Row.Features),
            L2Regularization = L2,
            L1Regularization = 0,
            NumberOfThreads = 1,
            MaximumNumberOfIterations = 200,
            Shuffle = false,
        });
        var fitted = trainer.Fit(data).Model;
        var all = fitted.Weights.Select(w => (double)w).ToArray();
        var model = new TutoringModel(TutoringQualityScorer.FeatureNames, mean, scale, all[..n], fitted.Bias, 0, 1, provenance);
        if (dims > 0) model = model with { EmbeddingMean = eMean, EmbeddingScale = eScale, EmbeddingWeights = all[n..(n + dims)] };
        // The wording's weights apply to the unscaled TF-IDF values at run time.
        if (terms.Length > 0)
            model = model with { Wording = new WordingModel(terms, idf.Select(v => Math.Round(v, 6)).ToArray(), all[(n + dims)..].Select(w => Math.Round(w * WordingScale, 6)).ToArray()) };
        var predictions = replies.Select(r => model.Predict(r.Features, r.Encoded.Vector, r.Text, new double[model.ContributionCount])).ToList();
        var center = predictions.Average();
        var spread = Math.Sqrt(predictions.Average(p => (p - center) * (p - center))) * spreadFactor;
        return model with { Center = Math.Round(center, 6), Spread = Math.Round(Math.Max(spread, 1e-6), 6) };
    }

    /// <summary>
    /// Scale of the wording's TF-IDF columns beside the standardised features (0 leaves the wording out). The SDCA
    /// penalty is shared, so this sets how freely the terms may pull. Chosen on the same moment-grouped folds.
    /// </summary>
    public static double WordingScale = double.Parse(Environment.GetEnvironmentVariable("TT_WORDING_SCALE") ?? "3", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Terms said in replies to at least this many moments enter the vocabulary: a term of one moment only ("apples",
    /// "revenue") is that problem's topic, which says nothing about how to tutor.
    /// </summary>
    public static int WordingMinMoments = int.Parse(Environment.GetEnvironmentVariable("TT_WORDING_MIN_MOMENTS") ?? "5", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The wording vocabulary of the training replies (ordinal order) and each term's smoothed IDF over the replies.</summary>
    public static (string[] Terms, double[] Idf) Vocabulary(IReadOnlyList<Reply> replies)
    {
        var frequency = new Dictionary<string, int>(StringComparer.Ordinal);
        var moments = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        foreach (var r in replies)
            foreach (var term in ReplyWording.Terms(r.Text).Keys)
            {
                frequency[term] = frequency.GetValueOrDefault(term) + 1;
                (moments.TryGetValue(term, out var set) ? set : moments[term] = []).Add(r.Moment);
            }
        var terms = moments.Where(kv => kv.Value.Count >= WordingMinMoments).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToArray();
        return (terms, terms.Select(t => ReplyWording.Idf(replies.Count, frequency[t])).ToArray());
    }

    /// <summary>The general basis with the criterion's share set to <paramref name="share"/> and the rest split equally.</summary>
    public static RubricBasis WithShare(RubricBasis basis, double share)
    {
        var others = basis.Criteria.Count(c => c.Criterion.Key != TutoringQualityScorer.Key);
        var criteria = basis.Criteria
            .Where(c => share > 0 || c.Criterion.Key != TutoringQualityScorer.Key)
            .Select(c => c with { Criterion = c.Criterion with { Weight = c.Criterion.Key == TutoringQualityScorer.Key ? share : (1 - share) / others } })
            .ToList();
        return basis with { Criteria = criteria };
    }

    public static int Overall(RubricBasis basis, MoveCatalog catalog, Reply r, TutoringModel? model, IReadOnlyList<Moment> moments, MoveClassifier? hear = null)
    {
        TutoringResult? tutoring = null;
        if (model is not null)
        {
            Span<double> contributions = stackalloc double[model.ContributionCount];
            var prediction = model.Predict(r.Features, r.Encoded.Vector, r.Text, contributions);
            tutoring = new TutoringResult(Math.Round(model.ToScore(prediction), 1), null, "", true);
        }
        return JudgementComposer.JudgeAgainstRubric(basis, r.Encoded, r.Move, catalog, r.Uptake, r.Speaker, r.Last, tutoring: tutoring, hear: hear).Score;
    }

    /// <summary>Mean within-moment Spearman over moments that end on the student and whose replies the raters told apart.</summary>
    public static (double Mean, int Moments) WithinMoment(IReadOnlyList<Moment> moments, IEnumerable<(Reply Reply, double Score)> scored, Func<Moment, bool>? include = null)
    {
        var rhos = new List<double>();
        foreach (var g in scored.GroupBy(x => x.Reply.Moment))
        {
            var m = moments[g.Key];
            if (!m.EndsOnStudent || (include is not null && !include(m))) continue;
            var list = g.ToList();
            if (list.Count < 2) continue;
            var human = list.Select(x => x.Reply.Composite).ToArray();
            if (human.Distinct().Count() < 2) continue;
            var machine = list.Select(x => x.Score).ToArray();
            rhos.Add(machine.Distinct().Count() < 2 ? 0 : Spearman(machine, human));
        }
        return (rhos.Count == 0 ? double.NaN : rhos.Average(), rhos.Count);
    }

    public static double Spearman(double[] a, double[] b)
    {
        static double[] Ranks(double[] values)
        {
            var order = values.Select((v, i) => (v, i)).OrderBy(x => x.v).ToArray();
            var ranks = new double[values.Length];
            for (var i = 0; i < order.Length;)
            {
                var j = i;
                while (j + 1 < order.Length && order[j + 1].v == order[i].v) j++;
                for (var k = i; k <= j; k++) ranks[order[k].i] = (i + j) / 2.0 + 1;
                i = j + 1;
            }
            return ranks;
        }
        var ra = Ranks(a);
        var rb = Ranks(b);
        double ma = ra.Average(), mb = rb.Average(), num = 0, da = 0, db = 0;
        for (var i = 0; i < ra.Length; i++)
        {
            num += (ra[i] - ma) * (rb[i] - mb);
            da += (ra[i] - ma) * (ra[i] - ma);
            db += (rb[i] - mb) * (rb[i] - mb);
        }
        return num / Math.Sqrt(da * db);
    }

    /// <summary>Moment-grouped fold of each moment: a fixed shuffle, so every run splits the same way.</summary>
    public static int[] FoldOf(int momentCount)
    {
        var order = Enumerable.Range(0, momentCount).ToArray();
        new Random(Seed).Shuffle(order);
        var fold = new int[momentCount];
        for (var i = 0; i < order.Length; i++) fold[order[i]] = i % Folds;
        return fold;
    }

    public static async Task RunAsync(string dataDirectory, string modelPath, TextWriter output)
    {
        using var services = EvaluationServices.CreateInProcess();
        var encoder = services.GetRequiredService<ReplyEncoder>();
        var catalog = services.GetRequiredService<MoveCatalog>();
        var classifier = await services.GetRequiredService<MoveClassifierProvider>().GetAsync(CancellationToken.None);
        var general = await services.GetRequiredService<RubricBasisCache>().GetGeneralAsync();
        var (moments, replies) = await LoadAsync(dataDirectory, encoder, classifier);
        output.WriteLine($"mrbench-dev: {moments.Count} moments ({moments.Count(m => m.EndsOnStudent)} end on the student), {replies.Count} rated replies");

        if (Environment.GetEnvironmentVariable("TT_EXPERIMENT") == "1") { TutoringFitExperiments.Run(moments, replies, output); return; }
        if (Environment.GetEnvironmentVariable("TT_TUTORING_DUMP") is { Length: > 0 } dump)
        {
            // For screening features outside the harness: one JSON line per rated reply (the fit itself never reads it).
            var noTutoring = WithShare(general, 0);
            await File.WriteAllLinesAsync(dump, replies.Select(r => JsonSerializer.Serialize(new
            {
                moment = r.Moment, source = moments[r.Moment].Source, endsOnStudent = moments[r.Moment].EndsOnStudent, composite = r.Composite,
                text = r.Text, last = r.Last, features = r.Features, vector = r.Encoded.Vector, uptake = r.Uptake?.Score,
                rest = Overall(noTutoring, catalog, r, null, moments), move = r.Move.Move,
            })));
        }
        bool V2(Moment m) => m.Source == "MRBench-V2";
        var fold = FoldOf(moments.Count);
        var spreads = new[] { 1.0 };
        // (share, spread) -> per-fold rho of the overall (all moments, V2 moments); plus the signal alone.
        var overall = new Dictionary<(double, double), List<(Reply, double)>>();
        var signal = new List<(Reply, double)>();
        var perFold = new Dictionary<(double, double), List<double>>();
        var signalPerFold = new List<double>();
        for (var f = 0; f < Folds; f++)
        {
            var train = replies.Where(r => fold[r.Moment] != f).ToList();
            var test = replies.Where(r => fold[r.Moment] == f).ToList();
            var foldSignal = new List<(Reply, double)>();
            foreach (var spreadFactor in spreads)
            {
                var model = Fit(train, $"fold {f}", spreadFactor);
                if (spreadFactor == 1.0)
                {
                    foreach (var r in test) foldSignal.Add((r, model.Predict(r.Features, r.Encoded.Vector, r.Text, new double[model.ContributionCount])));
                }
                foreach (var share in Weights)
                {
                    var basis = WithShare(general, share);
                    var scored = test.Select(r => (r, (double)Overall(basis, catalog, r, share > 0 ? model : null, moments, classifier))).ToList();
                    var key = (share, spreadFactor);
                    (overall.TryGetValue(key, out var list) ? list : overall[key] = []).AddRange(scored);
                    (perFold.TryGetValue(key, out var pf) ? pf : perFold[key] = []).Add(WithinMoment(moments, scored).Mean);
                }
            }
            signal.AddRange(foldSignal);
            signalPerFold.Add(WithinMoment(moments, foldSignal).Mean);
        }

        static string Sd(List<double> xs) { var m = xs.Average(); return Math.Sqrt(xs.Sum(x => (x - m) * (x - m)) / (xs.Count - 1)).ToString("F3"); }
        var (sAll, nAll) = WithinMoment(moments, signal);
        var (sV2, nV2) = WithinMoment(moments, signal, V2);
        output.WriteLine($"signal alone (5-fold by moment): rho {sAll:F3} over {nAll} moments (per-fold sd {Sd(signalPerFold)}); MRBench-V2 {sV2:F3} over {nV2}");
        var lengthBaseline = WithinMoment(moments, replies.Select(r => (r, r.Features[2])));
        output.WriteLine($"baseline reply length: rho {lengthBaseline.Mean:F3}");
        foreach (var ((share, spreadFactor), scored) in overall.OrderBy(k => k.Key.Item2).ThenBy(k => k.Key.Item1))
        {
            var (all, _) = WithinMoment(moments, scored);
            var (v2, _) = WithinMoment(moments, scored, V2);
            var pf = perFold[(share, spreadFactor)];
            output.WriteLine($"engine overall, share {share:F2}, spread x{spreadFactor}: rho {all:F3} (folds {string.Join(" ", pf.Select(x => x.ToString("F3")))}; sd {Sd(pf)}), MRBench-V2 {v2:F3}");
        }

        var final = Fit(replies, $"fit-tutoring on mrbench-dev.jsonl, {replies.Count} replies of {moments.Count} moments, SDCA L2 {L2}, seed {Seed}");
        Directory.CreateDirectory(Path.GetDirectoryName(modelPath)!);
        await File.WriteAllTextAsync(modelPath, JsonSerializer.Serialize(final, TutoringQualityScorer.JsonOptions) + "\n");
        output.WriteLine($"model written to {modelPath}");
        for (var j = 0; j < final.Features.Count; j++)
            output.WriteLine($"  {final.Features[j],-22} weight {final.Weights[j]:+0.0000;-0.0000;0.0000}");
    }
}

/// <summary>Model-family comparison on the signal alone (same folds): which ML.NET learner ranks within moments best.</summary>
public static class TutoringFitExperiments
{
    private sealed class Row
    {
        public float Label { get; set; }
        public uint Group { get; set; }
        public float[] Features { get; set; } = [];
    }

    public static void Run(IReadOnlyList<TutoringFit.Moment> moments, IReadOnlyList<TutoringFit.Reply> replies, TextWriter output)
    {
        var fold = TutoringFit.FoldOf(moments.Count);
        int n = replies[0].Features.Length;
        var ml = new MLContext(seed: TutoringFit.Seed);
        IDataView View(IEnumerable<TutoringFit.Reply> rs, bool rank)
        {
            var list = rs.ToList();
            var momentMean = list.GroupBy(r => r.Moment).ToDictionary(g => g.Key, g => g.Average(r => r.Composite));
            var rows = list.Select(r => new Row
            {
                Label = rank ? (float)Math.Round(r.Composite * 8) : (float)(r.Composite - momentMean[r.Moment]),
                Group = (uint)r.Moment + 1,
                Features = r.Features.Select(v => (float)v).ToArray(),
            }).ToList();
            var schema = SchemaDefinition.Create(typeof(Row));
            schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, n);
            schema[nameof(Row.Group)].ColumnType = new KeyDataViewType(typeof(uint), moments.Count + 1);
            return ml.Data.LoadFromEnumerable(rows, schema);
        }
        var learners = new (string Name, bool Rank, Func<IEstimator<ITransformer>> Make)[]
        {
            ("gam", false, () => ml.Regression.Trainers.Gam(new Microsoft.ML.Trainers.FastTree.GamRegressionTrainer.Options { LabelColumnName = "Label", FeatureColumnName = "Features", NumberOfIterations = 300, LearningRate = 0.02, NumberOfThreads = 1, MaximumBinCountPerFeature = 32 })),
            ("fasttree", false, () => ml.Regression.Trainers.FastTree(new Microsoft.ML.Trainers.FastTree.FastTreeRegressionTrainer.Options { LabelColumnName = "Label", FeatureColumnName = "Features", NumberOfTrees = 200, NumberOfLeaves = 8, LearningRate = 0.05, MinimumExampleCountPerLeaf = 20, NumberOfThreads = 1 })),
            ("lgbm-rank", true, () => ml.Ranking.Trainers.LightGbm(new Microsoft.ML.Trainers.LightGbm.LightGbmRankingTrainer.Options { LabelColumnName = "Label", FeatureColumnName = "Features", RowGroupColumnName = "Group", NumberOfIterations = 200, NumberOfLeaves = 8, LearningRate = 0.05, MinimumExampleCountPerLeaf = 20, NumberOfThreads = 1, Seed = TutoringFit.Seed, CustomGains = Enumerable.Range(0, 9).Select(i => i * i).ToArray() })),
        };
        foreach (var k in new[] { 10, 30, 80 })
        {
            var knn = new List<(TutoringFit.Reply, double)>();
            var centred = replies.GroupBy(r => r.Moment).SelectMany(g => g.Select(r => (r, c: r.Composite - g.Average(x => x.Composite)))).ToDictionary(x => x.r, x => x.c);
            foreach (var r in replies)
            {
                var near = replies.Where(o => fold[o.Moment] != fold[r.Moment])
                    .Select(o => (o, s: (double)ApiService.Evaluation.VectorMath.Dot(r.Encoded.Vector, o.Encoded.Vector)))
                    .OrderByDescending(x => x.s).Take(k).ToList();
                knn.Add((r, near.Sum(x => Math.Exp(x.s / 0.05) * centred[x.o]) / near.Sum(x => Math.Exp(x.s / 0.05))));
            }
            output.WriteLine($"knn {k}: signal alone rho {TutoringFit.WithinMoment(moments, knn).Mean:F3}");
        }
        for (var j = 0; j < n; j++)
            output.WriteLine($"  univariate {TeacherTrainer.ApiService.Evaluation.TutoringQualityScorer.FeatureNames[j]}: {TutoringFit.WithinMoment(moments, replies.Select(r => (r, r.Features[j]))).Mean:F3}");
        foreach (var (name, rank, make) in learners)
        {
            var scored = new List<(TutoringFit.Reply, double)>();
            for (var f = 0; f < TutoringFit.Folds; f++)
            {
                var train = replies.Where(r => fold[r.Moment] != f).ToList();
                var test = replies.Where(r => fold[r.Moment] == f).ToList();
                var model = make().Fit(View(train, rank));
                var predicted = model.Transform(View(test, rank)).GetColumn<float>("Score").ToArray();
                scored.AddRange(test.Select((r, i) => (r, (double)predicted[i])));
            }
            var (rho, count) = TutoringFit.WithinMoment(moments, scored);
            output.WriteLine($"{name}: signal alone rho {rho:F3} over {count} moments");
        }
    }
}
