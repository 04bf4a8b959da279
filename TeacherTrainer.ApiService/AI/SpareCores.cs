using System.Globalization;

namespace TeacherTrainer.ApiService.AI;

/// <summary>
/// Whether the machine's cores are free of other processes' work right now (Linux: /proc/stat less this
/// process's own time, sampled every quarter second). A forward pass split across the cores is only as
/// fast as its slowest thread: when another process holds a core, the pass waits for it at every
/// operator and takes many times longer than on one core (measured on the shared development machine:
/// p95 of a lone judgement from 15 ms to almost 1 s). So <see cref="MiniLmEncoder"/> splits a pass only
/// while the cores are spare. Where /proc cannot be read, the cores are never reported spare.
/// </summary>
public sealed class SpareCores : IDisposable
{
    /// <summary>Other processes may use at most this much of one core for the cores to count as spare.</summary>
    public const double OthersAllowance = 0.35;
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(250);

    private readonly Timer? _timer;
    private readonly int _cores = Environment.ProcessorCount;
    private (long Busy, long Total, long Self) _last;
    private volatile bool _spare;

    public SpareCores()
    {
        if (Read() is not { } first) return;
        _last = first;
        _timer = new Timer(_ => Sample(), null, Period, Period);
    }

    /// <summary>True when, over the last quarter second, other processes left the cores (nearly) idle.</summary>
    public bool Available => _spare;

    /// <summary>Cores' worth of other processes' work over the last sample (for the benchmarks' reports).</summary>
    public double OthersBusyCores { get; private set; } = double.NaN;

    private readonly object _sampling = new();

    private void Sample()
    {
        if (!Monitor.TryEnter(_sampling)) return;
        try
        {
            SampleOnce();
        }
        finally
        {
            Monitor.Exit(_sampling);
        }
    }

    private void SampleOnce()
    {
        if (Read() is not { } now) return;
        var (busy, total, self) = (now.Busy - _last.Busy, now.Total - _last.Total, now.Self - _last.Self);
        _last = now;
        if (total <= 0) return;
        // Jiffies summed over every core: a core's worth of work over the interval is total / cores.
        var others = Math.Max(0, busy - self) * _cores / (double)total;
        OthersBusyCores = others;
        _spare = others <= OthersAllowance;
    }

    private static (long Busy, long Total, long Self)? Read()
    {
        try
        {
            // "cpu  user nice system idle iowait irq softirq steal ...": idle and iowait are free time.
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Skip(1).Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var total = fields.Sum();
            var busy = total - fields[3] - fields[4];
            // /proc/self/stat: utime and stime are the 14th and 15th fields; the command name (2nd) may hold spaces.
            var stat = File.ReadAllText("/proc/self/stat");
            var after = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var self = long.Parse(after[11], CultureInfo.InvariantCulture) + long.Parse(after[12], CultureInfo.InvariantCulture);
            return (busy, total, self);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException or InvalidOperationException)
        {
            return null;
        }
    }

    public void Dispose() => _timer?.Dispose();
}
