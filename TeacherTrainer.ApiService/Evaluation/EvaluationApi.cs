using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using System.Security.Claims;
using TeacherTrainer.ApiService.Data;
using TeacherTrainer.ApiService.Extensions;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.ApiService.Scenarios;
using TeacherTrainer.ApiService.Security;

namespace TeacherTrainer.ApiService.Evaluation;

public static class EvaluationApi
{
    public static IEndpointRouteBuilder MapEvaluationApi(this IEndpointRouteBuilder app)
    {
        // One route, so no group: a group's root would be "/api/evaluations/", a new address in the document.
        app.MapPost("/api/evaluations", EvaluateAsync)
            .WithTags("Evaluation")
            .RequireAuthorization()
            .RequireRateLimiting(RateLimitPolicies.Evaluation)
            .WithMetadata(new RequestSizeLimitAttribute(256 * 1024))
            .WithName("Evaluate")
            .WithSummary("Judges a reply: overall score and band, a score per criterion with evidence, nearest exemplars and one suggestion.");

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
        collections.MapGet("/{name}/quality", GetCollectionQualityAsync)
            .WithName("GetCollectionQuality")
            .WithSummary("How a collection's expert and novice replies separate (leave-one-out expert-likeness: histogram, pairs ordered right, AUC) and the items that look mislabelled (nearest-neighbour vote), for its owner and admins.")
            .RequireAuthorization(Policies.Instructor);
        collections.MapPut("/{name}/shares/{cohortId:guid}", ShareCollectionAsync)
            .WithName("ShareCollection")
            .WithSummary("Shares a collection with one of the caller's cohorts (its owner; admins with any cohort): the cohort's members may then judge replies against it.")
            .RequireAuthorization(Policies.Instructor);
        collections.MapDelete("/{name}/shares/{cohortId:guid}", UnshareCollectionAsync)
            .WithName("UnshareCollection")
            .WithSummary("Stops sharing a collection with a cohort (its owner or an admin).")
            .RequireAuthorization(Policies.Instructor);
        return app;
    }

    public static async Task<Results<Ok<Judgement>, ValidationProblem, NotFoundProblem>> EvaluateAsync(
        EvaluationRequest request, HttpContext http, [AsParameters] JudgingServices services, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        if (request.ScenarioId is not null && request.Collection is not null)
        {
            return ApiProblems.Invalid("scenarioId", "Give a scenario or a collection, not both.");
        }
        Guid? versionId = null, collectionId = null;
        if (request.ScenarioId is { } scenario)
        {
            // A draft is judged against only for its authors; to everyone else it does not exist.
            var query = services.Db.Scenarios.AsNoTracking().Where(ScenarioAccess.VisibleTo(ScenarioCaller.From(services.User, services.Normalizer)));
            versionId = Guid.TryParse(scenario, out var id)
                ? await query.Where(s => s.Id == id).Select(s => (Guid?)s.CurrentVersionId).SingleOrDefaultAsync(cancellationToken)
                : await query.Where(s => s.Slug == scenario).Select(s => (Guid?)s.CurrentVersionId).SingleOrDefaultAsync(cancellationToken);
            if (versionId is null) return ScenarioProblems.UnknownScenario(scenario);
        }
        if (request.Collection is { } name)
        {
            // Judging against a collection quotes its rated texts (nearest exemplars): only for those who may see it.
            collectionId = await services.Db.Collections.AsNoTracking().Where(CollectionAccess.VisibleTo(services.Db, services.User))
                .Where(c => c.Name == name).Select(c => (Guid?)c.Id).SingleOrDefaultAsync(cancellationToken);
            if (collectionId is null) return CollectionProblems.UnknownCollection(name);
        }
        var input = new EvaluationInput(
            request.Context.Select(t => new ContextTurn(t.Speaker, t.Text)).ToList(),
            request.Response, versionId, collectionId, request.Collection);
        var lookup = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var result = await services.Engine.JudgeAsync(input, cancellationToken);
        var total = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        // Where the time went (standard Server-Timing, as practice turns do): the lookups, the embedding model,
        // a collection's nearest-neighbour search, the rest of the judgement.
        http.Response.Headers["Server-Timing"] = FormattableString.Invariant(
            $"lookup;dur={lookup:F1}, encode;dur={result.EncodingMs:F1}, search;dur={result.SearchMs:F1}, judge;dur={total - lookup - result.EncodingMs - result.SearchMs:F1}, total;dur={total:F1}");
        return TypedResults.Ok(result.Judgement);
    }

