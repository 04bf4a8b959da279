using Microsoft.Extensions.DependencyInjection;
using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.ApiService.Scenarios;
using System.Diagnostics;
using TeacherTrainer.ApiService.AI;
using TeacherTrainer.ApiService.Simulation;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Benchmarks.Quality;

/// <summary>
/// How well the move classifier reads replies (dotnet run -c Release --project TeacherTrainer.Benchmarks -- moves):
/// 5-fold cross-validation on the catalog's examples (fixed folds: the j-th example of each move sits in
/// fold j mod 5) for the regularisation and the harmful-odds factor, then the shipped classifier on the
/// held-out files written apart from the catalog (TeacherTrainer.Tests/TestData/move-holdout.tsv and
/// sincere-replies.tsv): per-move precision and recall, accuracy, sincere-to-harmful rate, harmful recall.
/// </summary>
public static class MoveReport
{
    private const int Folds = 5;
    private static readonly float[] L2Grid = [0.003f, 0.01f, 0.1f];
    /// <summary>The calibration rule: the out-of-fold share of sincere examples read as harmful stays at or under this; within it, the best harmful recall.</summary>
    private const double SincereToHarmfulCeiling = 0.02;
    private static readonly double[] HarmfulFactorGrid = [1.0, 0.7, 0.5, 0.35, 0.25, 0.15, 0.1];

