using Microsoft.AspNetCore.Http.HttpResults;
using TeacherTrainer.ApiService.Extensions;

namespace TeacherTrainer.ApiService.Evaluation;

/// <summary>The exemplar collection problems, each worded once (the endpoint recipe, docs/architecture.md).</summary>
public static class CollectionProblems
{
    /// <summary>No collection by that name that the caller may see.</summary>
    public static NotFoundProblem UnknownCollection(string name) => ApiProblems.NotFound("Unknown collection", $"There is no exemplar collection '{name}'.");

    /// <summary>A cohort the caller does not teach does not exist for them.</summary>
    public static NotFoundProblem UnknownCohort() => ApiProblems.NotFound("Unknown cohort", "There is no such cohort among those you teach.");

    /// <summary>Names are unique across the system, so a name in use cannot be hidden; who uses it can.</summary>
    public static ConflictProblem NameInUse(string name) => ApiProblems.Conflict("Name in use", $"The name '{name}' is already in use; choose another for your collection.");

    // The 403s carry a reason the pages show. ApiProblems has no typed 403, and every endpoint's 403 is already
    // declared in OpenAPI by Security/OpenApiSecurityTransformers, so these stay problem results.
    public static ForbiddenProblem NotYours(string name) => Forbidden("Not your collection",
        $"The collection '{name}' belongs to another instructor; only they or an administrator may change it.");

    /// <param name="what">What only the owner or an admin does, e.g. "sees its quality view".</param>
    public static ForbiddenProblem OwnerOnly(string name, string what) => Forbidden("Not your collection", $"Only the owner of '{name}' or an administrator {what}.");

    public static ForbiddenProblem ScenarioNotYours(string slug) => Forbidden("Not your scenario",
        $"Only the authors of '{slug}' or an administrator attach a collection to it; copy it to make your own.");

    private static ForbiddenProblem Forbidden(string title, string detail)
        => ApiProblems.Forbidden(title, detail);
}
