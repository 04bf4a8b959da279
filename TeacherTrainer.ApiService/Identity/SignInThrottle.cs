using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TeacherTrainer.ApiService.Data;

namespace TeacherTrainer.ApiService.Identity;

/// <summary>
/// Sign-in throttle settings (configuration section <c>SignInThrottle</c>). Two counters, both of
/// attempts (a success clears them):
/// <list type="bullet">
/// <item>per account and address: <see cref="PerAccountAndAddress"/> attempts in <see cref="Window"/>, then 429 until the window ends;</item>
/// <item>per account, from any address: beyond <see cref="SlowDownAfter"/> attempts in the window, one attempt
/// per <see cref="SlowDownInterval"/> (a slow-down, never a lock: the owner still gets in within seconds).</item>
/// </list>
/// Neither locks the account nor revokes its sessions, so knowing someone's email is not enough to
/// lock them out. The per-address limit across accounts is the <c>sign-in</c> rate limit.
/// </summary>
public sealed class SignInThrottleOptions
{
    public const string Section = "SignInThrottle";

    public int PerAccountAndAddress { get; set; } = 5;
    public int SlowDownAfter { get; set; } = 10;
    public TimeSpan SlowDownInterval { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>Why an attempt may not go ahead, and when to try again.</summary>
public sealed record ThrottleRefusal(string Reason, TimeSpan RetryAfter);

/// <summary>
/// Counts sign-in attempts in PostgreSQL, atomically: each attempt is reserved by one
/// <c>INSERT ... ON CONFLICT DO UPDATE ... WHERE</c> before the password is checked, so parallel
/// guesses cannot all slip under the limit, and every API replica shares the count.
/// </summary>
public sealed class SignInThrottle(TeacherDbContext db, IOptions<SignInThrottleOptions> options, TimeProvider time)
{
    private SignInThrottleOptions Options => options.Value;

    /// <summary>Reserves one attempt for this email from this address; null when it may go ahead.</summary>
    public async Task<ThrottleRefusal?> TryReserveAsync(string email, string? address, CancellationToken cancellationToken)
    {
        var o = Options;
        var pair = PairKey(email, address);
        if (!await ReserveAsync(pair, o.PerAccountAndAddress, null, cancellationToken))
        {
            return new ThrottleRefusal($"{o.PerAccountAndAddress} attempts for this account from this address",
                await RetryAfterAsync(pair, null, cancellationToken));
        }
        var account = AccountKey(email);
        if (!await ReserveAsync(account, o.SlowDownAfter, o.SlowDownInterval, cancellationToken))
        {
            return new ThrottleRefusal($"more than {o.SlowDownAfter} attempts for this account: one per {o.SlowDownInterval.TotalSeconds:0} s",
                await RetryAfterAsync(account, o.SlowDownInterval, cancellationToken));
        }
        return null;
    }

    /// <summary>A successful sign-in clears both counters of this email (and this address).</summary>
    public async Task ClearAsync(string email, string? address, CancellationToken cancellationToken)
    {
        string[] keys = [PairKey(email, address), AccountKey(email)];
        await db.Set<SignInThrottleEntry>().Where(e => keys.Contains(e.Key)).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>
    /// One statement: a new window starts if the old one is over; otherwise the attempt is counted
    /// only while under the limit, or (for a slow-down) once the interval since the last attempt
    /// has passed. No row back means refused.
    /// </summary>
    private async Task<bool> ReserveAsync(string key, int limit, TimeSpan? interval, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var windowStart = now - Options.Window;
        var slowBefore = interval is { } i ? now - i : now;
        var slow = interval is not null;
        var counted = await db.Database.SqlQuery<int>($"""
            insert into sign_in_throttles as t (key, window_started_at, attempts, last_attempt_at)
            values ({key}, {now}, 1, {now})
            on conflict (key) do update set
                window_started_at = case when t.window_started_at <= {windowStart} then {now} else t.window_started_at end,
                attempts = case when t.window_started_at <= {windowStart} then 1 else t.attempts + 1 end,
                last_attempt_at = {now}
            where t.window_started_at <= {windowStart} or t.attempts < {limit} or ({slow} and t.last_attempt_at <= {slowBefore})
            returning t.attempts as "Value"
            """).ToListAsync(cancellationToken);
        return counted.Count == 1;
    }

    private async Task<TimeSpan> RetryAfterAsync(string key, TimeSpan? interval, CancellationToken cancellationToken)
    {
        var entry = await db.Set<SignInThrottleEntry>().AsNoTracking().SingleOrDefaultAsync(e => e.Key == key, cancellationToken);
        if (entry is null) return TimeSpan.FromSeconds(1);
        var until = interval is { } i ? entry.LastAttemptAt + i : entry.WindowStartedAt + Options.Window;
        var wait = until - time.GetUtcNow();
        return wait > TimeSpan.FromSeconds(1) ? wait : TimeSpan.FromSeconds(1);
    }

    private static string PairKey(string email, string? address) => "p:" + Digest(Normalize(email) + "\n" + (address ?? "unknown"));

    private static string AccountKey(string email) => "a:" + Digest(Normalize(email));

    private static string Normalize(string email) => email.Trim().ToUpperInvariant();

    private static string Digest(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
