using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Data;
using TeacherTrainer.ApiService.Identity;

namespace TeacherTrainer.ApiService.Scenarios;

/// <summary>
/// Authoring for instructors: export a scenario as JSON, validate, create or publish a new
/// version, archive. A new version never changes sessions already held: they keep theirs.
/// </summary>
public static class ScenarioAuthoringApi
{
    public const long MaxScenarioBytes = 512 * 1024;

    public static IEndpointRouteBuilder MapScenarioAuthoringApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/scenarios").WithTags("Scenario authoring")
            .RequireAuthorization(Policies.Instructor)
            .WithMetadata(new RequestSizeLimitAttribute(MaxScenarioBytes));

        api.MapGet("/{slug}/document", GetDocumentAsync)
            .WithName("ExportScenario")
            .WithSummary("The scenario's current version as the JSON document it is authored in (schema: Content/scenario.schema.json).");
        api.MapGet("/{slug}/versions", ListVersionsAsync)
            .WithName("ListScenarioVersions")
            .WithSummary("Every version of a scenario, newest first, with who made it and how many sessions used it.");
        api.MapPost("/validate", Validate)
            .WithName("ValidateScenario")
            .WithSummary("Checks a scenario document: every problem with where (a JSON path) and why.");
        api.MapPut("/{slug}", PublishAsync)
            .WithName("PublishScenario")
            .WithSummary("Creates the scenario, or publishes its document as a new version when it changed. Invalid documents get 400 with every problem.");
        api.MapDelete("/{slug}", ArchiveAsync)
            .WithName("ArchiveScenario")
            .WithSummary("Archives a scenario: it leaves the catalog; past sessions and their results stay.");
        return app;
    }

    public static async Task<Results<Ok<ScenarioDocument>, ProblemHttpResult>> GetDocumentAsync(string slug, TeacherDbContext db, CancellationToken cancellationToken)
    {
        var content = await db.ScenarioVersions.AsNoTracking()
            .Where(v => v.Scenario!.Slug == slug && v.Id == v.Scenario.CurrentVersionId)
            .Select(v => v.Content).SingleOrDefaultAsync(cancellationToken);
        return content is null ? Unknown(slug) : TypedResults.Ok(content);
    }

    public static async Task<Results<Ok<List<ScenarioVersionSummary>>, ProblemHttpResult>> ListVersionsAsync(string slug, TeacherDbContext db, CancellationToken cancellationToken)
    {
        var scenario = await db.Scenarios.AsNoTracking().SingleOrDefaultAsync(s => s.Slug == slug, cancellationToken);
        if (scenario is null) return Unknown(slug);
        var versions = await db.ScenarioVersions.AsNoTracking().Where(v => v.ScenarioId == scenario.Id)
            .OrderByDescending(v => v.Number)
            .Select(v => new ScenarioVersionSummary(v.Number, v.CreatedAt,
                db.Users.Where(u => u.Id == v.CreatedById).Select(u => u.DisplayName).FirstOrDefault(),
                v.Id == scenario.CurrentVersionId, db.Sessions.Count(s => s.ScenarioVersionId == v.Id)))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(versions);
    }

    public static Ok<ScenarioValidation> Validate(JsonElement document, ScenarioValidator validator)
    {
        var (_, issues) = validator.Validate(document.GetRawText());
        return TypedResults.Ok(new ScenarioValidation(issues.Count == 0, issues));
    }

    public static async Task<Results<Ok<PublishedScenario>, ValidationProblem>> PublishAsync(
        string slug, JsonElement document, ClaimsPrincipal user, ScenarioValidator validator, ScenarioVersioning versioning,
        TeacherDbContext db, IOutputCacheStore cache, CancellationToken cancellationToken)
    {
        var (parsed, issues) = validator.Validate(document.GetRawText());
        if (parsed is null) return Invalid(issues);
        if (parsed.Slug != slug) return Invalid([new ScenarioIssue("/slug", $"The document's slug '{parsed.Slug}' must match the address '{slug}'.")]);

        var existed = await db.Scenarios.AnyAsync(s => s.Slug == slug, cancellationToken);
        var written = await versioning.StageAsync([(parsed, "authored")], user.GetUserId(), cancellationToken);
        var scenario = db.ChangeTracker.Entries<Scenario>().Select(e => e.Entity).SingleOrDefault(s => s.Slug == slug)
            ?? await db.Scenarios.SingleAsync(s => s.Slug == slug, cancellationToken);
        scenario.IsArchived = false;
        await db.SaveChangesAsync(cancellationToken);
        await cache.EvictByTagAsync(CachePolicies.ScenarioTag, cancellationToken);
        return TypedResults.Ok(new PublishedScenario(slug, scenario.CurrentVersionNumber, Created: !existed, Changed: written > 0));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ArchiveAsync(
        string slug, TeacherDbContext db, IOutputCacheStore cache, CancellationToken cancellationToken)
    {
        var archived = await db.Scenarios.Where(s => s.Slug == slug).ExecuteUpdateAsync(s => s.SetProperty(x => x.IsArchived, true), cancellationToken);
        if (archived == 0) return Unknown(slug);
        await cache.EvictByTagAsync(CachePolicies.ScenarioTag, cancellationToken);
        return TypedResults.NoContent();
    }

    private static ValidationProblem Invalid(IReadOnlyList<ScenarioIssue> issues)
        => TypedResults.ValidationProblem(
            issues.GroupBy(i => i.Path.Length == 0 ? "document" : i.Path).ToDictionary(g => g.Key, g => g.Select(i => i.Message).ToArray()),
            title: "The scenario is not valid");

    private static ProblemHttpResult Unknown(string slug)
        => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown scenario", detail: $"There is no scenario '{slug}'.");
}

public sealed record ScenarioValidation(bool Valid, IReadOnlyList<ScenarioIssue> Issues);

public sealed record PublishedScenario(string Slug, int Version, bool Created, bool Changed);

public sealed record ScenarioVersionSummary(int Number, DateTimeOffset CreatedAt, string? CreatedBy, bool IsCurrent, int Sessions);
