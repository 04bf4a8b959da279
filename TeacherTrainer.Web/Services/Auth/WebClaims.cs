using System.Security.Claims;

namespace TeacherTrainer.Web.Services.Auth;

/// <summary>The claims of a signed-in user of the web app (taken from the API's access token).</summary>
public static class WebClaims
{
    /// <summary>This sign-in's key in the session store: the cookie carries it, the tokens live under it.</summary>
    public const string SessionId = "tt:sid";
}

public static class WebClaimsPrincipalExtensions
{
    public static bool IsSignedIn(this ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true;

    public static Guid? UserId(this ClaimsPrincipal user)
        => Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public static string DisplayName(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Name) ?? "";

    /// <summary>The user's role: admin over instructor over trainee.</summary>
    public static string Role(this ClaimsPrincipal user)
        => user.IsInRole(Roles.Admin) ? Roles.Admin : user.IsInRole(Roles.Instructor) ? Roles.Instructor : Roles.Trainee;

    public static bool CanTeach(this ClaimsPrincipal user) => user.IsInRole(Roles.Instructor) || user.IsInRole(Roles.Admin);
}
