using System.ComponentModel.DataAnnotations;
using System.Linq.Expressions;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Data;
using TeacherTrainer.ApiService.Extensions;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.ApiService.Practice;
using TeacherTrainer.ApiService.Security;

namespace TeacherTrainer.ApiService.Cohorts;

/// <summary>
/// Cohorts, their members and assignments. Instructors manage the cohorts they teach (admins any);
/// trainees see the cohorts they belong to and their assignments, and leave when they wish. Nobody is
/// added to a cohort by someone else: a trainee joins by its code or by accepting an invitation
/// (<see cref="InvitationsApi"/>). Teaching is checked at request time: an instructor who has lost the
/// role no longer manages, or sees the members of, the cohorts they taught. A cohort the caller neither
/// teaches nor belongs to answers 404.
/// </summary>
public static class CohortsApi
{
    private const long MaxBodyBytes = 32 * 1024;

    public static IEndpointRouteBuilder MapCohortsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/cohorts").WithTags("Cohorts").RequireAuthorization()
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes));

        api.MapGet("/", ListCohortsAsync).WithName("ListCohorts")
            .WithSummary("Cohorts the caller teaches or belongs to (admins: all).");
        api.MapPost("/", CreateCohortAsync).WithName("CreateCohort")
            .WithSummary("Creates a cohort taught by the caller, with a new invitation code.")
            .RequireAuthorization(Policies.Instructor);
        api.MapPost("/join", JoinCohortAsync).WithName("JoinCohort")
            .WithSummary("Joins the cohort with this invitation code.")
            .RequireRateLimiting(RateLimitPolicies.SignIn);
        api.MapGet("/{cohortId:guid}", GetCohortAsync).WithName("GetCohort")
            .WithSummary("A cohort: its instructor and assignments; for its instructor also the members and the invitation code.");
        api.MapPost("/{cohortId:guid}/invite-code", RotateInviteCodeAsync).WithName("RotateInviteCode")
            .WithSummary("Replaces the invitation code (the old one stops working).")
            .RequireAuthorization(Policies.Instructor);
        api.MapPost("/{cohortId:guid}/invitations", InviteAsync).WithName("InviteToCohort")
            .WithSummary("Invites an email to join a cohort the caller teaches; the person accepts or declines. The answer is the same whether or not an account has that email.")
            .RequireAuthorization(Policies.Instructor)
            .RequireRateLimiting(RateLimitPolicies.SignIn);
        api.MapPost("/{cohortId:guid}/invitations/bulk", BulkInvitations.InviteManyAsync).WithName("InviteManyToCohort")
            .WithSummary("Bulk intake: invites every email of a CSV of names and emails to a cohort the caller teaches, answering each row (invited, already invited, invalid with the reason) the same whether or not an account has the email.")
            .RequireAuthorization(Policies.Instructor)
            .RequireRateLimiting(RateLimitPolicies.SignIn)
            .WithMetadata(new RequestSizeLimitAttribute(BulkInvitations.MaxBodyBytes));
        api.MapDelete("/{cohortId:guid}/invitations/{invitationId:guid}", WithdrawInvitationAsync).WithName("WithdrawCohortInvitation")
            .WithSummary("Withdraws a pending invitation.")
            .RequireAuthorization(Policies.Instructor);
        api.MapDelete("/{cohortId:guid}/membership", LeaveCohortAsync).WithName("LeaveCohort")
            .WithSummary("The caller leaves a cohort they belong to: its instructor no longer sees any of their practice.");
        api.MapDelete("/{cohortId:guid}/members/{userId:guid}", RemoveMemberAsync).WithName("RemoveCohortMember")
            .WithSummary("Removes a trainee from a cohort the caller teaches (their sessions are kept).")
            .RequireAuthorization(Policies.Instructor);
        api.MapGet("/{cohortId:guid}/assignments", ListAssignmentsAsync).WithName("ListCohortAssignments")
            .WithSummary("The cohort's assignments, soonest due first.");
        api.MapPost("/{cohortId:guid}/assignments", CreateAssignmentAsync).WithName("CreateAssignment")
            .WithSummary("Assigns a scenario to the cohort with a due date.")
            .RequireAuthorization(Policies.Instructor);
        api.MapDelete("/{cohortId:guid}/assignments/{assignmentId:guid}", DeleteAssignmentAsync).WithName("DeleteAssignment")
            .WithSummary("Withdraws an assignment (sessions practised for it are kept).")
            .RequireAuthorization(Policies.Instructor);
        api.MapGet("/{cohortId:guid}/sessions", ListCohortSessionsAsync).WithName("ListCohortSessions")
            .WithSummary("Sessions the cohort's trainees practised for its assignments since joining, or shared with it; newest first (transcripts at GET /api/review/sessions/{id}).")
            .RequireAuthorization(Policies.Instructor);

        app.MapGet("/api/assignments", ListMyAssignmentsAsync).WithTags("Cohorts").WithName("ListMyAssignments")
            .WithSummary("The caller's assignments from every cohort they belong to, with whether each is done.")
            .RequireAuthorization();

        app.MapInvitationsApi();
        app.MapSharingApi();
        app.MapCohortInsightApi();
        return app;
    }

    public static async Task<Ok<List<CohortSummary>>> ListCohortsAsync([AsParameters] CohortServices s, CancellationToken ct)
    {
        var me = s.User.GetUserId();
        var admin = s.User.IsAdmin();
        // Teaching counts only while the caller holds the instructor role (checked now, not when the cohort was made).
        var teacher = s.User.IsInstructor();
        var cohorts = await s.Db.Cohorts.AsNoTracking()
            .Where(c => admin || (teacher && c.InstructorId == me) || c.Members.Any(m => m.UserId == me))
            .OrderBy(c => c.Name)
            .Select(c => new CohortSummary(c.Id, c.Name, c.Description,
                s.Db.Users.Where(u => u.Id == c.InstructorId).Select(u => u.DisplayName).First(),
                c.Members.Count, c.Assignments.Count,
                admin || (teacher && c.InstructorId == me) ? c.InviteCode : null))
            .Take(500)
            .ToListAsync(ct);
        return TypedResults.Ok(cohorts);
    }

    public static async Task<Created<CohortDetails>> CreateCohortAsync(CreateCohortRequest request, [AsParameters] CohortServices s, CancellationToken ct)
    {
        var cohort = new Cohort
        {
            Id = Guid.CreateVersion7(), Name = request.Name.Trim(), Description = request.Description?.Trim() ?? "",
            InviteCode = InviteCodes.Create(), InstructorId = s.User.GetUserId(), CreatedAt = s.Time.GetUtcNow(),
        };
        s.Db.Cohorts.Add(cohort);
        await s.Db.SaveChangesAsync(ct);
        s.Logger.LogInformation("Cohort {CohortId} created by {UserId}", cohort.Id, cohort.InstructorId);
        return TypedResults.Created($"/api/cohorts/{cohort.Id}", (await DetailsAsync(s, cohort.Id, manager: true, ct))!);
    }

    public static async Task<Results<Ok<JoinedCohort>, ValidationProblem>> JoinCohortAsync(JoinCohortRequest request, [AsParameters] CohortServices s, CancellationToken ct)
    {
        var code = InviteCodes.Normalize(request.InviteCode);
        var cohort = await s.Db.Cohorts.AsNoTracking().SingleOrDefaultAsync(c => c.InviteCode == code, ct);
        if (cohort is null) return CohortProblems.UnknownInviteCode();
        var me = s.User.GetUserId();
        if (cohort.InstructorId == me) return CohortProblems.TeachesIt("inviteCode");
        if (!await s.Db.CohortMembers.AnyAsync(m => m.CohortId == cohort.Id && m.UserId == me, ct))
        {
            s.Db.CohortMembers.Add(new CohortMember { CohortId = cohort.Id, UserId = me, JoinedAt = s.Time.GetUtcNow() });
            await s.Db.SaveChangesAsync(ct);
            s.SecurityLog.CohortMembershipChanged(me.ToString(), me.ToString(), cohort.Id, "joined by code");
        }
        return TypedResults.Ok(new JoinedCohort(cohort.Id, cohort.Name));
    }

    public static async Task<Results<Ok<CohortDetails>, NotFoundProblem>> GetCohortAsync(Guid cohortId, [AsParameters] CohortServices s, CancellationToken ct)
    {
        var me = s.User.GetUserId();
        var teacher = s.User.IsInstructor();
        var access = await s.Db.Cohorts.AsNoTracking().Where(c => c.Id == cohortId)
            .Select(c => new { Manager = teacher && c.InstructorId == me, Member = c.Members.Any(m => m.UserId == me) })
            .SingleOrDefaultAsync(ct);
        if (access is null || !(access.Manager || access.Member || s.User.IsAdmin())) return CohortProblems.UnknownCohort();
        return TypedResults.Ok((await DetailsAsync(s, cohortId, access.Manager || s.User.IsAdmin(), ct))!);
    }

    public static async Task<Results<Ok<InviteCodeResponse>, NotFoundProblem>> RotateInviteCodeAsync(Guid cohortId, [AsParameters] CohortServices s, CancellationToken ct)
    {
        var cohort = await ManagedCohortAsync(s, cohortId, ct);
        if (cohort is null) return CohortProblems.UnknownCohort();
        cohort.InviteCode = InviteCodes.Create();
        await s.Db.SaveChangesAsync(ct);
        s.Logger.LogInformation("Invitation code of cohort {CohortId} replaced by {UserId}", cohortId, s.User.GetUserId());
        return TypedResults.Ok(new InviteCodeResponse(cohort.InviteCode));
    }

    /// <summary>
    /// Invites an email. The answer is the same (202, the pending invitation) whether an account has the
    /// email, whether it is already a member, or whether it was invited before: the instructor learns
    /// nothing about other people's accounts. Nobody joins until the invitee accepts.
    /// </summary>
    public static async Task<Results<Accepted<CohortInvitationView>, NotFoundProblem>> InviteAsync(
        Guid cohortId, InviteRequest request, [AsParameters] CohortServices s, CancellationToken ct)
    {
        var cohort = await ManagedCohortAsync(s, cohortId, ct);
        if (cohort is null) return CohortProblems.UnknownCohort();
        var email = request.Email.Trim();
        var normalized = email.ToUpperInvariant();
        var invitation = await s.Db.CohortInvitations.SingleOrDefaultAsync(i => i.CohortId == cohortId && i.NormalizedEmail == normalized, ct);
        if (invitation is null)
        {
            invitation = new CohortInvitation { Id = Guid.CreateVersion7(), CohortId = cohortId, Email = email, NormalizedEmail = normalized };
            s.Db.CohortInvitations.Add(invitation);
        }
        invitation.InvitedById = s.User.GetUserId();
        invitation.CreatedAt = s.Time.GetUtcNow();
        try
        {
            await s.Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: "23505" })
        {
            // The same email invited twice at once: the other request's invitation stands.
            s.Db.ChangeTracker.Clear();
            invitation = await s.Db.CohortInvitations.AsNoTracking().SingleAsync(i => i.CohortId == cohortId && i.NormalizedEmail == normalized, ct);
        }
        s.SecurityLog.CohortInvitationChanged(s.User.GetUserId().ToString(), invitation.Id, cohortId, "sent");
        return TypedResults.Accepted($"/api/cohorts/{cohortId}", new CohortInvitationView(invitation.Id, invitation.Email, invitation.CreatedAt));
    }

    public static async Task<Results<NoContent, NotFoundProblem>> WithdrawInvitationAsync(Guid cohortId, Guid invitationId, [AsParameters] CohortServices s, CancellationToken ct)
    {
        if (await ManagedCohortAsync(s, cohortId, ct) is null) return CohortProblems.UnknownCohort();
        var removed = await s.Db.CohortInvitations.Where(i => i.Id == invitationId && i.CohortId == cohortId).ExecuteDeleteAsync(ct);
        if (removed == 0) return CohortProblems.UnknownInvitation();
        s.SecurityLog.CohortInvitationChanged(s.User.GetUserId().ToString(), invitationId, cohortId, "withdrawn");
        return TypedResults.NoContent();
    }

    /// <summary>The caller leaves: membership and everything they shared with the cohort go, so its instructor sees nothing of theirs.</summary>
    public static async Task<Results<NoContent, NotFoundProblem>> LeaveCohortAsync(Guid cohortId, [AsParameters] CohortServices s, CancellationToken ct)
    {
        var me = s.User.GetUserId();
        if (!await RemoveMembershipAsync(s.Db, cohortId, me, ct)) return CohortProblems.UnknownCohort();
        s.SecurityLog.CohortMembershipChanged(me.ToString(), me.ToString(), cohortId, "left");
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, NotFoundProblem>> RemoveMemberAsync(Guid cohortId, Guid userId, [AsParameters] CohortServices s, CancellationToken ct)
    {
        if (await ManagedCohortAsync(s, cohortId, ct) is null) return CohortProblems.UnknownCohort();
        if (!await RemoveMembershipAsync(s.Db, cohortId, userId, ct)) return CohortProblems.NotAMember();
        s.SecurityLog.CohortMembershipChanged(s.User.GetUserId().ToString(), userId.ToString(), cohortId, "removed from");
        return TypedResults.NoContent();
    }

    /// <summary>Ends a membership with what the trainee shared with the cohort (a later rejoin shares nothing by itself).</summary>
    private static async Task<bool> RemoveMembershipAsync(TeacherDbContext db, Guid cohortId, Guid userId, CancellationToken ct)
    {
        // Both deletes or neither; the retrying execution strategy runs the whole transaction again on a transient failure.
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var removed = await db.CohortMembers.Where(m => m.CohortId == cohortId && m.UserId == userId).ExecuteDeleteAsync(ct);
            if (removed == 0) return false;
            await db.SessionShares.Where(x => x.CohortId == cohortId && db.Sessions.Any(p => p.Id == x.SessionId && p.UserId == userId)).ExecuteDeleteAsync(ct);
            await transaction.CommitAsync(ct);
            return true;
        });
    }

    public static async Task<Results<Ok<List<AssignmentView>>, NotFoundProblem>> ListAssignmentsAsync(Guid cohortId, [AsParameters] CohortServices s, CancellationToken ct)
    {
        var me = s.User.GetUserId();
        var admin = s.User.IsAdmin();
        var teacher = s.User.IsInstructor();
        var visible = await s.Db.Cohorts.AnyAsync(c => c.Id == cohortId
            && (admin || (teacher && c.InstructorId == me) || c.Members.Any(m => m.UserId == me)), ct);
        if (!visible) return CohortProblems.UnknownCohort();
        return TypedResults.Ok(await AssignmentsQuery(s.Db, me, a => a.CohortId == cohortId).ToListAsync(ct));
    }

    public static async Task<Results<Created<AssignmentView>, NotFoundProblem, ValidationProblem>> CreateAssignmentAsync(
        Guid cohortId, CreateAssignmentRequest request, [AsParameters] CohortServices s, CancellationToken ct)
    {
        var cohort = await ManagedCohortAsync(s, cohortId, ct);
        if (cohort is null) return CohortProblems.UnknownCohort();
        var now = s.Time.GetUtcNow();
        if (request.DueAt <= now) return ApiProblems.Invalid("dueAt", "The due date must be in the future.");
        if (request.DueAt > now.AddYears(2)) return ApiProblems.Invalid("dueAt", "The due date must be within two years.");
        // The library's scenarios, or one published to this cohort.
        var scenarioId = await s.Db.Scenarios.Where(x => x.Slug == request.ScenarioSlug)
            .Where(x => (x.PublishedAt != null && !x.IsArchived && !x.CohortsOnly)
                || (x.PublishedAt != null && !x.IsArchived && x.Audiences.Any(a => a.CohortId == cohortId)))
            .Select(x => (Guid?)x.Id).SingleOrDefaultAsync(ct);
        if (scenarioId is null) return ApiProblems.Invalid("scenarioSlug", "No scenario in the library, or published to this cohort, has this slug.");
        var assignment = new Assignment
        {
            Id = Guid.CreateVersion7(), CohortId = cohortId, ScenarioId = scenarioId.Value, DueAt = request.DueAt.ToUniversalTime(),
            Note = request.Note?.Trim() ?? "", CreatedAt = now, CreatedById = s.User.GetUserId(),
        };
        s.Db.Assignments.Add(assignment);
        await s.Db.SaveChangesAsync(ct);
        s.Logger.LogInformation("Assignment {AssignmentId} of scenario {Slug} set for cohort {CohortId}", assignment.Id, request.ScenarioSlug, cohortId);
        var view = await AssignmentsQuery(s.Db, s.User.GetUserId(), a => a.Id == assignment.Id).SingleAsync(ct);
        return TypedResults.Created($"/api/cohorts/{cohortId}/assignments", view);
    }

    public static async Task<Results<NoContent, NotFoundProblem>> DeleteAssignmentAsync(Guid cohortId, Guid assignmentId, [AsParameters] CohortServices s, CancellationToken ct)
    {
        if (await ManagedCohortAsync(s, cohortId, ct) is null) return CohortProblems.UnknownCohort();
        var assignment = await s.Db.Assignments.SingleOrDefaultAsync(a => a.Id == assignmentId && a.CohortId == cohortId, ct);
        if (assignment is null) return CohortProblems.UnknownAssignment();
        s.Db.Assignments.Remove(assignment);
        await s.Db.SaveChangesAsync(ct);
        s.Logger.LogInformation("Assignment {AssignmentId} withdrawn by {UserId}", assignmentId, s.User.GetUserId());
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<List<CohortSessionView>>, NotFoundProblem>> ListCohortSessionsAsync(
        Guid cohortId, [AsParameters] CohortSessionsQuery query, [AsParameters] CohortServices s, CancellationToken ct)
    {
        if (await ManagedCohortAsync(s, cohortId, ct) is null) return CohortProblems.UnknownCohort();
        // Only what the cohort sees (SessionAccess): assignment sessions since joining, and sessions shared with it.
        var cohort = s.Db.Cohorts.Where(c => c.Id == cohortId).Select(c => c.Id);
        var sessions = await s.Access.VisibleInCohorts(cohort).AsNoTracking()
            .OrderByDescending(x => x.StartedAt)
            .Take(query.Limit ?? 100)
            .Select(x => new CohortSessionView(x.Id, x.UserId,
                s.Db.Users.Where(u => u.Id == x.UserId).Select(u => u.DisplayName).First(),
                s.Db.Scenarios.Where(sc => sc.Id == x.ScenarioId).Select(sc => sc.Slug).First(),
                x.AssignmentId, x.Status == SessionStatus.Completed ? "completed" : "active", x.TurnCount, x.OverallScore, x.StartedAt, x.EndedAt,
                x.AssignmentId != null && x.Status == SessionStatus.Completed && (x.EndReason == PracticeService.GoalsMet || x.EndReason == PracticeService.TurnLimit)))
            .ToListAsync(ct);
        return TypedResults.Ok(sessions);
    }

    public static async Task<Ok<List<AssignmentView>>> ListMyAssignmentsAsync([AsParameters] CohortServices s, CancellationToken ct)
    {
        var me = s.User.GetUserId();
        var mine = s.Db.CohortMembers.Where(m => m.UserId == me).Select(m => m.CohortId);
        return TypedResults.Ok(await AssignmentsQuery(s.Db, me, a => mine.Contains(a.CohortId)).Take(500).ToListAsync(ct));
    }

    /// <summary>The cohort if the caller teaches it or is an admin; otherwise null (answer 404).</summary>
    internal static async Task<Cohort?> ManagedCohortAsync(CohortServices s, Guid cohortId, CancellationToken ct)
    {
        var cohort = await s.Db.Cohorts.SingleOrDefaultAsync(c => c.Id == cohortId, ct);
        return cohort is not null && ((s.User.IsInstructor() && cohort.InstructorId == s.User.GetUserId()) || s.User.IsAdmin()) ? cohort : null;
    }

    private static async Task<CohortDetails?> DetailsAsync(CohortServices s, Guid cohortId, bool manager, CancellationToken ct)
    {
        var cohort = await s.Db.Cohorts.AsNoTracking().Where(c => c.Id == cohortId)
            .Select(c => new
            {
                c.Id, c.Name, c.Description, c.InviteCode, c.InstructorId, c.CreatedAt,
                Instructor = s.Db.Users.Where(u => u.Id == c.InstructorId).Select(u => u.DisplayName).First(),
            })
            .SingleOrDefaultAsync(ct);
        if (cohort is null) return null;
        List<CohortMemberView>? members = null;
        List<CohortInvitationView>? invitations = null;
        if (manager)
        {
            invitations = await s.Db.CohortInvitations.AsNoTracking().Where(i => i.CohortId == cohortId).OrderBy(i => i.CreatedAt)
                .Select(i => new CohortInvitationView(i.Id, i.Email, i.CreatedAt)).ToListAsync(ct);
            members = await s.Db.CohortMembers.AsNoTracking().Where(m => m.CohortId == cohortId)
                .Join(s.Db.Users, m => m.UserId, u => u.Id, (m, u) => new { m.JoinedAt, u.Id, u.DisplayName, u.Email })
                .OrderBy(m => m.DisplayName)
                .Select(m => new CohortMemberView(m.Id, m.DisplayName, m.Email ?? "", m.JoinedAt))
                .ToListAsync(ct);
        }
        var assignments = await AssignmentsQuery(s.Db, s.User.GetUserId(), a => a.CohortId == cohortId).ToListAsync(ct);
        return new CohortDetails(cohort.Id, cohort.Name, cohort.Description, cohort.InstructorId, cohort.Instructor, cohort.CreatedAt,
            manager ? cohort.InviteCode : null, members, assignments, invitations);
    }

    /// <summary>
    /// Assignments with their scenario and whether <paramref name="viewerId"/> has completed a session for each:
    /// one of the assignment's scenario that really ended (the persona's goals met or the turn limit reached),
    /// not one ended early. (The scenario and cohort are checked when the session starts.)
    /// </summary>
    private static IQueryable<AssignmentView> AssignmentsQuery(TeacherDbContext db, Guid viewerId, Expression<Func<Assignment, bool>> filter)
        => db.Assignments.AsNoTracking()
            .Where(filter)
            .OrderBy(a => a.DueAt)
            .Select(a => new AssignmentView(a.Id, a.CohortId,
                db.Cohorts.Where(c => c.Id == a.CohortId).Select(c => c.Name).First(),
                db.Scenarios.Where(sc => sc.Id == a.ScenarioId).Select(sc => sc.Slug).First(),
                db.Scenarios.Where(sc => sc.Id == a.ScenarioId).Select(sc => sc.Title).First(),
                a.DueAt, a.Note, a.CreatedAt,
                db.Sessions.Any(x => x.AssignmentId == a.Id && x.UserId == viewerId && x.ScenarioId == a.ScenarioId && x.Status == SessionStatus.Completed
                    && (x.EndReason == PracticeService.GoalsMet || x.EndReason == PracticeService.TurnLimit))));

}

/// <summary>What every cohort handler needs.</summary>
/// <remarks>Services are marked as such, so validation does not walk them (it would walk the DbContext's sets).</remarks>
public sealed record CohortServices([FromServices] TeacherDbContext Db, ClaimsPrincipal User, [FromServices] TimeProvider Time, [FromServices] ILogger<CohortServices> Logger,
    [FromServices] SecurityLog SecurityLog, [FromServices] SessionAccess Access, [FromServices] CohortInsight Insight);
