using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Data;
using TeacherTrainer.ApiService.Extensions;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.ApiService.Scenarios;
using TeacherTrainer.ApiService.Security;

namespace TeacherTrainer.ApiService.Evaluation;

/// <summary>
/// Collections with a purpose: the owner of a collection (or an admin) attaches it to scenarios they
/// may edit, or to cohorts they teach. Practice of such a scenario, or by a trainee of such a cohort,
/// is then judged against the collection instead of the scenario's own exemplars, and the judgement
/// names it (<see cref="JudgingCollections"/>). A scenario or cohort holds at most one collection; a
/// scenario's own attachment wins over its trainee's cohort's. Attaching consents to the collection's
/// rated texts being quoted (nearest exemplars) to whoever practises there.
/// </summary>
public static class CollectionAttachmentsApi
{
    public static IEndpointRouteBuilder MapCollectionAttachmentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/collections/{name}/attachments").WithTags("Collections")
            .RequireAuthorization(Policies.Instructor);
        api.MapGet("/", ListAsync).WithName("ListCollectionAttachments")
            .WithSummary("The scenarios and cohorts a collection is attached to (practice there is judged against it); for its owner and admins.");
        api.MapPut("/scenarios/{slug}", AttachToScenarioAsync).WithName("AttachCollectionToScenario")
            .WithSummary("Attaches the caller's collection to a scenario they may edit: its practice is judged against the collection, and the judgement says so. Replaces the scenario's earlier attachment.");
        api.MapDelete("/scenarios/{slug}", DetachFromScenarioAsync).WithName("DetachCollectionFromScenario")
            .WithSummary("Detaches the collection from a scenario (judged against its own exemplars again).");
        api.MapPut("/cohorts/{cohortId:guid}", AttachToCohortAsync).WithName("AttachCollectionToCohort")
            .WithSummary("Attaches the caller's collection to a cohort they teach: its trainees' practice is judged against it (unless the scenario has its own), and the judgement says so.");
        api.MapDelete("/cohorts/{cohortId:guid}", DetachFromCohortAsync).WithName("DetachCollectionFromCohort")
            .WithSummary("Detaches the collection from a cohort.");
        return app;
    }

    public static async Task<Results<Ok<CollectionAttachments>, NotFoundProblem, ForbiddenProblem>> ListAsync(string name, [AsParameters] AttachmentServices s, CancellationToken ct)
    {
        var (collection, standing) = await CollectionAsync(s, name, ct);
        if (standing == Standing.Outsider) return CollectionProblems.UnknownCollection(name);
        if (standing == Standing.Reader) return CollectionProblems.OwnerOnly(name, "attaches it");
        return TypedResults.Ok(await ViewAsync(s.Db, collection, ct));
    }

    public static async Task<Results<Ok<CollectionAttachments>, NotFoundProblem, ForbiddenProblem>> AttachToScenarioAsync(string name, string slug, [AsParameters] AttachmentServices s, CancellationToken ct)
    {
        var (collection, standing) = await CollectionAsync(s, name, ct);
        if (standing == Standing.Outsider) return CollectionProblems.UnknownCollection(name);
        if (standing == Standing.Reader) return CollectionProblems.OwnerOnly(name, "attaches it");
        var (scenario, scenarioStanding) = await ScenarioAsync(s, slug, ct);
        if (scenarioStanding == Standing.Outsider) return ScenarioProblems.UnknownScenario(slug);
        if (scenarioStanding == Standing.Reader) return CollectionProblems.ScenarioNotYours(slug);
        if (scenario.JudgingCollectionId != collection.Id)
        {
            scenario.JudgingCollectionId = collection.Id;
            await s.Db.SaveChangesAsync(ct);
            s.Log.CollectionAttached(s.User.GetUserId().ToString(), name, "attached to", $"scenario {slug}");
        }
        return TypedResults.Ok(await ViewAsync(s.Db, collection, ct));
    }

    public static async Task<Results<NoContent, NotFoundProblem, ForbiddenProblem>> DetachFromScenarioAsync(string name, string slug, [AsParameters] AttachmentServices s, CancellationToken ct)
    {
        var (collection, standing) = await CollectionAsync(s, name, ct);
        if (standing == Standing.Outsider) return CollectionProblems.UnknownCollection(name);
        if (standing == Standing.Reader) return CollectionProblems.OwnerOnly(name, "attaches it");
        var (scenario, scenarioStanding) = await ScenarioAsync(s, slug, ct);
        if (scenarioStanding == Standing.Outsider) return ScenarioProblems.UnknownScenario(slug);
        if (scenarioStanding == Standing.Reader) return CollectionProblems.ScenarioNotYours(slug);
        if (scenario.JudgingCollectionId == collection.Id)
        {
            scenario.JudgingCollectionId = null;
            await s.Db.SaveChangesAsync(ct);
            s.Log.CollectionAttached(s.User.GetUserId().ToString(), name, "detached from", $"scenario {slug}");
        }
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<CollectionAttachments>, NotFoundProblem, ForbiddenProblem>> AttachToCohortAsync(string name, Guid cohortId, [AsParameters] AttachmentServices s, CancellationToken ct)
    {
        var (collection, standing) = await CollectionAsync(s, name, ct);
        if (standing == Standing.Outsider) return CollectionProblems.UnknownCollection(name);
        if (standing == Standing.Reader) return CollectionProblems.OwnerOnly(name, "attaches it");
        var cohort = await TaughtCohortAsync(s, cohortId, ct);
        if (cohort is null) return CollectionProblems.UnknownCohort();
        if (cohort.JudgingCollectionId != collection.Id)
        {
            cohort.JudgingCollectionId = collection.Id;
            await s.Db.SaveChangesAsync(ct);
            s.Log.CollectionAttached(s.User.GetUserId().ToString(), name, "attached to", $"cohort {cohortId}");
        }
        return TypedResults.Ok(await ViewAsync(s.Db, collection, ct));
    }

    public static async Task<Results<NoContent, NotFoundProblem, ForbiddenProblem>> DetachFromCohortAsync(string name, Guid cohortId, [AsParameters] AttachmentServices s, CancellationToken ct)
    {
        var (collection, standing) = await CollectionAsync(s, name, ct);
        if (standing == Standing.Outsider) return CollectionProblems.UnknownCollection(name);
        if (standing == Standing.Reader) return CollectionProblems.OwnerOnly(name, "attaches it");
        var cohort = await TaughtCohortAsync(s, cohortId, ct);
        if (cohort is null) return CollectionProblems.UnknownCohort();
        if (cohort.JudgingCollectionId == collection.Id)
        {
            cohort.JudgingCollectionId = null;
            await s.Db.SaveChangesAsync(ct);
            s.Log.CollectionAttached(s.User.GetUserId().ToString(), name, "detached from", $"cohort {cohortId}");
        }
        return TypedResults.NoContent();
    }

    /// <summary>Where the caller stands with a collection or scenario: they may change it, only see it (403), or not see it (404).</summary>
    private enum Standing { Editor, Reader, Outsider }

    /// <summary>The collection, and whether the caller may change it (none, with <see cref="Standing.Outsider"/>, when they may not see it).</summary>
    private static async Task<(ExemplarCollection Collection, Standing Standing)> CollectionAsync(AttachmentServices s, string name, CancellationToken ct)
    {
        var collection = await s.Db.Collections.AsNoTracking().Where(CollectionAccess.VisibleTo(s.Db, s.User)).SingleOrDefaultAsync(c => c.Name == name, ct);
        if (collection is null) return (null!, Standing.Outsider);
        return (collection, CollectionAccess.CanChange(collection, s.User) ? Standing.Editor : Standing.Reader);
    }

    /// <summary>The scenario (tracked), and whether the caller may edit it (none, with <see cref="Standing.Outsider"/>, when they may not see it).</summary>
    private static async Task<(Scenario Scenario, Standing Standing)> ScenarioAsync(AttachmentServices s, string slug, CancellationToken ct)
    {
        var caller = ScenarioCaller.From(s.User, s.Normalizer);
        var scenario = await s.Db.Scenarios.Where(ScenarioAccess.VisibleTo(caller)).SingleOrDefaultAsync(x => x.Slug == slug, ct);
        if (scenario is null) return (null!, Standing.Outsider);
        return (scenario, await s.Db.Scenarios.Where(ScenarioAccess.EditableBy(caller)).AnyAsync(x => x.Id == scenario.Id, ct) ? Standing.Editor : Standing.Reader);
    }

    /// <summary>The cohort if the caller teaches it (as an instructor now) or is an admin; null otherwise (404).</summary>
    private static async Task<Cohort?> TaughtCohortAsync(AttachmentServices s, Guid cohortId, CancellationToken ct)
    {
        var me = s.User.GetUserId();
        var admin = s.User.IsAdmin();
        var teacher = s.User.IsInstructor();
        return await s.Db.Cohorts.SingleOrDefaultAsync(c => c.Id == cohortId && (admin || (teacher && c.InstructorId == me)), ct);
    }

    private static async Task<CollectionAttachments> ViewAsync(TeacherDbContext db, ExemplarCollection collection, CancellationToken ct)
    {
        var id = collection.Id;
        var scenarios = await db.Scenarios.AsNoTracking().Where(x => x.JudgingCollectionId == id).OrderBy(x => x.Title)
            .Select(x => new AttachedScenario(x.Slug, x.Title)).ToListAsync(ct);
        var cohorts = await db.Cohorts.AsNoTracking().Where(c => c.JudgingCollectionId == id).OrderBy(c => c.Name)
            .Select(c => new AttachedCohort(c.Id, c.Name)).ToListAsync(ct);
        return new CollectionAttachments(collection.Name, scenarios, cohorts);
    }

}

