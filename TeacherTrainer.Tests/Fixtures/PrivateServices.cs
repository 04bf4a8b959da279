using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace TeacherTrainer.Tests.Fixtures;

/// <summary>
/// A redis-server of the test's own, on a free loopback port, that the test may stop and start
/// again (the machine's shared Redis is never touched). Only the process it started is killed.
/// </summary>
public sealed class PrivateRedis : IAsyncDisposable
{
    private Process? _process;

    public int Port { get; } = PrivateServices.FreePort();
    public string ConnectionString => $"127.0.0.1:{Port}";
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The redis-server while it runs (the load run reads its memory use).</summary>
    public Process? ServerProcess => _process;

    public async Task StartAsync()
    {
        var info = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            info.ArgumentList.Add(argument);
        }
        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await PrivateServices.WaitForPortAsync(Port, TimeSpan.FromSeconds(10));
    }

    /// <summary>Stops it abruptly, as a crash or a lost node would.</summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}

/// <summary>
/// A PostgreSQL 15 cluster of the test's own (Debian's pg_createcluster, on a free port, pgvector
/// enabled), so it can be restarted under load without disturbing the machine's shared server.
/// Needs root (CI runs as root) and the postgresql-15 and pgvector that scripts/local-services.sh installs.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    public const string Version = "15";
    private const string User = "faults";
    private readonly string _password = Guid.NewGuid().ToString("N");

    public string Name { get; } = $"tt_fault_{Guid.NewGuid():N}"[..20];
    public int Port { get; } = PrivateServices.FreePort();
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Database=teacherdb;Username={User};Password={_password}";
    private bool _created;

    /// <summary>Why this machine cannot run a private cluster; null when it can.</summary>
    public static string? Unavailable()
    {
        if (!OperatingSystem.IsLinux()) return "private PostgreSQL clusters need Linux";
        if (Environment.UserName != "root") return "pg_createcluster and pg_ctlcluster need root (CI runs as root)";
        if (!File.Exists("/usr/bin/pg_createcluster")) return "Debian's postgresql-common is not installed (scripts/local-services.sh installs it)";
        return null;
    }

    public async Task StartAsync()
    {
        await PrivateServices.RunAsync("pg_createcluster", Version, Name, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--start", "--", "--auth-host=scram-sha-256", "--auth-local=peer");
        _created = true;
        await PrivateServices.WaitForPortAsync(Port, TimeSpan.FromSeconds(30));
        await Psql("postgres", $"create role {User} login password '{_password}'");
        await Psql("postgres", $"create database teacherdb owner {User}");
        await Psql("teacherdb", "create extension if not exists vector");
    }

    /// <summary>Restarts the server (a fast shutdown: open connections are cut, as in a failover).</summary>
    public Task RestartAsync() => PrivateServices.RunAsync("pg_ctlcluster", Version, Name, "restart", "-m", "fast");

    public Task StopAsync() => PrivateServices.RunAsync("pg_ctlcluster", Version, Name, "stop", "-m", "fast");

    public async Task StartAgainAsync()
    {
        await PrivateServices.RunAsync("pg_ctlcluster", Version, Name, "start");
        await PrivateServices.WaitForPortAsync(Port, TimeSpan.FromSeconds(30));
    }

    private Task Psql(string database, string sql)
        => PrivateServices.RunAsync("runuser", "-u", "postgres", "--", "psql", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-d", database, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql);

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_created) await PrivateServices.RunAsync("pg_dropcluster", Version, Name, "--stop");
    }
}

public static class PrivateServices
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task WaitForPortAsync(int port, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (clock.Elapsed < timeout)
            {
                await Task.Delay(100);
            }
        }
    }

    public static async Task RunAsync(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error} {await output}");
        }
    }
}
