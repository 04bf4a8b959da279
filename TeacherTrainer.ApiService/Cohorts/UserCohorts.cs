using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Data;
using TeacherTrainer.ApiService.Identity;

namespace TeacherTrainer.ApiService.Cohorts;

/// <summary>Cohorts as sign-up and "who am I" see them (<see cref="IUserCohorts"/>).</summary>
public sealed class UserCohorts(TeacherDbContext db, TimeProvider time) : IUserCohorts
{
    public async Task<Guid?> FindByInviteCodeAsync(string inviteCode, CancellationToken ct)
    {
        var code = InviteCodes.Normalize(inviteCode);
        return await db.Cohorts.Where(c => c.InviteCode == code).Select(c => (Guid?)c.Id).SingleOrDefaultAsync(ct);
    }

    public async Task JoinAsync(Guid cohortId, Guid userId, CancellationToken ct)
    {
        db.CohortMembers.Add(new CohortMember { CohortId = cohortId, UserId = userId, JoinedAt = time.GetUtcNow() });
        await db.SaveChangesAsync(ct);
    }

    public Task<List<MeCohort>> ListAsync(Guid userId, CancellationToken ct)
        => db.Cohorts.AsNoTracking()
            .Where(c => c.InstructorId == userId || c.Members.Any(m => m.UserId == userId))
            .OrderBy(c => c.Name)
            .Select(c => new MeCohort(c.Id, c.Name, c.InstructorId == userId ? CohortRelation.Instructor : CohortRelation.Member))
            .ToListAsync(ct);
}
