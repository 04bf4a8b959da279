using System.Security.Claims;

namespace TeacherTrainer.ApiService.Security;

/// <summary>
/// Who is calling, as the defences (rate limits, the security log) need it. Identity's
/// <c>ClaimsPrincipalExtensions</c> reads the same claim through this, so the rule lives once and Security
/// does not depend on Identity.
/// </summary>
public static class CallerClaims
{
    /// <summary>The signed-in caller's id, when there is one.</summary>
    public static bool TryReadUserId(ClaimsPrincipal principal, out Guid id)
    {
        id = Guid.Empty;
        return principal.Identity?.IsAuthenticated == true && Guid.TryParse(principal.FindFirstValue(TokenClaims.UserId), out id);
    }
}
