using System.Security.Claims;
using TeacherTrainer.ApiService.Identity;

namespace TeacherTrainer.ApiService.Practice;

/// <summary>Who may read a trainee's session: the trainee, and administrators.</summary>
public sealed class SessionAccess
{
    public Task<bool> CanReadAsync(ClaimsPrincipal user, Guid ownerId, CancellationToken cancellationToken)
        => Task.FromResult(user.GetUserId() == ownerId || user.IsInRole(Roles.Admin));
}
