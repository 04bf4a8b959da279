using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using TeacherTrainer.ApiService.Data;

namespace TeacherTrainer.ApiService.Identity;

/// <summary>
/// Security settings admins change: whether staff (instructors and admins) must use two-factor
/// sign-in. Read often (every <c>/api/auth/me</c>), so cached briefly; a change on this replica
/// takes effect at once, on others within <see cref="CacheDuration"/>.
/// </summary>
public sealed class SecuritySettings(TeacherDbContext db, IMemoryCache cache, TimeProvider time)
{
    public const string RequireTwoFactorForStaffKey = "security:require-two-factor-for-staff";
    public static readonly TimeSpan CacheDuration = TimeSpan.FromSeconds(15);

    public async Task<bool> RequireTwoFactorForStaffAsync(CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(RequireTwoFactorForStaffKey, out bool value)) return value;
        var stored = await db.Set<AppSetting>().AsNoTracking().Where(s => s.Key == RequireTwoFactorForStaffKey)
            .Select(s => s.Value).SingleOrDefaultAsync(cancellationToken);
        value = stored == "true";
        cache.Set(RequireTwoFactorForStaffKey, value, CacheDuration);
        return value;
    }

    public async Task SetRequireTwoFactorForStaffAsync(bool required, Guid actorId, CancellationToken cancellationToken)
    {
        var setting = await db.Set<AppSetting>().SingleOrDefaultAsync(s => s.Key == RequireTwoFactorForStaffKey, cancellationToken);
        if (setting is null)
        {
            setting = new AppSetting { Key = RequireTwoFactorForStaffKey, Value = "" };
            db.Add(setting);
        }
        setting.Value = required ? "true" : "false";
        setting.UpdatedAt = time.GetUtcNow();
        setting.UpdatedBy = actorId;
        await db.SaveChangesAsync(cancellationToken);
        cache.Remove(RequireTwoFactorForStaffKey);
    }
}
