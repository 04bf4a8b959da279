using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Extensions;
using TeacherTrainer.ApiService.Identity;

namespace TeacherTrainer.ApiService.Cohorts;

/// <summary>
/// The invitee's side of cohort invitations: the signed-in person sees the pending invitations
/// addressed to their account's email, and accepts (joins the cohort) or declines. An invitation
/// addressed to someone else answers 404, as if it did not exist.
/// </summary>
public static class InvitationsApi
{
    public static IEndpointRouteBuilder MapInvitationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/invitations").WithTags("Cohorts").RequireAuthorization();
        api.MapGet("/", ListMineAsync).WithName("ListMyInvitations")
            .WithSummary("Pending invitations to cohorts addressed to the caller's email.");
        api.MapPost("/{invitationId:guid}/accept", AcceptAsync).WithName("AcceptInvitation")
            .WithSummary("Accepts an invitation addressed to the caller: they join the cohort.");
        api.MapPost("/{invitationId:guid}/decline", DeclineAsync).WithName("DeclineInvitation")
            .WithSummary("Declines an invitation addressed to the caller: it is deleted, nothing else changes.");
        return app;
    }

    public static async Task<Ok<List<InvitationForMe>>> ListMineAsync([AsParameters] CohortServices s, CancellationToken ct)
    {
        var email = await MyEmailAsync(s, ct);
        var invitations = await s.Db.CohortInvitations.AsNoTracking().Where(i => i.NormalizedEmail == email)
            .OrderBy(i => i.CreatedAt)
            .Join(s.Db.Cohorts, i => i.CohortId, c => c.Id, (i, c) => new InvitationForMe(i.Id, c.Id, c.Name, c.Description,
                s.Db.Users.Where(u => u.Id == c.InstructorId).Select(u => u.DisplayName).First(),
                s.Db.Users.Where(u => u.Id == i.InvitedById).Select(u => u.DisplayName).First(), i.CreatedAt))
            .Take(100)
            .ToListAsync(ct);
        return TypedResults.Ok(invitations);
    }

    public static async Task<Results<Ok<JoinedCohort>, NotFoundProblem, ValidationProblem>> AcceptAsync(Guid invitationId, [AsParameters] CohortServices s, CancellationToken ct)
    {
        var me = s.User.GetUserId();
        var invitation = await MineAsync(s, invitationId, ct);
        if (invitation is null) return CohortProblems.UnknownInvitation();
        var cohort = await s.Db.Cohorts.AsNoTracking().SingleAsync(c => c.Id == invitation.CohortId, ct);
        if (cohort.InstructorId == me)
            return CohortProblems.TeachesIt("invitationId");
        if (!await s.Db.CohortMembers.AnyAsync(m => m.CohortId == cohort.Id && m.UserId == me, ct))
        {
            s.Db.CohortMembers.Add(new CohortMember { CohortId = cohort.Id, UserId = me, JoinedAt = s.Time.GetUtcNow(), AddedById = invitation.InvitedById });
        }
        s.Db.CohortInvitations.Remove(invitation);
        try
        {
            await s.Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || ex.InnerException is Npgsql.PostgresException { SqlState: "23505" })
        {
            // Accepted twice at once: the other request made the membership.
            return TypedResults.Ok(new JoinedCohort(cohort.Id, cohort.Name));
        }
        s.SecurityLog.CohortInvitationChanged(me.ToString(), invitationId, cohort.Id, "accepted");
        s.SecurityLog.CohortMembershipChanged(me.ToString(), me.ToString(), cohort.Id, "joined by invitation");
        return TypedResults.Ok(new JoinedCohort(cohort.Id, cohort.Name));
    }

    public static async Task<Results<NoContent, NotFoundProblem>> DeclineAsync(Guid invitationId, [AsParameters] CohortServices s, CancellationToken ct)
    {
        var invitation = await MineAsync(s, invitationId, ct);
        if (invitation is null) return CohortProblems.UnknownInvitation();
        s.Db.CohortInvitations.Remove(invitation);
        try
        {
            await s.Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return TypedResults.NoContent();
        }
        s.SecurityLog.CohortInvitationChanged(s.User.GetUserId().ToString(), invitationId, invitation.CohortId, "declined");
        return TypedResults.NoContent();
    }

    /// <summary>The invitation if it is addressed to the caller's email; null otherwise (answer 404).</summary>
    private static async Task<CohortInvitation?> MineAsync(CohortServices s, Guid invitationId, CancellationToken ct)
    {
        var email = await MyEmailAsync(s, ct);
        return await s.Db.CohortInvitations.SingleOrDefaultAsync(i => i.Id == invitationId && i.NormalizedEmail == email, ct);
    }

    /// <summary>The caller's email as stored now (not as the token says: the account may have changed it).</summary>
    private static async Task<string> MyEmailAsync(CohortServices s, CancellationToken ct)
    {
        var me = s.User.GetUserId();
        return await s.Db.Users.Where(u => u.Id == me).Select(u => u.NormalizedEmail).SingleOrDefaultAsync(ct) ?? "\0";
    }
}
