using System.Linq.Expressions;
using System.Security.Claims;
using TeacherTrainer.ApiService.Data;
using TeacherTrainer.ApiService.Identity;

namespace TeacherTrainer.ApiService.Evaluation;

/// <summary>
/// Who may see an exemplar collection (its summary, judging against it, and so the rated texts its
/// nearest exemplars quote): its owner, the members and instructor of each cohort it is shared
/// with, and admins. Everyone else is told it does not exist (404). Only the owner and admins
/// change, share or delete it.
/// </summary>
public static class CollectionAccess
{
    public static Expression<Func<ExemplarCollection, bool>> VisibleTo(TeacherDbContext db, ClaimsPrincipal user)
    {
        if (user.IsAdmin()) return c => true;
        var me = user.GetUserId();
        return c => c.OwnerId == me
            || db.CollectionShares.Any(s => s.CollectionId == c.Id
                && db.Cohorts.Any(k => k.Id == s.CohortId && (k.InstructorId == me || k.Members.Any(m => m.UserId == me))));
    }

    public static bool CanChange(ExemplarCollection collection, ClaimsPrincipal user)
        => user.IsAdmin() || (collection.OwnerId is { } owner && owner == user.GetUserId());
}
