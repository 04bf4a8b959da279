using System.Security.Claims;
using TeacherTrainer.ApiService.Security;

namespace TeacherTrainer.ApiService.Extensions;

/// <summary>The claims our access tokens carry, and how to read them.</summary>
public static class ClaimsPrincipalExtensions
{
    public const string UserIdClaim = TokenClaims.UserId;
    public const string RoleClaim = TokenClaims.Role;
    public const string NameClaim = TokenClaims.Name;
    public const string EmailClaim = TokenClaims.Email;
    /// <summary>A hash of the user's security stamp when the token was issued (checked by Identity's TokenRevocationCheck).</summary>
    public const string StampClaim = TokenClaims.Stamp;

    /// <summary>
    /// The signed-in user's id. Only for endpoints that require a signed-in user (every endpoint
    /// does unless it allows anonymous access); throws when there is none.
    /// </summary>
    public static Guid GetUserId(this ClaimsPrincipal principal)
        => principal.TryGetUserId(out var id) ? id : throw new InvalidOperationException("The request has no signed-in user.");

    public static bool TryGetUserId(this ClaimsPrincipal principal, out Guid id) => CallerClaims.TryReadUserId(principal, out id);

    public static bool IsAdmin(this ClaimsPrincipal principal) => principal.IsInRole(Roles.Admin);

    public static bool IsInstructor(this ClaimsPrincipal principal) => principal.IsInRole(Roles.Instructor);
}
