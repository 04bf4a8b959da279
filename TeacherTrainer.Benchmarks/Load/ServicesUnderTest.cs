using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace TeacherTrainer.Benchmarks.Load;

/// <summary>
/// What the load run measures, started by it on loopback: a private redis-server on a free port,
/// a fresh PostgreSQL database on the machine's server (dropped afterwards), and the ApiService
/// (its Release build) as its own process in embedded AI mode.
/// </summary>
public sealed class ServicesUnderTest : IAsyncDisposable
{
    public const string AdminEmail = "admin@perf.local";
    public static readonly string AdminPassword = $"Tt-{Guid.NewGuid():N}";

    private readonly List<Process> _processes = [];
    public string DatabaseConnectionString { get; private set; } = "";
    public string AdminConnectionString { get; }
    public int RedisPort { get; private set; }
    public Uri ApiAddress { get; private set; } = null!;
    public Process Api { get; private set; } = null!;
    public Process Redis { get; private set; } = null!;

    public ServicesUnderTest(string adminConnectionString) => AdminConnectionString = adminConnectionString;

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task StartRedisAsync()
    {
        RedisPort = FreePort();
        Redis = Start("redis-server", ["--port", RedisPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--daemonize", "no"], new Dictionary<string, string>(), quiet: true);
        for (var i = 0; i < 50; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, RedisPort);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new InvalidOperationException("redis-server did not start");
    }

    public async Task<string> CreateDatabaseAsync(string purpose)
    {
        var name = $"tt_perf_{purpose}_{Guid.NewGuid():N}"[..(purpose.Length + 20)];
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using (var command = new NpgsqlCommand($"create database \"{name}\"", connection)) await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"drop database if exists \"{name}\" with (force)", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Starts the ApiService's Release build and waits until /health answers (migrations and seeding done).</summary>
    public async Task StartApiAsync(string repositoryRoot, IReadOnlyDictionary<string, string> extraSettings)
    {
        DatabaseConnectionString = await CreateDatabaseAsync("api");
        var port = FreePort();
        ApiAddress = new Uri($"http://127.0.0.1:{port}");
        var directory = Path.Combine(repositoryRoot, "TeacherTrainer.ApiService", "bin", "Release", "net10.0");
        var executable = Path.Combine(directory, "TeacherTrainer.ApiService.dll");
        if (!File.Exists(executable)) throw new FileNotFoundException("Build the ApiService in Release first (scripts/perf.sh does).", executable);
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = ApiAddress.ToString(),
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__teacherdb"] = DatabaseConnectionString,
            ["ConnectionStrings__cache"] = $"127.0.0.1:{RedisPort}",
            ["AI__Provider"] = "Embedded",
            ["Jwt__SigningKey"] = $"{Guid.NewGuid():N}{Guid.NewGuid():N}",
            ["Bootstrap__AdminEmail"] = AdminEmail,
            ["Bootstrap__AdminPassword"] = AdminPassword,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__TeacherTrainer.ApiService.Data.TeacherDbSeeder"] = "Information",
        };
        foreach (var (key, value) in extraSettings) environment[key] = value;
        Api = Start("dotnet", [executable], environment, quiet: false, workingDirectory: directory);
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

    private Process Start(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, bool quiet, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) info.Environment[key] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        process.OutputDataReceived += (_, e) => { if (!quiet && e.Data is not null) Console.WriteLine($"  [api] {e.Data}"); };
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
        if (DatabaseConnectionString.Length > 0) await DropDatabaseAsync(DatabaseConnectionString);
    }
}
