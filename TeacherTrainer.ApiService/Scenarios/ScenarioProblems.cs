using Microsoft.AspNetCore.Http.HttpResults;
using TeacherTrainer.ApiService.Extensions;

namespace TeacherTrainer.ApiService.Scenarios;

/// <summary>The scenario problems, each worded once; practice, judging and collections answer <see cref="UnknownScenario"/> too.</summary>
public static class ScenarioProblems
{
    /// <summary>No scenario by that slug (or id) that the caller may see: a draft is its authors' alone.</summary>
    public static NotFoundProblem UnknownScenario(string slug) => ApiProblems.NotFound("Unknown scenario", $"There is no scenario '{slug}'.");

    public static ConflictProblem SlugTaken(string slug) => ApiProblems.Conflict("Slug taken", $"The slug '{slug}' cannot be used; choose another.");

    // The 403s carry a reason the editor shows. ApiProblems has no typed 403, and every endpoint's 403 is already
    // declared in OpenAPI by Security/OpenApiSecurityTransformers, so these stay problem results.
    public static ProblemHttpResult LibraryReadOnly(string slug) => Forbidden("The library is read-only",
        $"'{slug}' is part of the built-in library, which only administrators change. Copy it to make your own version.");

    public static ProblemHttpResult NotYours(string slug, string what) => Forbidden("Not your scenario",
        $"'{slug}' belongs to another author; only its owner, its co-authors (the owner alone for co-authors) or an administrator may {what}. Copy it to make your own version.");

    public static ProblemHttpResult OnlyAdminsPublishToLibrary() => Forbidden("Only administrators publish to the library",
        "The library is for every trainee; publish to your cohorts instead (audience \"cohorts\" with their ids).");

    private static ProblemHttpResult Forbidden(string title, string detail)
        => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: title, detail: detail);
}
