using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace TeacherTrainer.ApiService.Extensions;

/// <summary>
/// Builds the problem answers of the endpoint recipe (docs/architecture.md). Each is a typed result, so a
/// handler's <c>Results&lt;...&gt;</c> union shows its 404, 409, 403, 400 or 422 in OpenAPI, and each is written as
/// problem details (<c>application/problem+json</c>). ASP.NET Core's <c>NotFound&lt;ProblemDetails&gt;</c>
/// would write plain JSON, and <c>ProblemHttpResult</c> hides its status from OpenAPI. A feature keeps its own
/// problems (an unknown scenario, an unknown cohort) in one static class that calls these, so each is worded once.
/// </summary>
public static class ApiProblems
{
    public static NotFoundProblem NotFound(string title, string detail) => new(Details(StatusCodes.Status404NotFound, title, detail));

    public static ConflictProblem Conflict(string title, string detail) => new(Details(StatusCodes.Status409Conflict, title, detail));

    public static BadRequestProblem BadRequest(string title, string detail) => new(Details(StatusCodes.Status400BadRequest, title, detail));

    public static UnprocessableProblem Unprocessable(string title, string detail) => new(Details(StatusCodes.Status422UnprocessableEntity, title, detail));

    /// <summary>403 for a signed-in caller who may see the thing but not change it (a library scenario, another's collection).</summary>
    public static ForbiddenProblem Forbidden(string title, string detail) => new(Details(StatusCodes.Status403Forbidden, title, detail));

    /// <summary>A validation problem naming one field and why it was refused.</summary>
    public static ValidationProblem Invalid(string field, string reason)
        => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [reason] });

    /// <summary>The body of every typed problem; a feature's own <see cref="TypedProblem"/> subclasses build theirs with it too.</summary>
    public static ProblemDetails Details(int status, string title, string detail)
        => new() { Status = status, Title = title, Detail = detail };

    internal static void Describe(int status, EndpointBuilder builder)
        => builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ["application/problem+json"]));
}

/// <summary>The shared body of the typed problems: problem details written by ASP.NET Core's own problem result.</summary>
public abstract class TypedProblem(ProblemDetails details) : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<ProblemDetails>, IContentTypeHttpResult
{
    public ProblemDetails Value { get; } = details;
    public int? StatusCode => Value.Status;
    public string ContentType => "application/problem+json";
    object? IValueHttpResult.Value => Value;

    public Task ExecuteAsync(HttpContext httpContext) => TypedResults.Problem(Value).ExecuteAsync(httpContext);
}

/// <summary>404 with problem details.</summary>
public sealed class NotFoundProblem(ProblemDetails details) : TypedProblem(details), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => ApiProblems.Describe(StatusCodes.Status404NotFound, builder);
}

/// <summary>409 with problem details.</summary>
public sealed class ConflictProblem(ProblemDetails details) : TypedProblem(details), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => ApiProblems.Describe(StatusCodes.Status409Conflict, builder);
}

/// <summary>400 with problem details, for a refusal that is not about one field (those are validation problems).</summary>
public sealed class BadRequestProblem(ProblemDetails details) : TypedProblem(details), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => ApiProblems.Describe(StatusCodes.Status400BadRequest, builder);
}

/// <summary>403 with problem details (the plain 403 of an authorisation policy is described by OpenApiSecurityTransformers).</summary>
public sealed class ForbiddenProblem(ProblemDetails details) : TypedProblem(details), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => ApiProblems.Describe(StatusCodes.Status403Forbidden, builder);
}

/// <summary>422 with problem details.</summary>
public sealed class UnprocessableProblem(ProblemDetails details) : TypedProblem(details), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => ApiProblems.Describe(StatusCodes.Status422UnprocessableEntity, builder);
}
