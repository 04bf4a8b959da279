using System.Collections.Concurrent;
using StackExchange.Redis;

namespace TeacherTrainer.Tests.Fixtures;

/// <summary>
/// Hands out the logical databases (1 to the server's last; 0 holds the leases) of one Redis server, one per
/// caller, to this test run and to any other run on the same server at the same time (several checkouts
/// share the machine's Redis). A lease is a key in database 0 set only if absent and renewed every few
/// seconds while this process lives, so a crashed run's databases come free within <see cref="LeaseTime"/>
/// and no two fixtures, of this run or another, ever share one.
/// </summary>
internal sealed class RedisDatabaseLeases
{
    private static readonly TimeSpan LeaseTime = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan WaitForFree = TimeSpan.FromMinutes(10);
    private static readonly ConcurrentDictionary<string, RedisDatabaseLeases> Servers = new();
    private static readonly string Owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    private readonly string _server;
    private readonly ConcurrentDictionary<int, bool> _held = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ConnectionMultiplexer? _connection;
    private Timer? _renewal;

    private RedisDatabaseLeases(string server) => _server = server;

    public static RedisDatabaseLeases For(string server) => Servers.GetOrAdd(server, s => new RedisDatabaseLeases(s));

    private static RedisKey Key(int database) => $"teachertrainer:tests:database:{database}";

    public async Task<int> AcquireAsync()
    {
        await _gate.WaitAsync();
        try
        {
            _connection ??= await ConnectionMultiplexer.ConnectAsync($"{_server},allowAdmin=true");
            if (_renewal is null)
            {
                _renewal = new Timer(_ => Renew(), null, LeaseTime / 3, LeaseTime / 3);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => Release();
            }
            var count = int.Parse((await _connection.GetServers()[0].ConfigGetAsync("databases")).Single().Value,
                System.Globalization.CultureInfo.InvariantCulture);
            var leases = _connection.GetDatabase(0);
            var deadline = DateTime.UtcNow + WaitForFree;
            while (true)
            {
                for (var database = 1; database < count; database++)
                {
                    if (_held.ContainsKey(database)) continue;
                    if (await leases.StringSetAsync(Key(database), Owner, LeaseTime, When.NotExists))
                    {
                        _held[database] = true;
                        return database;
                    }
                }
                // Every database is leased (other runs on this server): wait for one to come free, not share it.
                if (DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException(
                        $"All {count - 1} logical databases of Redis {_server} are leased to test runs ({_held.Count} to this one): " +
                        "raise the server's 'databases' setting or wait for the other runs to end.");
                }
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Frees this run's databases at once when the test process ends (the leases would lapse anyway).</summary>
    private void Release()
    {
        if (_connection is null) return;
        var leases = _connection.GetDatabase(0);
        foreach (var database in _held.Keys)
        {
            try
            {
                leases.ScriptEvaluate(OwnLeaseOnly("redis.call('del', KEYS[1])"), [Key(database)], [Owner]);
            }
            catch (RedisException)
            {
                // The server is gone or busy: the lease lapses by itself.
            }
        }
    }

    private static string OwnLeaseOnly(string command) => $"if redis.call('get', KEYS[1]) == ARGV[1] then return {command} else return 0 end";

    private void Renew()
    {
        if (_connection is null) return;
        var leases = _connection.GetDatabase(0);
        foreach (var database in _held.Keys)
        {
            // Renew only our own lease; fire-and-forget, the next tick tries again.
            _ = leases.ScriptEvaluateAsync(
                OwnLeaseOnly("redis.call('pexpire', KEYS[1], ARGV[2])"),
                [Key(database)], [Owner, (long)LeaseTime.TotalMilliseconds]);
        }
    }
}