    public static async Task<Ok<List<CollectionSummary>>> ListCollectionsAsync([AsParameters] JudgingServices services, CancellationToken cancellationToken)
        => TypedResults.Ok(await Summaries(services.Db, services.User, services.Db.Collections.Where(CollectionAccess.VisibleTo(services.Db, services.User)).OrderBy(c => c.Name)).ToListAsync(cancellationToken));

    public static async Task<Results<Ok<CollectionSummary>, NotFoundProblem>> GetCollectionAsync(string name, [AsParameters] JudgingServices services, CancellationToken cancellationToken)
    {
        var summary = await Summaries(services.Db, services.User, services.Db.Collections.Where(CollectionAccess.VisibleTo(services.Db, services.User)).Where(c => c.Name == name)).SingleOrDefaultAsync(cancellationToken);
        return summary is null ? CollectionProblems.UnknownCollection(name) : TypedResults.Ok(summary);
    }

    public static async Task<Results<Ok<CollectionSummary>, ValidationProblem, ConflictProblem, ForbiddenProblem>> PutCollectionAsync(
        string name, CollectionRequest request, [AsParameters] JudgingServices services, CancellationToken cancellationToken)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(name, EvaluationLimits.CollectionNamePattern))
        {
            return ApiProblems.Invalid("name", "A collection name is 1 to 100 lower-case letters, digits, '-' or '_', starting with a letter or digit.");
        }
        var existing = await services.Db.Collections.AsNoTracking().SingleOrDefaultAsync(c => c.Name == name, cancellationToken);
        if (existing is not null && !CollectionAccess.CanChange(existing, services.User))
        {
            // Names are unique across the system, so a name in use cannot be hidden; who uses it can.
            var visible = await services.Db.Collections.Where(CollectionAccess.VisibleTo(services.Db, services.User)).AnyAsync(c => c.Id == existing.Id, cancellationToken);
            return visible ? CollectionProblems.NotYours(name) : CollectionProblems.NameInUse(name);
        }
        var items = request.Items.Select(i => new CollectionItemInput(
            i.Context.Select(t => new ContextTurn(t.Speaker, t.Text)).ToList(), i.Response, i.Quality)).ToList();
        // A replaced collection keeps its owner (an admin replacing it does not take it over).
        await services.Store.ImportAsync(name, request.Description ?? "", items, existing is null ? services.User.GetUserId() : existing.OwnerId, cancellationToken);
        var summary = await Summaries(services.Db, services.User, services.Db.Collections.Where(c => c.Name == name)).SingleAsync(cancellationToken);
        return TypedResults.Ok(summary);
    }

    public static async Task<Results<NoContent, NotFoundProblem, ForbiddenProblem>> DeleteCollectionAsync(
        string name, [AsParameters] JudgingServices services, CancellationToken cancellationToken)
    {
        var collection = await services.Db.Collections.AsNoTracking().Where(CollectionAccess.VisibleTo(services.Db, services.User)).SingleOrDefaultAsync(c => c.Name == name, cancellationToken);
        if (collection is null) return CollectionProblems.UnknownCollection(name);
        if (!CollectionAccess.CanChange(collection, services.User)) return CollectionProblems.NotYours(name);
        await services.Db.Collections.Where(c => c.Id == collection.Id).ExecuteDeleteAsync(cancellationToken);
        services.Log.Deleted(services.User.GetUserId().ToString(), "collection", name);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<CollectionQualityReport>, NotFoundProblem, ForbiddenProblem>> GetCollectionQualityAsync(
        string name, [AsParameters] JudgingServices services, CancellationToken cancellationToken, int top = 20)
    {
        var collection = await services.Db.Collections.AsNoTracking().Where(CollectionAccess.VisibleTo(services.Db, services.User)).SingleOrDefaultAsync(c => c.Name == name, cancellationToken);
        if (collection is null) return CollectionProblems.UnknownCollection(name);
        // The quality view quotes every item and says which look wrong: for whoever curates it, not those it is shared with.
        if (!CollectionAccess.CanChange(collection, services.User))
        {
            return CollectionProblems.OwnerOnly(name, "sees its quality view");
        }
        var report = await services.Quality.GetAsync(collection, cancellationToken);
        return TypedResults.Ok(report with { Suspects = report.Suspects.Take(Math.Clamp(top, 1, 100)).ToList() });
    }

    public static async Task<Results<Ok<CollectionSummary>, NotFoundProblem, ForbiddenProblem>> ShareCollectionAsync(
        string name, Guid cohortId, [AsParameters] JudgingServices services, CancellationToken cancellationToken)
    {
        var collection = await services.Db.Collections.AsNoTracking().Where(CollectionAccess.VisibleTo(services.Db, services.User)).SingleOrDefaultAsync(c => c.Name == name, cancellationToken);
        if (collection is null) return CollectionProblems.UnknownCollection(name);
        if (!CollectionAccess.CanChange(collection, services.User)) return CollectionProblems.NotYours(name);
        // The owner shares with a cohort they teach; a cohort they do not teach does not exist for them.
        var me = services.User.GetUserId();
        var admin = services.User.IsAdmin();
        if (!await services.Db.Cohorts.AnyAsync(k => k.Id == cohortId && (admin || k.InstructorId == me), cancellationToken))
        {
            return CollectionProblems.UnknownCohort();
        }
        if (!await services.Db.CollectionShares.AnyAsync(s => s.CollectionId == collection.Id && s.CohortId == cohortId, cancellationToken))
        {
            services.Db.CollectionShares.Add(new CollectionShare { CollectionId = collection.Id, CohortId = cohortId, SharedAt = services.Time.GetUtcNow(), SharedById = me });
            await services.Db.SaveChangesAsync(cancellationToken);
            services.Log.SharingChanged(me.ToString(), "shared", "collection", name, $"cohort {cohortId}");
        }
        return TypedResults.Ok(await Summaries(services.Db, services.User, services.Db.Collections.Where(c => c.Id == collection.Id)).SingleAsync(cancellationToken));
    }

    public static async Task<Results<NoContent, NotFoundProblem, ForbiddenProblem>> UnshareCollectionAsync(
        string name, Guid cohortId, [AsParameters] JudgingServices services, CancellationToken cancellationToken)
    {
        var collection = await services.Db.Collections.AsNoTracking().Where(CollectionAccess.VisibleTo(services.Db, services.User)).SingleOrDefaultAsync(c => c.Name == name, cancellationToken);
        if (collection is null) return CollectionProblems.UnknownCollection(name);
        if (!CollectionAccess.CanChange(collection, services.User)) return CollectionProblems.NotYours(name);
        var removed = await services.Db.CollectionShares.Where(s => s.CollectionId == collection.Id && s.CohortId == cohortId).ExecuteDeleteAsync(cancellationToken);
        if (removed > 0) services.Log.SharingChanged(services.User.GetUserId().ToString(), "unshared", "collection", name, $"cohort {cohortId}");
        return TypedResults.NoContent();
    }


    // Filter and order before projecting: EF cannot see through the summary record's constructor.
    // Who it is shared with is for those who may change it; an instructor also sees the cohorts they teach among them
    // (the cohort page lists the collections its trainees are judged against), a trainee none.
    private static IQueryable<CollectionSummary> Summaries(TeacherDbContext db, ClaimsPrincipal user, IQueryable<ExemplarCollection> collections)
    {
        var me = user.GetUserId();
        var admin = user.IsAdmin();
        return collections.AsNoTracking().Select(c => new CollectionSummary(c.Name, c.Description, c.ItemCount,
            db.CollectionItems.Count(i => i.CollectionId == c.Id && i.Quality == "expert"),
            db.CollectionItems.Count(i => i.CollectionId == c.Id && i.Quality == "novice"),
            c.CreatedAt, c.UpdatedAt,
            db.Users.Where(u => u.Id == c.OwnerId).Select(u => u.DisplayName).FirstOrDefault(),
            c.OwnerId == me,
            db.CollectionShares.Where(s => s.CollectionId == c.Id)
                .Join(db.Cohorts, s => s.CohortId, k => k.Id, (s, k) => new { k.Id, k.Name, k.InstructorId })
                .Where(k => admin || c.OwnerId == me || k.InstructorId == me)
                .Select(k => new CollectionCohort(k.Id, k.Name)).ToList()));
    }
}

/// <summary>What the judging and collection handlers need; marked as services, so validation does not walk them.</summary>
public sealed record JudgingServices(
    [FromServices] TeacherDbContext Db, ClaimsPrincipal User, [FromServices] Microsoft.AspNetCore.Identity.ILookupNormalizer Normalizer,
    [FromServices] EvaluationEngine Engine, [FromServices] CollectionStore Store, [FromServices] CollectionQuality Quality,
    [FromServices] TimeProvider Time, [FromServices] SecurityLog Log);
