using System.Security.Claims;

namespace TeacherTrainer.ApiService.Extensions;

/// <summary>The claims our access tokens carry, and how to read them.</summary>
public static class ClaimsPrincipalExtensions
{
    public const string UserIdClaim = "sub";
    public const string RoleClaim = "role";
    public const string NameClaim = "name";
    public const string EmailClaim = "email";
    /// <summary>A hash of the user's security stamp when the token was issued (checked by Identity's TokenRevocationCheck).</summary>
    public const string StampClaim = "sst";

    /// <summary>
    /// The signed-in user's id. Only for endpoints that require a signed-in user (every endpoint
    /// does unless it allows anonymous access); throws when there is none.
    /// </summary>
    public static Guid GetUserId(this ClaimsPrincipal principal)
        => principal.TryGetUserId(out var id) ? id : throw new InvalidOperationException("The request has no signed-in user.");

    public static bool TryGetUserId(this ClaimsPrincipal principal, out Guid id)
    {
        id = Guid.Empty;
        return principal.Identity?.IsAuthenticated == true && Guid.TryParse(principal.FindFirstValue(UserIdClaim), out id);
    }

    public static bool IsAdmin(this ClaimsPrincipal principal) => principal.IsInRole(Roles.Admin);

    public static bool IsInstructor(this ClaimsPrincipal principal) => principal.IsInRole(Roles.Instructor);
}
