using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Extensions;
using TeacherTrainer.ApiService.Scenarios;
using TeacherTrainer.ApiService.Security;

namespace TeacherTrainer.ApiService.Cohorts;

/// <summary>
/// The cohort page's frame in one answer: the cohort (members, invitations, assignments, invitation code) and the
/// scenarios that may be assigned to it. Its sections (dashboard, debrief, sessions, collections) load their own.
/// For the cohort's instructor and admins; trainees are refused by role, other instructors told nothing (404).
/// </summary>
public static class CohortPageApi
{
    public static IEndpointRouteBuilder MapCohortPageApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/cohorts").WithTags("Cohorts").RequireAuthorization(Policies.Instructor);

        api.MapGet("/{cohortId:guid}/page", GetCohortPageAsync).WithName("GetCohortPage")
            .WithSummary("What the cohort page's frame shows: the cohort as its instructor sees it, and the scenarios that may be assigned to it (the library and those published to this cohort).");
        return app;
    }

    public static async Task<Results<Ok<CohortPageView>, NotFoundProblem>> GetCohortPageAsync(Guid cohortId, [AsParameters] CohortServices s, CancellationToken ct)
    {
        // The cohort as GET /api/cohorts/{id} gives it, to its instructor or an admin only (a member is no manager).
        if ((await CohortsApi.GetCohortAsync(cohortId, s, ct)).Result is not Ok<CohortDetails> { Value: { } cohort } || cohort.InviteCode is null)
        {
            return CohortProblems.UnknownCohort();
        }
        // Scenarios published to this cohort only come first, then the library, each by category and title.
        var published = s.Db.Scenarios.AsNoTracking().Where(x => x.PublishedAt != null && !x.IsArchived);
        var ours = await published.Where(x => x.CohortsOnly && x.Audiences.Any(a => a.CohortId == cohortId))
            .OrderBy(x => x.Category).ThenBy(x => x.Title)
            .Select(x => new ScenarioCard(x.Slug, x.Title, x.Category, x.GradeBand, x.Difficulty, x.Summary, x.CurrentVersionNumber, null, ScenarioSources.Authored))
            .ToListAsync(ct);
        var library = await published.Where(ScenarioAccess.InCatalog)
            .OrderBy(x => x.Category).ThenBy(x => x.Title)
            .Select(x => new ScenarioCard(x.Slug, x.Title, x.Category, x.GradeBand, x.Difficulty, x.Summary, x.CurrentVersionNumber, null, x.Source))
            .ToListAsync(ct);
        return TypedResults.Ok(new CohortPageView(cohort, [.. ours, .. library]));
    }
}