    public static async Task RunAsync(TextWriter output)
    {
        using var embeddings = new EmbeddedMiniLmGenerator();
        var catalog = new MoveCatalog();

        await embeddings.GenerateAsync(["warm-up"]);
        var startup = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var shipped = await MoveClassifier.CreateAsync(catalog, embeddings, CancellationToken.None);
        output.WriteLine($"Start-up (embed {MoveClassifier.TrainingExamples(catalog).Count} examples + train): {startup.Elapsed.TotalSeconds:F1} s wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F1} s CPU");

        var examples = MoveClassifier.TrainingExamples(catalog);
        var texts = examples.Select(e => e.Text).ToList();
        var labels = examples.Select(e => e.Label).ToList();
        var embedding = Stopwatch.StartNew();
        var vectors = await MoveClassifier.EmbedAsync(embeddings, texts, CancellationToken.None);
        output.WriteLine($"  embedding alone: {embedding.Elapsed.TotalSeconds:F1} s wall; one training alone: {Time(() => MoveClassifier.Train(texts, vectors, labels)).TotalSeconds:F1} s wall");
        var folds = FoldOf(labels);

        output.WriteLine();
        output.WriteLine($"5-fold cross-validation on the catalog ({texts.Count} examples; fold = index within its move mod 5):");
        output.WriteLine("  L2      harmful x  accuracy  sincere->harmful  harmful recall (any harmful)");
        var candidates = new List<(float L2, double Factor, double Accuracy, double FalseHarm, double HarmRecall)>();
        foreach (var l2 in L2Grid)
        {
            var outOfFold = OutOfFold(texts, vectors, labels, folds, l2);
            foreach (var factor in HarmfulFactorGrid)
            {
                var predicted = outOfFold.Select(p => ArgMax(MoveClassifier.Calibrate(p, factor))).ToList();
                var (accuracy, falseHarm, harmRecall) = Summary(labels, predicted);
                candidates.Add((l2, factor, accuracy, falseHarm, harmRecall));
                var mark = l2 == MoveClassifier.L2Regularization && factor == MoveClassifier.HarmfulOddsFactor ? "  <- shipped" : "";
                output.WriteLine($"  {l2,-7} {factor,-10} {accuracy,8:F3}  {falseHarm,16:F3}  {harmRecall,14:F3}{mark}");
            }
        }

        // The old classifier's similarity-weighted 5-nearest-neighbour vote, blended in half and half: kept only if it helps out of fold.
        var blended = OutOfFold(texts, vectors, labels, folds, MoveClassifier.L2Regularization)
            .Select((p, i) => Blend(p, NeighbourVote(vectors[i], Enumerable.Range(0, texts.Count).Where(j => folds[j] != folds[i]).ToList(), vectors, labels))).ToList();
        foreach (var factor in HarmfulFactorGrid)
        {
            var (accuracy, falseHarm, harmRecall) = Summary(labels, blended.Select(p => ArgMax(MoveClassifier.Calibrate(p, factor))).ToList());
            output.WriteLine($"  {MoveClassifier.L2Regularization}+5NN {factor,-10} {accuracy,8:F3}  {falseHarm,16:F3}  {harmRecall,14:F3}");
        }

        var chosen = candidates.Where(c => c.FalseHarm <= SincereToHarmfulCeiling).OrderByDescending(c => c.HarmRecall).ThenByDescending(c => c.Accuracy).First();
        output.WriteLine($"  rule (sincere->harmful <= {SincereToHarmfulCeiling}, then best harmful recall) chooses L2 {chosen.L2}, harmful x {chosen.Factor}: accuracy {chosen.Accuracy:F3}, sincere->harmful {chosen.FalseHarm:F3}, harmful recall {chosen.HarmRecall:F3}");

        var holdout = ReadTsv("move-holdout.tsv").Select(r => (Label: Array.IndexOf(Moves.All, r.Kind), r.Text)).ToList();
        var sincere = ReadTsv("sincere-replies.tsv");
        var holdoutPredicted = await PredictAsync(shipped, embeddings, holdout.Select(h => h.Text).ToList());
        var holdoutVectors = await MoveClassifier.EmbedAsync(embeddings, holdout.Select(h => h.Text).ToList(), CancellationToken.None);
        var scoring = Stopwatch.StartNew();
        for (var round = 0; round < 10; round++)
        {
            for (var i = 0; i < holdout.Count; i++) shipped.Classify(holdout[i].Text, holdoutVectors[i]);
        }
        output.WriteLine($"Scoring alone (embedding given): {scoring.Elapsed.TotalMilliseconds * 1000 / (10.0 * holdout.Count):F0} us per reply");
        var truth = holdout.Select(h => h.Label).ToList();

        output.WriteLine();
        output.WriteLine($"Held-out replies (move-holdout.tsv, {holdout.Count}), shipped classifier (L2 {MoveClassifier.L2Regularization}, harmful x {MoveClassifier.HarmfulOddsFactor}):");
        output.WriteLine("  move                precision  recall  n");
        for (var c = 0; c < Moves.All.Length; c++)
        {
            var tp = truth.Where((t, i) => t == c && holdoutPredicted[i] == c).Count();
            var predictedAs = holdoutPredicted.Count(p => p == c);
            var actual = truth.Count(t => t == c);
            output.WriteLine($"  {Moves.All[c],-19} {(predictedAs == 0 ? 0 : tp / (double)predictedAs),9:F3}  {(actual == 0 ? 0 : tp / (double)actual),6:F3}  {actual}");
        }
        var (holdoutAccuracy, holdoutFalseHarm, holdoutHarmRecall) = Summary(truth, holdoutPredicted);
        output.WriteLine($"  accuracy {holdoutAccuracy:F3}; sincere->harmful {holdoutFalseHarm:F3}; harmful recall {holdoutHarmRecall:F3}");

        var sincerePredicted = await PredictAsync(shipped, embeddings, sincere.Select(s => s.Text).ToList());
        var sincereRows = sincere.Select((s, i) => (s.Kind, s.Text, Move: Moves.All[sincerePredicted[i]])).ToList();
        var sincereOnly = sincereRows.Where(r => r.Kind == "sincere").ToList();
        var harmfulOnly = sincereRows.Where(r => r.Kind == "harmful").ToList();
        output.WriteLine();
        output.WriteLine($"Sincere and harmful replies (sincere-replies.tsv): sincere->harmful {sincereOnly.Count(r => Moves.IsHarmful(r.Move))}/{sincereOnly.Count} = {sincereOnly.Count(r => Moves.IsHarmful(r.Move)) / (double)sincereOnly.Count:F3}; harmful recall {harmfulOnly.Count(r => Moves.IsHarmful(r.Move))}/{harmfulOnly.Count} = {harmfulOnly.Count(r => Moves.IsHarmful(r.Move)) / (double)harmfulOnly.Count:F3}");
        foreach (var miss in sincereRows.Where(r => (r.Kind == "sincere") == Moves.IsHarmful(r.Move)))
        {
            output.WriteLine($"  {miss.Kind} heard as {miss.Move}: {miss.Text}");
        }
        // As the judge hears them: a harmful reading below MoveClassifier.HarmStandsAlone of a reply of several clauses
        // stands only when one clause, read on its own, is harmful too, and one no clause bears out survives the names taken out (MoveClassifier.HearAsync).
        using (var services = EvaluationServices.CreateInProcess())
        {
            var encoder = services.GetRequiredService<ReplyEncoder>();
            var holdoutHeard = new List<int>();
            foreach (var (_, text) in holdout) holdoutHeard.Add(Array.IndexOf(Moves.All, (await shipped.HearAsync(await encoder.EncodeReplyAsync(text, CancellationToken.None), encoder.EncodeReplyAsync, CancellationToken.None)).Move));
            var (heardAccuracy, heardFalseHarm, heardHarmRecall) = Summary(truth, holdoutHeard);
            var offers = Array.IndexOf(Moves.All, Moves.OfferChoice);
            output.WriteLine($"  held-out replies as the judge hears them (MoveClassifier.Hear): accuracy {heardAccuracy:F3}; sincere->harmful {heardFalseHarm:F3}; harmful recall {heardHarmRecall:F3}; offer-choice recall {truth.Where((t, i) => t == offers && holdoutHeard[i] == offers).Count()}/{truth.Count(t => t == offers)}");
            var heardRows = new List<(string Kind, string Text, string Move)>();
            foreach (var (kind, text) in sincere) heardRows.Add((kind, text, (await shipped.HearAsync(await encoder.EncodeReplyAsync(text, CancellationToken.None), encoder.EncodeReplyAsync, CancellationToken.None)).Move));
            var heardSincere = heardRows.Where(r => r.Kind == "sincere").ToList();
            var heardHarmful = heardRows.Where(r => r.Kind == "harmful").ToList();
            output.WriteLine($"  as the judge hears them (each clause of a reply read on its own, MoveClassifier.Hear): sincere->harmful {heardSincere.Count(r => Moves.IsHarmful(r.Move))}/{heardSincere.Count}; harmful recall {heardHarmful.Count(r => Moves.IsHarmful(r.Move))}/{heardHarmful.Count}");
            foreach (var (row, heard) in sincereRows.Zip(heardRows).Where(x => x.First.Move != x.Second.Move))
            {
                output.WriteLine($"    {row.Kind} {row.Move} -> {heard.Move}: {row.Text}");
            }
            output.WriteLine("  sincere replies the judge hears as harmful:");
            foreach (var row in heardSincere.Where(r => Moves.IsHarmful(r.Move))) output.WriteLine($"    heard as {row.Move}: {row.Text}");
        }
        output.WriteLine();
        output.WriteLine("Required cases (issue 9):");
        string[] required = [RequiredCases.Andre, "ok", "You clearly know your maths.", RequiredCases.PetDeath, "You're an idiot."];
        var requiredVectors = await embeddings.GenerateAsync(required);
        for (var i = 0; i < required.Length; i++)
        {
            var result = shipped.Classify(required[i], requiredVectors[i].Vector.Span);
            var raw = shipped.RawProbabilities(required[i], requiredVectors[i].Vector.Span);
            var top = string.Join(", ", Moves.All.Select((m, c) => (m, p: raw[c])).OrderByDescending(x => x.p).Take(3).Select(x => $"{x.m} {x.p:F2}"));
            output.WriteLine($"  {result.Move} ({result.Confidence:F2}; raw {top}): {required[i]}");
        }

        output.WriteLine();
        output.WriteLine("Held-out misses:");
        for (var i = 0; i < holdout.Count; i++)
        {
            if (holdoutPredicted[i] != truth[i]) output.WriteLine($"  {Moves.All[truth[i]]} -> {Moves.All[holdoutPredicted[i]]}: {holdout[i].Text}");
        }
    }

