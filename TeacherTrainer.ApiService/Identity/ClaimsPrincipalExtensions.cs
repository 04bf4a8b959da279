using System.Security.Claims;

namespace TeacherTrainer.ApiService.Identity;

public static class ClaimsPrincipalExtensions
{
    /// <summary>The signed-in user's id (the token's subject).</summary>
    public static Guid GetUserId(this ClaimsPrincipal user)
        => Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.FindFirstValue("sub"), out var id)
            ? id
            : throw new InvalidOperationException("The request has no signed-in user.");
}