public sealed record AttachmentServices([FromServices] TeacherDbContext Db, ClaimsPrincipal User, [FromServices] ILookupNormalizer Normalizer, [FromServices] SecurityLog Log);

/// <summary>
/// Which collection, if any, judges a practice turn: the one attached to the session's scenario; else
/// the one attached to the cohort of the session's assignment; else the one attached to the trainee's
/// most recently joined cohort that has one. Null: the scenario's own exemplars judge it.
/// </summary>
public static class JudgingCollections
{
    public static async Task<(Guid Id, string Name)?> ForSessionAsync(TeacherDbContext db, Guid scenarioId, Guid userId, Guid? assignmentId, CancellationToken ct)
    {
        // One round trip on every practice turn (most have no attachment): the scenario's own, else the
        // assignment's cohort's, else that of the trainee's most recently joined cohort with one.
        var id = await db.Scenarios.Where(x => x.Id == scenarioId)
            .Select(x => x.JudgingCollectionId
                ?? db.Assignments.Where(a => a.Id == assignmentId).Join(db.Cohorts, a => a.CohortId, c => c.Id, (a, c) => c.JudgingCollectionId).FirstOrDefault()
                ?? db.CohortMembers.Where(m => m.UserId == userId)
                    .Join(db.Cohorts, m => m.CohortId, c => c.Id, (m, c) => new { m.JoinedAt, c.JudgingCollectionId })
                    .Where(j => j.JudgingCollectionId != null).OrderByDescending(j => j.JoinedAt).Select(j => j.JudgingCollectionId).FirstOrDefault())
            .FirstOrDefaultAsync(ct);
        if (id is null) return null;
        var name = await db.Collections.Where(c => c.Id == id).Select(c => c.Name).FirstOrDefaultAsync(ct);
        return name is null ? null : (id.Value, name);
    }
}
