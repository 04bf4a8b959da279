using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Extensions;
using TeacherTrainer.ApiService.Identity;
using TeacherTrainer.ApiService.Practice;

namespace TeacherTrainer.ApiService.Cohorts;

/// <summary>
/// The trainee's side of <see cref="SessionAccess"/>: who can see what of their practice, and their
/// choices. A cohort's instructor sees its assignment sessions (since joining) by default; anything
/// else only when the trainee shares it with that cohort; the reflection only when they share it.
/// Only the session's owner may change its sharing.
/// </summary>
public static class SharingApi
{
    public const int MaxSessions = 200;

    public static IEndpointRouteBuilder MapSharingApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/sharing", GetMineAsync).WithTags("Cohorts").WithName("GetMySharing").RequireAuthorization()
            .WithSummary("Who can see the caller's practice: their cohorts with instructors and what each sees, and each session's sharing.");
        app.MapPut("/api/sessions/{id:guid}/sharing", ShareAsync).WithTags("Practice").WithName("ShareSession").RequireAuthorization()
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(16 * 1024))
            .WithSummary("Sets which of the caller's cohorts see this session of theirs (beyond its assignment), and whether its reflection is shared.");
        return app;
    }

    public static async Task<Ok<MySharing>> GetMineAsync([AsParameters] CohortServices s, CancellationToken ct)
    {
        var me = s.User.GetUserId();
        var memberships = await MembershipsAsync(s, me, ct);
        var sessions = await s.Db.Sessions.AsNoTracking().Where(x => x.UserId == me)
            .OrderByDescending(x => x.StartedAt).Take(MaxSessions)
            .Select(x => new SessionRow(x.Id, x.StartedAt, x.Status, x.AssignmentId,
                s.Db.Assignments.Where(a => a.Id == x.AssignmentId).Select(a => (Guid?)a.CohortId).FirstOrDefault(),
                s.Db.Scenarios.Where(c => c.Id == x.ScenarioId).Select(c => c.Title).First(),
                x.Reflection != null, x.ReflectionShared))
            .ToListAsync(ct);
        var ids = sessions.Select(x => x.Id).ToList();
        var shares = (await s.Db.SessionShares.AsNoTracking().Where(x => ids.Contains(x.SessionId)).ToListAsync(ct)).ToLookup(x => x.SessionId, x => x.CohortId);
        var views = sessions.Select(x => View(x, memberships, shares[x.Id].ToList())).ToList();
        var cohorts = memberships.Select(m => new CohortVisibility(m.CohortId, m.Name, m.InstructorName, m.JoinedAt,
            views.Count(v => v.AssignmentCohortId == m.CohortId && v.SeenByCohorts.Contains(m.CohortId)),
            views.Count(v => v.SharedWith.Contains(m.CohortId)),
            views.Count(v => v.SeenByCohorts.Contains(m.CohortId) && v.ReflectionShared))).ToList();
        return TypedResults.Ok(new MySharing(cohorts, views));
    }

    public static async Task<Results<Ok<SessionSharing>, NotFoundProblem, ValidationProblem>> ShareAsync(
        Guid id, ShareSessionRequest request, [AsParameters] CohortServices s, CancellationToken ct)
    {
        var me = s.User.GetUserId();
        var session = await s.Db.Sessions.SingleOrDefaultAsync(x => x.Id == id && x.UserId == me, ct);
        if (session is null) return CohortProblems.UnknownSession();
        var memberships = await MembershipsAsync(s, me, ct);
        var wanted = request.CohortIds.Distinct().ToHashSet();
        if (wanted.Any(c => memberships.All(m => m.CohortId != c)))
            return ApiProblems.Invalid("cohortIds", "You can share only with cohorts you belong to.");

        var current = await s.Db.SessionShares.Where(x => x.SessionId == id).ToListAsync(ct);
        var now = s.Time.GetUtcNow();
        var added = wanted.Where(c => current.All(x => x.CohortId != c)).ToList();
        var removed = current.Where(x => !wanted.Contains(x.CohortId)).ToList();
        s.Db.SessionShares.AddRange(added.Select(c => new SessionShare { SessionId = id, CohortId = c, SharedAt = now }));
        s.Db.SessionShares.RemoveRange(removed);
        var reflectionChanged = session.ReflectionShared != request.Reflection;
        session.ReflectionShared = request.Reflection;
        try
        {
            await s.Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || ex.InnerException is Npgsql.PostgresException { SqlState: "23505" or "23503" })
        {
            // Two changes at once, or a cohort left meanwhile: the trainee reloads and chooses again.
            return CohortProblems.SharingChanged();
        }
        var actor = me.ToString();
        foreach (var c in added) s.SecurityLog.SharingChanged(actor, "shared", "session", id.ToString(), $"cohort {c}");
        foreach (var x in removed) s.SecurityLog.SharingChanged(actor, "unshared", "session", id.ToString(), $"cohort {x.CohortId}");
        if (reflectionChanged)
            s.SecurityLog.SharingChanged(actor, request.Reflection ? "shared" : "unshared", "reflection", id.ToString(), "whoever sees the session");

        var row = await s.Db.Sessions.AsNoTracking().Where(x => x.Id == id)
            .Select(x => new SessionRow(x.Id, x.StartedAt, x.Status, x.AssignmentId,
                s.Db.Assignments.Where(a => a.Id == x.AssignmentId).Select(a => (Guid?)a.CohortId).FirstOrDefault(),
                s.Db.Scenarios.Where(c => c.Id == x.ScenarioId).Select(c => c.Title).First(),
                x.Reflection != null, x.ReflectionShared))
            .SingleAsync(ct);
        return TypedResults.Ok(View(row, memberships, wanted.ToList()));
    }

    private sealed record Membership(Guid CohortId, string Name, string InstructorName, DateTimeOffset JoinedAt);

    private sealed record SessionRow(Guid Id, DateTimeOffset StartedAt, SessionStatus Status, Guid? AssignmentId, Guid? AssignmentCohortId,
        string ScenarioTitle, bool HasReflection, bool ReflectionShared);

    private static Task<List<Membership>> MembershipsAsync(CohortServices s, Guid me, CancellationToken ct)
        => s.Db.CohortMembers.AsNoTracking().Where(m => m.UserId == me)
            .Join(s.Db.Cohorts, m => m.CohortId, c => c.Id, (m, c) => new { c.Id, c.Name, c.InstructorId, m.JoinedAt })
            .OrderBy(m => m.Name)
            .Select(m => new Membership(m.Id, m.Name, s.Db.Users.Where(u => u.Id == m.InstructorId).Select(u => u.DisplayName).First(), m.JoinedAt))
            .ToListAsync(ct);

    /// <summary>The same rule as <see cref="SessionAccess.VisibleInCohorts"/>, worked out for one trainee's own sessions.</summary>
    private static SessionSharing View(SessionRow x, List<Membership> memberships, List<Guid> sharedWith)
    {
        var seenBy = memberships.Where(m => sharedWith.Contains(m.CohortId)
                || (x.AssignmentCohortId == m.CohortId && x.StartedAt >= m.JoinedAt))
            .Select(m => m.CohortId).ToList();
        return new SessionSharing(x.Id, x.ScenarioTitle, x.Status == SessionStatus.Completed ? "completed" : "active", x.StartedAt,
            x.AssignmentId, x.AssignmentCohortId, seenBy, sharedWith.Where(c => memberships.Any(m => m.CohortId == c)).ToList(),
            x.HasReflection, x.ReflectionShared);
    }
}
