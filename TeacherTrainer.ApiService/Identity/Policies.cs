namespace TeacherTrainer.ApiService.Identity;

/// <summary>
/// Authorization policy names. Every endpoint names its rule: <c>AllowAnonymous</c>, one of these,
/// or nothing, which means the fallback policy: any signed-in user. Ownership (whose session,
/// whose cohort) is checked in the handlers on top of these.
/// </summary>
public static class Policies
{
    /// <summary>Instructors and admins.</summary>
    public const string Instructor = "instructor";

    /// <summary>Admins only.</summary>
    public const string Admin = "admin";
}
