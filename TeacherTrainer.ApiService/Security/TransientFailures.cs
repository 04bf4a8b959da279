using System.Net.Sockets;
using Npgsql;
using StackExchange.Redis;

namespace TeacherTrainer.ApiService.Security;

/// <summary>
/// Failures of a backing service that pass by themselves (PostgreSQL restarting, Redis away, a
/// connection cut): the client is told to retry, with 503 and Retry-After, never a 500 and never a hang.
/// </summary>
public static class TransientFailures
{
    /// <summary>What Retry-After says: a database restart or a failover takes a few seconds.</summary>
    public const int RetryAfterSeconds = 2;

    public static bool IsTransient(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg:
                    return IsTransientSqlState(pg.SqlState);
                case NpgsqlException npgsql when npgsql.IsTransient:
                case RedisConnectionException or RedisTimeoutException:
                case SocketException:
                case TimeoutException:
                    return true;
                // EF's retrying strategy gave up; what it gave up on decides.
                case Microsoft.EntityFrameworkCore.Storage.RetryLimitExceededException:
                    continue;
            }
        }
        return false;
    }

    /// <summary>
    /// Connection exceptions (class 08), the server shutting down or starting up (57P01 to 57P03),
    /// too many connections (53300), and a transaction chosen to give way (40001, 40P01).
    /// </summary>
    public static bool IsTransientSqlState(string sqlState)
        => sqlState.StartsWith("08", StringComparison.Ordinal)
           || sqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
               or PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected;
}
