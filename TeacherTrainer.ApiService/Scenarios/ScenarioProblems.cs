using Microsoft.AspNetCore.Http.HttpResults;
using TeacherTrainer.ApiService.Extensions;

namespace TeacherTrainer.ApiService.Scenarios;

/// <summary>The scenario problems, each worded once; practice, judging and collections answer <see cref="UnknownScenario"/> too.</summary>
public static class ScenarioProblems
{
    /// <summary>No scenario by that slug (or id) that the caller may see: a draft is its authors' alone.</summary>
    public static NotFoundProblem UnknownScenario(string slug) => ApiProblems.NotFound("Unknown scenario", $"There is no scenario '{slug}'.");

    public static ConflictProblem SlugTaken(string slug) => ApiProblems.Conflict("Slug taken", $"The slug '{slug}' cannot be used; choose another.");

    // The 403s carry a reason the editor shows: the caller may see this but not change it.
    public static ForbiddenProblem LibraryReadOnly(string slug) => Forbidden("The library is read-only",
        $"'{slug}' is part of the built-in library, which only administrators change. Copy it to make your own version.");

    public static ForbiddenProblem NotYours(string slug, string what) => Forbidden("Not your scenario",
        $"'{slug}' belongs to another author; only its owner, its co-authors (the owner alone for co-authors) or an administrator may {what}. Copy it to make your own version.");

    public static ForbiddenProblem OnlyAdminsPublishToLibrary() => Forbidden("Only administrators publish to the library",
        "The library is for every trainee; publish to your cohorts instead (audience \"cohorts\" with their ids).");

    private static ForbiddenProblem Forbidden(string title, string detail)
        => ApiProblems.Forbidden(title, detail);
}
