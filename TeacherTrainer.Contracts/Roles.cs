namespace TeacherTrainer.Contracts;

/// <summary>The role names carried in access tokens and shown to admins.</summary>
public static class Roles
{
    public const string Trainee = "trainee";
    public const string Instructor = "instructor";
    public const string Admin = "admin";
    public static readonly IReadOnlyList<string> All = [Trainee, Instructor, Admin];
}

/// <summary>
/// Authorization policy names, the same on both sides. Every API endpoint names its rule: <c>AllowAnonymous</c>,
/// one of these, or nothing, which means the fallback policy: any signed-in user. Ownership (whose session,
/// whose cohort) is checked in the handlers on top of these.
/// </summary>
public static class Policies
{
    /// <summary>Instructors and admins.</summary>
    public const string Instructor = "instructor";

    /// <summary>Admins only.</summary>
    public const string Admin = "admin";
}
