using System.Collections.Concurrent;

namespace TeacherTrainer.Benchmarks.Load;

/// <summary>Latencies of one kind of request (milliseconds), the failures, and the Server-Timing phases.</summary>
public sealed class LatencyRecorder
{
    private readonly ConcurrentQueue<double> _latencies = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<double>> _phases = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, int> _failures = new();

    public void Record(double milliseconds) => _latencies.Enqueue(milliseconds);

    public void Fail(int status) => _failures.AddOrUpdate(status, 1, (_, n) => n + 1);

    /// <summary>Adds each <c>name;dur=x</c> entry of a Server-Timing header.</summary>
    public void RecordServerTiming(string? header)
    {
        if (string.IsNullOrEmpty(header)) return;
        foreach (var entry in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = entry.Split(';', StringSplitOptions.TrimEntries);
            var duration = parts.FirstOrDefault(p => p.StartsWith("dur=", StringComparison.Ordinal));
            if (duration is null || !double.TryParse(duration[4..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var ms)) continue;
            _phases.GetOrAdd(parts[0], _ => new ConcurrentQueue<double>()).Enqueue(ms);
        }
    }

    public LatencySummary Summarise(TimeSpan window)
    {
        var sorted = _latencies.ToArray();
        Array.Sort(sorted);
        var phases = _phases.ToDictionary(p => p.Key, p =>
        {
            var values = p.Value.ToArray();
            Array.Sort(values);
            return new PhaseSummary(values.Length == 0 ? 0 : values.Average(), Percentile(values, 0.5), Percentile(values, 0.95));
        });
        return new LatencySummary(sorted.Length, _failures.Values.Sum(), sorted.Length / window.TotalSeconds,
            Percentile(sorted, 0.5), Percentile(sorted, 0.95), Percentile(sorted, 0.99), sorted.Length == 0 ? 0 : sorted[^1],
            sorted.Length == 0 ? 0 : sorted.Average(), phases, _failures.ToDictionary(f => f.Key, f => f.Value));
    }

    public static double Percentile(double[] sorted, double p)
    {
        if (sorted.Length == 0) return 0;
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }
}

public sealed record PhaseSummary(double Mean, double P50, double P95);

public sealed record LatencySummary(
    int Count, int Failed, double PerSecond, double P50, double P95, double P99, double Max, double Mean,
    IReadOnlyDictionary<string, PhaseSummary> Phases, IReadOnlyDictionary<int, int> FailuresByStatus);
