namespace TeacherTrainer.ApiService.Identity;

/// <summary>
/// What sign-up and "who am I" need from cohorts. Identity sits below Cohorts (which reads the signed-in user),
/// so it asks through this interface, implemented by <c>Cohorts.UserCohorts</c>, rather than depending on Cohorts.
/// </summary>
public interface IUserCohorts
{
    /// <summary>The cohort with this invitation code (as typed), or null.</summary>
    Task<Guid?> FindByInviteCodeAsync(string inviteCode, CancellationToken ct);

    /// <summary>Makes a new account a member of the cohort it signed up to (by its code).</summary>
    Task JoinAsync(Guid cohortId, Guid userId, CancellationToken ct);

    /// <summary>The cohorts the user teaches or belongs to, by name.</summary>
    Task<List<MeCohort>> ListAsync(Guid userId, CancellationToken ct);
}
