using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Extensions;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.ApiService.Security;

namespace TeacherTrainer.ApiService.Scenarios;

/// <summary>
/// What the scenario editor opens with, in one answer: the document, whose it is and what the caller may do, and for
/// its authors the choices the editor offers (the cohorts they may publish to, the collections they may attach).
/// Who may read it is <see cref="ScenarioAccess"/>, as for the document: a scenario the caller may not see answers 404.
/// </summary>
public static class ScenarioEditorApi
{
    public static IEndpointRouteBuilder MapScenarioEditorApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/scenarios").WithTags("Scenario authoring").RequireAuthorization(Policies.Instructor);

        api.MapGet("/{slug}/editor", GetEditorAsync).WithName("GetScenarioEditor")
            .WithSummary("What the scenario editor shows: the current document, its ownership and, for its authors, the cohorts they may publish to and the exemplar collections they may attach.");
        return app;
    }

    public static async Task<Results<Ok<ScenarioEditorView>, NotFoundProblem>> GetEditorAsync(string slug, [AsParameters] AuthoringServices s, CancellationToken ct)
    {
        if ((await ScenarioAuthoringApi.GetDocumentAsync(slug, s, ct)).Result is not Ok<ScenarioDocument> { Value: { } document }
            || (await ScenarioAuthoringApi.GetOwnershipAsync(slug, s, ct)).Result is not Ok<ScenarioOwnership> { Value: { } ownership })
        {
            return ScenarioProblems.UnknownScenario(slug);
        }
        // The document as GET .../document writes it (the editor edits it as JSON).
        var json = System.Text.Json.JsonSerializer.SerializeToNode(document, ScenarioDocument.JsonOptions)!.AsObject();
        // A reader who may not change it gets no choices: they only copy it.
        if (!ownership.CanEdit) return TypedResults.Ok(new ScenarioEditorView(json, ownership, [], []));

        var me = s.UserId;
        var admin = s.User.IsAdmin();
        // Publishing's choices: the cohorts the caller teaches (admins: all), as the publish endpoint allows.
        var cohorts = await s.Db.Cohorts.AsNoTracking().Where(c => admin || (s.User.IsInstructor() && c.InstructorId == me))
            .OrderBy(c => c.Name).Take(500)
            .Select(c => new PublishableCohort(c.Id, c.Name, c.Members.Count))
            .ToListAsync(ct);
        // Attaching's choices: collections the caller may change (their own; admins: any).
        var collections = await s.Db.Collections.AsNoTracking().Where(c => admin || c.OwnerId == me)
            .OrderBy(c => c.Name).Select(c => c.Name)
            .ToListAsync(ct);
        return TypedResults.Ok(new ScenarioEditorView(json, ownership, cohorts, collections));
    }
}
