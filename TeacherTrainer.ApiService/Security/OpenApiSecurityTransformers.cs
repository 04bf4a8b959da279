using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace TeacherTrainer.ApiService.Security;

/// <summary>
/// Describes the API's security in the OpenAPI document: the bearer scheme, which operations need
/// it, and the errors every operation can answer with (problem details) beside its own.
/// </summary>
public static class OpenApiSecurityTransformers
{
    public const string SchemeName = "Bearer";

    public static OpenApiOptions AddSecurityDescriptions(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "An access token from POST /api/auth/token (or /api/auth/refresh), sent as 'Authorization: Bearer <token>'.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            operation.Responses ??= new OpenApiResponses();
            var anonymous = metadata.OfType<IAllowAnonymous>().Any();
            if (!anonymous)
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [] });
                AddProblem(operation, "401", "Not signed in, or the access token is expired or revoked.");
                var policies = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).Where(p => p is not null).Distinct().ToList();
                AddProblem(operation, "403", policies.Count > 0
                    ? $"Signed in, but the role does not allow this (policy: {string.Join(", ", policies)})."
                    : "Signed in, but not allowed to do this.");
            }
            if (metadata.OfType<EnableRateLimitingAttribute>().FirstOrDefault() is { } limited)
            {
                AddProblem(operation, "429", $"Rate limit '{limited.PolicyName}' reached; the Retry-After header says when to try again.");
            }
            if (context.Description.ParameterDescriptions.Count > 0 || operation.RequestBody is not null)
            {
                AddProblem(operation, "400", "The request is malformed or invalid: problem details name each field and the reason.");
            }
            if (operation.RequestBody is not null) AddProblem(operation, "413", "The request body is larger than this endpoint accepts.");
            return Task.CompletedTask;
        });
        return options;
    }

    private static void AddProblem(OpenApiOperation operation, string status, string description)
    {
        if (operation.Responses!.ContainsKey(status)) return;
        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() },
        };
    }
}
