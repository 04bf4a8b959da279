using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MathNet.Numerics.Statistics;
using TeacherTrainer.ApiService.AI;
using TeacherTrainer.ApiService.Evaluation;

namespace TeacherTrainer.Benchmarks.Quality;

/// <summary>
/// The plain baselines the rated data's README names, recomputed here so the engine's figures
/// (measured through the API by the quality tests) are compared with numbers from the same model
/// and the same data: word overlap and embedding cosine for uptake; for Bridge, the original
/// design's max-of-5, the 20-neighbour contrast, and "longer reply wins".
/// </summary>
public static partial class Baselines
{
    [GeneratedRegex("[a-z0-9]+(?:['’][a-z]+)?")]
    private static partial Regex Word();

    public static void Run(string dataDirectory, TextWriter output)
    {
        using var encoder = new MiniLmEncoder();
        var uptake = File.ReadLines(Path.Combine(dataDirectory, "uptake-dev.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        var students = uptake.Select(r => r["student"]!.GetValue<string>()).ToList();
        var teachers = uptake.Select(r => r["teacher"]!.GetValue<string>()).ToList();
        var z = uptake.Select(r => r["uptake_zscore"]!.GetValue<double>()).ToArray();
        var overlap = students.Zip(teachers, Overlap).ToArray();
        var sv = encoder.Encode(students);
        var tv = encoder.Encode(teachers);
        var cosine = sv.Zip(tv, (a, b) => VectorMath.Dot(a, b)).ToArray();
        output.WriteLine($"uptake-dev ({uptake.Count}): word overlap rho {Correlation.Spearman(overlap, z):F3}; embedding cosine rho {Correlation.Spearman(cosine, z):F3}");

        var train = File.ReadLines(Path.Combine(dataDirectory, "bridge-train.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        var validation = File.ReadLines(Path.Combine(dataDirectory, "bridge-validation.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        static string ContextText(JsonNode row) => CollectionStore.ContextText(row["context"]!.AsArray()
            .Select(t => new ContextTurn(t!["speaker"]!.GetValue<string>(), t["text"]!.GetValue<string>())).ToList());
        var trainContext = encoder.Encode(train.Select(ContextText).ToList());
        var trainExpert = encoder.Encode(train.Select(r => r["expert"]!.GetValue<string>()).ToList());
        var trainNovice = encoder.Encode(train.Select(r => r["novice"]!.GetValue<string>()).ToList());
        int max5 = 0, contrast20 = 0, longer = 0;
        foreach (var row in validation)
        {
            var context = encoder.Encode([ContextText(row)])[0];
            var expert = encoder.Encode([row["expert"]!.GetValue<string>()])[0];
            var novice = encoder.Encode([row["novice"]!.GetValue<string>()])[0];
            var nearest = Enumerable.Range(0, train.Count).OrderByDescending(i => VectorMath.Dot(context, trainContext[i])).ToList();
            double Max5(float[] reply) => nearest.Take(5).Max(i => VectorMath.Dot(reply, trainExpert[i]));
            double Contrast(float[] reply) => nearest.Take(20).Average(i => VectorMath.Dot(reply, trainExpert[i]) - VectorMath.Dot(reply, trainNovice[i]));
            if (Max5(expert) > Max5(novice)) max5++;
            if (Contrast(expert) > Contrast(novice)) contrast20++;
            if (row["expert"]!.GetValue<string>().Length > row["novice"]!.GetValue<string>().Length) longer++;
        }
        output.WriteLine($"bridge-validation ({validation.Count}): max-of-5 {max5 / (double)validation.Count:F3}; contrast-20 {contrast20 / (double)validation.Count:F3}; longer wins {longer / (double)validation.Count:F3}");
    }

    /// <summary>Share of the student's distinct words that the teacher's reply repeats.</summary>
    public static double Overlap(string student, string teacher)
    {
        var studentWords = Word().Matches(student.ToLowerInvariant()).Select(m => m.Value).Distinct().ToList();
        if (studentWords.Count == 0) return 0;
        var teacherWords = Word().Matches(teacher.ToLowerInvariant()).Select(m => m.Value).ToHashSet();
        return studentWords.Count(teacherWords.Contains) / (double)studentWords.Count;
    }
}