    private static double[] NeighbourVote(float[] query, IReadOnlyList<int> pool, IReadOnlyList<float[]> vectors, IReadOnlyList<int> labels)
    {
        var nearest = pool.Select(j => (Similarity: Dot(query, vectors[j]), Label: labels[j])).OrderByDescending(x => x.Similarity).ThenBy(x => x.Label).Take(5).ToList();
        var votes = new double[Moves.All.Length];
        foreach (var (similarity, label) in nearest) votes[label] += Math.Exp((similarity - nearest[0].Similarity) / 0.05);
        var total = votes.Sum();
        return votes.Select(v => v / total).ToArray();
    }

    private static double Dot(float[] a, float[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    private static double[] Blend(double[] a, double[] b) => a.Select((p, i) => 0.5 * p + 0.5 * b[i]).ToArray();

    private static TimeSpan Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed;
    }

    private static int[] FoldOf(IReadOnlyList<int> labels)
    {
        var seen = new int[Moves.All.Length];
        return labels.Select(l => seen[l]++ % Folds).ToArray();
    }

    private static double[][] OutOfFold(IReadOnlyList<string> texts, IReadOnlyList<float[]> vectors, IReadOnlyList<int> labels, int[] folds, float l2)
    {
        var result = new double[texts.Count][];
        for (var f = 0; f < Folds; f++)
        {
            var train = Enumerable.Range(0, texts.Count).Where(i => folds[i] != f).ToList();
            var model = MoveClassifier.Train(train.Select(i => texts[i]).ToList(), train.Select(i => vectors[i]).ToList(), train.Select(i => labels[i]).ToList(), 1.0, l2);
            foreach (var i in Enumerable.Range(0, texts.Count).Where(i => folds[i] == f))
            {
                result[i] = model.RawProbabilities(texts[i], vectors[i]);
            }
        }
        return result;
    }

    private static (double Accuracy, double SincereToHarmful, double HarmfulRecall) Summary(IReadOnlyList<int> truth, IReadOnlyList<int> predicted)
    {
        bool Harmful(int c) => Moves.IsHarmful(Moves.All[c]);
        var sincere = Enumerable.Range(0, truth.Count).Where(i => !Harmful(truth[i])).ToList();
        var harmful = Enumerable.Range(0, truth.Count).Where(i => Harmful(truth[i])).ToList();
        return (truth.Where((t, i) => predicted[i] == t).Count() / (double)truth.Count,
            sincere.Count(i => Harmful(predicted[i])) / (double)Math.Max(1, sincere.Count),
            harmful.Count(i => Harmful(predicted[i])) / (double)Math.Max(1, harmful.Count));
    }

    private static async Task<List<int>> PredictAsync(MoveClassifier classifier, EmbeddedMiniLmGenerator embeddings, IReadOnlyList<string> texts)
    {
        var vectors = await embeddings.GenerateAsync(texts);
        return texts.Select((t, i) => Array.IndexOf(Moves.All, classifier.Classify(t, vectors[i].Vector.Span).Move)).ToList();
    }

    private static int ArgMax(double[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    private static List<(string Kind, string Text)> ReadTsv(string name)
        => File.ReadAllLines(Path.Combine(TestEnvironment.RepositoryRoot, "TeacherTrainer.Tests", "TestData", name))
            .Select(l => l.Split('\t')).Where(p => p.Length == 2).Select(p => (p[0], p[1])).ToList();
}

/// <summary>The replies issue 9 names, word for word.</summary>
public static class RequiredCases
{
    public const string Andre = "Thank you for coming in straight off your shift, Andre. I can hear how hard it is to see Kayla in tears, and you clearly know your maths. Can you tell me what happened at the table last night?";
    public const string PetDeath = "Biscuit died yesterday. His body was old and stopped working, and he can't come back. It's okay to be sad, and you can talk to me about him whenever you want.";
}

