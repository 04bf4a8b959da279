using System.Diagnostics;
using System.Net;
using TeacherTrainer.Tests.Fixtures;

namespace TeacherTrainer.Benchmarks.Load;

/// <summary>
/// What the load run measures, started by it on loopback: a private redis-server on a free port,
/// a fresh PostgreSQL database on the machine's server (dropped afterwards), and the ApiService
/// (its Release build) as its own process in embedded AI mode. Redis, ports and databases come
/// from the test fixtures (linked in), so both start them the same way.
/// </summary>
public sealed class ServicesUnderTest : IAsyncDisposable
{
    public const string AdminEmail = "admin@perf.local";
    public static readonly string AdminPassword = $"Tt-{Guid.NewGuid():N}";

    private readonly List<Process> _processes = [];
    public string DatabaseConnectionString { get; private set; } = "";
    public PrivateRedis Redis { get; } = new();
    public Uri ApiAddress { get; private set; } = null!;
    public Process Api { get; private set; } = null!;

    /// <summary>Starts the ApiService's Release build and waits until /health answers (migrations and seeding done).</summary>
    private readonly TaskCompletionSource _warmedUp = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Waits until the API has built what its first judgements need (PracticeWarmUp's log line), as a
    /// server that has been up a while has: the figures are of the steady state, not of start-up.
    /// </summary>
    public async Task<TimeSpan> WaitForWarmUpAsync(TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        await _warmedUp.Task.WaitAsync(timeout);
        return waited.Elapsed;
    }

    public async Task StartApiAsync(IReadOnlyDictionary<string, string> extraSettings)
    {
        DatabaseConnectionString = await TestEnvironment.CreateDatabaseAsync("perf_api");
        ApiAddress = new Uri($"http://127.0.0.1:{PrivateServices.FreePort()}");
        var directory = Path.Combine(TestEnvironment.RepositoryRoot, "TeacherTrainer.ApiService", "bin", "Release", "net10.0");
        var executable = Path.Combine(directory, "TeacherTrainer.ApiService.dll");
        if (!File.Exists(executable)) throw new FileNotFoundException("Build the ApiService in Release first (scripts/perf.sh does).", executable);
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = ApiAddress.ToString(),
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__teacherdb"] = DatabaseConnectionString,
            ["ConnectionStrings__cache"] = Redis.ConnectionString,
            ["AI__Provider"] = "Embedded",
            ["Jwt__SigningKey"] = $"{Guid.NewGuid():N}{Guid.NewGuid():N}",
            ["Bootstrap__AdminEmail"] = AdminEmail,
            ["Bootstrap__AdminPassword"] = AdminPassword,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__TeacherTrainer.ApiService.Scenarios.ScenarioLibrarySeeder"] = "Information",
            ["Logging__LogLevel__TeacherTrainer.ApiService.Practice.PracticeWarmUp"] = "Information",
        };
        foreach (var (key, value) in extraSettings) environment[key] = value;
        Api = Start("dotnet", [executable], environment, workingDirectory: directory);
        using var http = new HttpClient { BaseAddress = ApiAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(5))
        {
            if (Api.HasExited) throw new InvalidOperationException($"The API exited with code {Api.ExitCode} during start-up.");
            try
            {
                if ((await http.GetAsync("/alive")).IsSuccessStatusCode && (await http.GetAsync("/health")).StatusCode != HttpStatusCode.ServiceUnavailable) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(500);
        }
        throw new TimeoutException("The API did not become healthy in 5 minutes.");
    }

    /// <summary>Resident set size of a process in MiB (from /proc).</summary>
    public static double RssMiB(Process process)
    {
        var line = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>CPU seconds a process has used (user + system, from /proc).</summary>
    public static double CpuSeconds(Process process)
    {
        var fields = File.ReadAllText($"/proc/{process.Id}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // Fields after the command: state is [0], utime is [11], stime is [12] (clock ticks, 100 a second here).
        return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / 100.0;
    }

    private Process Start(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        var info = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) info.Environment[key] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            Console.WriteLine($"  [api] {e.Data}");
            if (e.Data.Contains("Evaluation warmed up", StringComparison.Ordinal)) _warmedUp.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.WriteLine($"  [{Path.GetFileName(file)}] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        // Only the processes this run started, by their own handles.
        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }
            }
            catch (InvalidOperationException)
            {
            }
            process.Dispose();
        }
        await Redis.DisposeAsync();
        if (DatabaseConnectionString.Length > 0) await TestEnvironment.DropDatabaseAsync(DatabaseConnectionString);
    }
}
