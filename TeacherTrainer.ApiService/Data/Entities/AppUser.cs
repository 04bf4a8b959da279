using Microsoft.AspNetCore.Identity;

namespace TeacherTrainer.ApiService.Data.Entities;

public sealed class AppUser : IdentityUser<Guid>
{
    public string DisplayName { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The last successful password sign-in (null: never), shown to admins on Admin → Users.</summary>
    public DateTimeOffset? LastSignInAt { get; set; }
}
