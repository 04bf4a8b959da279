using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace TeacherTrainer.ApiService.Security;

/// <summary>
/// Turns the exceptions a client's request can cause into 4xx problem details naming the reason:
/// unreadable JSON or parameters (400, with the JSON path), a body over the limit (413), a
/// conflicting write (409), text the database cannot store (400); and a backing service that is
/// briefly away (PostgreSQL restarting, Redis down) as 503 with Retry-After. Anything else stays a 500: a bug.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = Describe(exception);
        if (problem is null) return false;
        logger.LogInformation("Refused {Method} {Path}: {Status} {Title} ({Reason})", context.Request.Method, context.Request.Path,
            problem.Status, problem.Title, exception.GetBaseException().GetType().Name);
        context.Response.StatusCode = problem.Status!.Value;
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = TransientFailures.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (!await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception }))
        {
            await context.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", cancellationToken);
        }
        return true;
    }

    internal static ProblemDetails? Describe(Exception exception)
    {
        if (TransientFailures.IsTransient(exception))
        {
            return new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Service briefly unavailable",
                Detail = $"A service this request needs is restarting or unreachable. Try again in {TransientFailures.RetryAfterSeconds} s.",
            };
        }
        switch (exception)
        {
            case BadHttpRequestException bad:
                return bad.StatusCode switch
                {
                    StatusCodes.Status413PayloadTooLarge => new ProblemDetails { Status = 413, Title = "Request body too large", Detail = bad.Message },
                    _ when FindInner<JsonException>(bad) is { } json => JsonProblem(json),
                    _ => new ProblemDetails { Status = bad.StatusCode, Title = "Bad request", Detail = bad.Message },
                };
            case JsonException json:
                return JsonProblem(json);
            case DbUpdateConcurrencyException:
                return new ProblemDetails { Status = 409, Title = "Conflict", Detail = "Someone else changed this at the same moment; read it again and retry." };
        }
        if (FindInner<PostgresException>(exception) is { } pg)
        {
            return pg.SqlState switch
            {
                PostgresErrorCodes.UniqueViolation => new ProblemDetails { Status = 409, Title = "Conflict", Detail = "That already exists." },
                PostgresErrorCodes.ForeignKeyViolation => new ProblemDetails { Status = 409, Title = "Conflict", Detail = "It refers to something that no longer exists." },
                PostgresErrorCodes.CharacterNotInRepertoire or PostgresErrorCodes.UntranslatableCharacter or PostgresErrorCodes.StringDataRightTruncation
                    => new ProblemDetails { Status = 400, Title = "Invalid text", Detail = "The request holds text that cannot be stored (a control character, invalid Unicode, or too long)." },
                PostgresErrorCodes.NumericValueOutOfRange or PostgresErrorCodes.DatetimeFieldOverflow
                    => new ProblemDetails { Status = 400, Title = "Value out of range", Detail = "A number or date in the request is out of range." },
                _ => null,
            };
        }
        if (FindInner<EncoderFallbackException>(exception) is not null || FindInner<DecoderFallbackException>(exception) is not null)
            return new ProblemDetails { Status = 400, Title = "Invalid text", Detail = "The request holds invalid Unicode." };
        return null;
    }

    private static ProblemDetails JsonProblem(JsonException json)
    {
        var path = string.IsNullOrEmpty(json.Path) ? "$" : json.Path;
        // The first sentence only: the rest names .NET types and byte positions.
        var reason = json.Message.Contains("could not be converted", StringComparison.Ordinal)
            ? "The value has the wrong type for this field (or is out of range)."
            : json.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].Trim();
        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [path] = [reason] })
        {
            Status = 400,
            Title = "The request body is not valid JSON for this endpoint",
            Detail = $"At {path}: {reason}",
        };
    }

    private static T? FindInner<T>(Exception exception) where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is T match) return match;
        }
        return null;
    }
}
