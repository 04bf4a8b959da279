using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using System.Security.Claims;
using TeacherTrainer.ApiService.Data;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.ApiService.Security;

namespace TeacherTrainer.ApiService.Evaluation;

public static class EvaluationApi
{
    public static IEndpointRouteBuilder MapEvaluationApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/evaluations", EvaluateAsync)
            .RequireAuthorization()
            .RequireRateLimiting(RateLimitPolicies.Evaluation)
            .WithMetadata(new RequestSizeLimitAttribute(256 * 1024))
            .WithName("Evaluate")
            .WithSummary("Judges a reply: overall score and band, a score per criterion with evidence, nearest exemplars and one suggestion.")
            .WithTags("Evaluation");

        var collections = app.MapGroup("/api/collections").WithTags("Collections").RequireAuthorization();
        collections.MapGet("/", ListCollectionsAsync)
            .WithName("ListCollections")
            .WithSummary("Exemplar collections: name, description and how many expert and novice replies each holds.");
        collections.MapGet("/{name}", GetCollectionAsync)
            .WithName("GetCollection")
            .WithSummary("One exemplar collection's summary.");
        collections.MapPut("/{name}", PutCollectionAsync)
            .WithName("PutCollection")
            .WithSummary("Creates an exemplar collection or replaces its items (contexts with expert and novice replies); a thousand items go in one call. Instructors replace only their own collections.")
            .RequireAuthorization(Policies.Instructor)
            .WithMetadata(new RequestSizeLimitAttribute(EvaluationLimits.MaxCollectionBodyBytes));
        collections.MapDelete("/{name}", DeleteCollectionAsync)
            .WithName("DeleteCollection")
            .WithSummary("Deletes an exemplar collection (its owner or an admin).")
            .RequireAuthorization(Policies.Instructor);
        return app;
    }

    public static async Task<Results<Ok<Judgement>, ValidationProblem, ProblemHttpResult>> EvaluateAsync(
        EvaluationRequest request, TeacherDbContext db, EvaluationEngine engine, HttpContext http, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        if (request.ScenarioId is not null && request.Collection is not null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["scenarioId"] = ["Give a scenario or a collection, not both."],
            });
        }
        Guid? versionId = null, collectionId = null;
        if (request.ScenarioId is { } scenario)
        {
            var query = db.Scenarios.AsNoTracking();
            versionId = Guid.TryParse(scenario, out var id)
                ? await query.Where(s => s.Id == id).Select(s => (Guid?)s.CurrentVersionId).SingleOrDefaultAsync(cancellationToken)
                : await query.Where(s => s.Slug == scenario).Select(s => (Guid?)s.CurrentVersionId).SingleOrDefaultAsync(cancellationToken);
            if (versionId is null) return NotFound("Unknown scenario", $"There is no scenario '{scenario}'.");
        }
        if (request.Collection is { } name)
        {
            collectionId = await db.Collections.AsNoTracking().Where(c => c.Name == name).Select(c => (Guid?)c.Id).SingleOrDefaultAsync(cancellationToken);
            if (collectionId is null) return NotFound("Unknown collection", $"There is no exemplar collection '{name}'.");
        }
        var input = new EvaluationInput(
            request.Context.Select(t => new ContextTurn(t.Speaker, t.Text)).ToList(),
            request.Response, versionId, collectionId, request.Collection);
        var lookup = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var result = await engine.JudgeAsync(input, cancellationToken);
        var total = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        // Where the time went (standard Server-Timing, as practice turns do): the lookups, the embedding model,
        // a collection's nearest-neighbour search, the rest of the judgement.
        http.Response.Headers["Server-Timing"] = FormattableString.Invariant(
            $"lookup;dur={lookup:F1}, encode;dur={result.EncodingMs:F1}, search;dur={result.SearchMs:F1}, judge;dur={total - lookup - result.EncodingMs - result.SearchMs:F1}, total;dur={total:F1}");
        return TypedResults.Ok(result.Judgement);
    }

    public static async Task<Ok<List<CollectionSummary>>> ListCollectionsAsync(TeacherDbContext db, CancellationToken cancellationToken)
        => TypedResults.Ok(await Summaries(db, db.Collections.OrderBy(c => c.Name)).ToListAsync(cancellationToken));

    public static async Task<Results<Ok<CollectionSummary>, ProblemHttpResult>> GetCollectionAsync(string name, TeacherDbContext db, CancellationToken cancellationToken)
    {
        var summary = await Summaries(db, db.Collections.Where(c => c.Name == name)).SingleOrDefaultAsync(cancellationToken);
        return summary is null ? NotFound("Unknown collection", $"There is no exemplar collection '{name}'.") : TypedResults.Ok(summary);
    }

    public static async Task<Results<Ok<CollectionSummary>, ValidationProblem, ProblemHttpResult>> PutCollectionAsync(
        string name, CollectionRequest request, ClaimsPrincipal user, CollectionStore store, TeacherDbContext db, CancellationToken cancellationToken)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(name, EvaluationLimits.CollectionNamePattern))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["name"] = ["A collection name is 1 to 100 lower-case letters, digits, '-' or '_', starting with a letter or digit."],
            });
        }
        var owner = await db.Collections.AsNoTracking().Where(c => c.Name == name).Select(c => new { c.OwnerId }).SingleOrDefaultAsync(cancellationToken);
        if (owner is not null && owner.OwnerId != user.GetUserId() && !user.IsAdmin())
        {
            return Forbidden(name);
        }
        var items = request.Items.Select(i => new CollectionItemInput(
            i.Context.Select(t => new ContextTurn(t.Speaker, t.Text)).ToList(), i.Response, i.Quality)).ToList();
        await store.ImportAsync(name, request.Description ?? "", items, user.GetUserId(), cancellationToken);
        var summary = await Summaries(db, db.Collections.Where(c => c.Name == name)).SingleAsync(cancellationToken);
        return TypedResults.Ok(summary);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteCollectionAsync(
        string name, ClaimsPrincipal user, TeacherDbContext db, CancellationToken cancellationToken)
    {
        var collection = await db.Collections.AsNoTracking().Where(c => c.Name == name).Select(c => new { c.OwnerId }).SingleOrDefaultAsync(cancellationToken);
        if (collection is null) return NotFound("Unknown collection", $"There is no exemplar collection '{name}'.");
        if (collection.OwnerId != user.GetUserId() && !user.IsAdmin()) return Forbidden(name);
        await db.Collections.Where(c => c.Name == name).ExecuteDeleteAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult Forbidden(string name)
        => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your collection",
            detail: $"The collection '{name}' belongs to another instructor; only they or an administrator may change it.");

    // Filter and order before projecting: EF cannot see through the summary record's constructor.
    private static IQueryable<CollectionSummary> Summaries(TeacherDbContext db, IQueryable<ExemplarCollection> collections)
        => collections.AsNoTracking().Select(c => new CollectionSummary(c.Name, c.Description, c.ItemCount,
            db.CollectionItems.Count(i => i.CollectionId == c.Id && i.Quality == "expert"),
            db.CollectionItems.Count(i => i.CollectionId == c.Id && i.Quality == "novice"),
            c.CreatedAt, c.UpdatedAt));

    private static ProblemHttpResult NotFound(string title, string detail)
        => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: title, detail: detail);
}
