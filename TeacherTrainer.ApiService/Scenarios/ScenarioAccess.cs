using System.Linq.Expressions;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using TeacherTrainer.ApiService.Identity;

namespace TeacherTrainer.ApiService.Scenarios;

/// <summary>Who is asking about a scenario: enough to decide what they may see and change.</summary>
public sealed record ScenarioCaller(Guid UserId, string? NormalizedEmail, bool IsAdmin, bool IsInstructor)
{
    public static ScenarioCaller From(ClaimsPrincipal user, ILookupNormalizer normalizer)
    {
        var email = user.FindFirstValue(ClaimsPrincipalExtensions.EmailClaim);
        return new(user.GetUserId(), string.IsNullOrEmpty(email) ? null : normalizer.NormalizeEmail(email), user.IsAdmin(), user.IsInstructor());
    }
}

/// <summary>
/// The one rule for scenario ownership. The built-in library is read-only for everyone but admins
/// (instructors copy it). An authored scenario belongs to its owner and the co-authors they named
/// (instructors or admins with that email); only they or an admin edit, publish or archive it. A
/// draft is visible only to them; a published scenario to everyone signed in until it is archived,
/// or, when it is published to cohorts (<see cref="Scenario.CohortsOnly"/>), only to their members
/// and instructors (and its authors and admins).
/// Callers answer 404 for what the caller may not see, 403 for what they see but may not change.
/// </summary>
public static class ScenarioAccess
{
    /// <summary>
    /// In the library for everyone: published to it and not archived. Only these are listed in the shared (cached)
    /// catalog and suggested; a scenario published to cohorts is seen through <see cref="VisibleTo"/> by their people.
    /// </summary>
    public static readonly Expression<Func<Scenario, bool>> InCatalog = s => s.PublishedAt != null && !s.IsArchived && !s.CohortsOnly;

    /// <summary>Published (not archived) to a cohort the caller belongs to or teaches (teaching counts only while they are an instructor).</summary>
    public static Expression<Func<Scenario, bool>> PublishedToCohortsOf(ScenarioCaller caller)
    {
        var id = caller.UserId;
        var teacher = caller.IsInstructor;
        return s => s.PublishedAt != null && !s.IsArchived && s.CohortsOnly
            && s.Audiences.Any(a => a.Cohort!.Members.Any(m => m.UserId == id) || (teacher && a.Cohort.InstructorId == id));
    }

    /// <summary>Scenarios the caller may edit, publish and archive.</summary>
    public static Expression<Func<Scenario, bool>> EditableBy(ScenarioCaller caller)
    {
        if (caller.IsAdmin) return s => true;
        var id = caller.UserId;
        // A co-author's email grants nothing to a trainee who happens to hold it.
        var email = caller.IsInstructor ? caller.NormalizedEmail ?? "" : "";
        return s => s.Source != ScenarioSources.Library
            && (s.OwnerId == id || (email != "" && s.CoAuthors.Any(a => a.NormalizedEmail == email)));
    }

    /// <summary>Scenarios the caller may see (briefing, practice, evaluation, export, copy).</summary>
    public static Expression<Func<Scenario, bool>> VisibleTo(ScenarioCaller caller)
    {
        if (caller.IsAdmin) return s => true;
        var id = caller.UserId;
        var email = caller.IsInstructor ? caller.NormalizedEmail ?? "" : "";
        var teacher = caller.IsInstructor;
        return s => (s.PublishedAt != null && !s.IsArchived && !s.CohortsOnly)
            || (s.PublishedAt != null && !s.IsArchived && s.CohortsOnly
                && s.Audiences.Any(a => a.Cohort!.Members.Any(m => m.UserId == id) || (teacher && a.Cohort.InstructorId == id)))
            || (s.Source != ScenarioSources.Library && (s.OwnerId == id || (email != "" && s.CoAuthors.Any(a => a.NormalizedEmail == email))));
    }

    /// <summary>Only the owner and admins name or remove co-authors.</summary>
    public static bool CanManageAuthors(Scenario scenario, ScenarioCaller caller)
        => caller.IsAdmin || (scenario.Source != ScenarioSources.Library && scenario.OwnerId == caller.UserId);
}
