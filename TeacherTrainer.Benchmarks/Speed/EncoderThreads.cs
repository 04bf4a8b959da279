using System.Diagnostics;
using System.Text.Json.Nodes;
using TeacherTrainer.ApiService.AI;
using TeacherTrainer.ApiService.Evaluation;

namespace TeacherTrainer.Benchmarks.Speed;

/// <summary>
/// <c>encoder-threads</c>: one forward pass of the JudgementBenchmarks replies on one core, and split across
/// two with ONNX Runtime's threads spinning or not, interleaved call by call so drift in the machine's load
/// hits all three alike (docs/evaluation.md, "Speed").
/// </summary>
public static class EncoderThreads
{
    public static Task RunAsync(string dataDirectory, TextWriter output)
    {
        var variants = new (string Label, MiniLmEncoder Encoder)[]
        {
            ("1 thread", new MiniLmEncoder(1, 1, widePasses: WidePasses.Never)),
            ("2 threads, spinning", new MiniLmEncoder(2, 1, widePasses: WidePasses.Never)),
            ("2 threads, no spinning", new MiniLmEncoder(2, 1, allowSpinning: false, widePasses: WidePasses.Never)),
        };
        output.WriteLine($"load {File.ReadAllText("/proc/loadavg").Trim()}");
        foreach (var (label, reply) in JudgementBenchmarks.Replies)
        {
            var spans = ClauseSplitter.Split(reply);
            var times = variants.Select(_ => new List<double>()).ToArray();
            for (var i = -20; i < 300; i++)
            {
                for (var v = 0; v < variants.Length; v++)
                {
                    var t = Stopwatch.GetTimestamp();
                    variants[v].Encoder.EncodeWithSpans(reply, spans);
                    if (i >= 0) times[v].Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                }
            }
            for (var v = 0; v < variants.Length; v++)
                output.WriteLine($"  {label}, {variants[v].Label,-24} p50 {JudgementProfile.Percentile(times[v], 0.5),7:F3} p95 {JudgementProfile.Percentile(times[v], 0.95),7:F3} ms");
        }
        output.WriteLine($"load {File.ReadAllText("/proc/loadavg").Trim()}");
        foreach (var v in variants) v.Encoder.Dispose();
        return Task.CompletedTask;
    }
}
