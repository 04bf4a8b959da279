namespace TeacherTrainer.Web.Services.Api;

public sealed partial class ApiClient
{
    public Task<IReadOnlyList<CohortSummary>> ListCohortsAsync(CancellationToken cancellationToken = default)
        => GetAsync<IReadOnlyList<CohortSummary>>("/api/cohorts", cancellationToken);

    public Task<CohortDetails> CreateCohortAsync(string name, string? description, CancellationToken cancellationToken = default)
        => SendJsonAsync<CohortDetails>(HttpMethod.Post, "/api/cohorts", new CreateCohortRequest(name, description), cancellationToken);

    public Task<JoinedCohort> JoinCohortAsync(string inviteCode, CancellationToken cancellationToken = default)
        => SendJsonAsync<JoinedCohort>(HttpMethod.Post, "/api/cohorts/join", new JoinCohortRequest(inviteCode), cancellationToken);

    public Task<CohortDetails> GetCohortAsync(Guid cohortId, CancellationToken cancellationToken = default)
        => GetAsync<CohortDetails>($"/api/cohorts/{cohortId}", cancellationToken);

    public Task<InviteCodeResponse> RotateInviteCodeAsync(Guid cohortId, CancellationToken cancellationToken = default)
        => SendJsonAsync<InviteCodeResponse>(HttpMethod.Post, $"/api/cohorts/{cohortId}/invite-code", null, cancellationToken);

    /// <summary>Invites an email to the cohort; the answer is the same whether or not an account has it.</summary>
    public Task<CohortInvitationView> InviteAsync(Guid cohortId, string email, CancellationToken cancellationToken = default)
        => SendJsonAsync<CohortInvitationView>(HttpMethod.Post, $"/api/cohorts/{cohortId}/invitations", new InviteRequest(email), cancellationToken);

    /// <summary>Bulk intake: invites every email of a CSV of names and emails; each row is answered.</summary>
    public Task<BulkInvitationResult> InviteManyAsync(Guid cohortId, string csv, CancellationToken cancellationToken = default)
        => SendJsonAsync<BulkInvitationResult>(HttpMethod.Post, $"/api/cohorts/{cohortId}/invitations/bulk", new BulkInvitationRequest(csv), cancellationToken);

    public Task WithdrawInvitationAsync(Guid cohortId, Guid invitationId, CancellationToken cancellationToken = default)
        => SendJsonAsync(HttpMethod.Delete, $"/api/cohorts/{cohortId}/invitations/{invitationId}", null, cancellationToken);

    public Task<IReadOnlyList<InvitationForMe>> ListMyInvitationsAsync(CancellationToken cancellationToken = default)
        => GetAsync<IReadOnlyList<InvitationForMe>>("/api/invitations", cancellationToken);

    public Task<JoinedCohort> AcceptInvitationAsync(Guid invitationId, CancellationToken cancellationToken = default)
        => SendJsonAsync<JoinedCohort>(HttpMethod.Post, $"/api/invitations/{invitationId}/accept", null, cancellationToken);

    public Task DeclineInvitationAsync(Guid invitationId, CancellationToken cancellationToken = default)
        => SendJsonAsync(HttpMethod.Post, $"/api/invitations/{invitationId}/decline", null, cancellationToken);

    public Task LeaveCohortAsync(Guid cohortId, CancellationToken cancellationToken = default)
        => SendJsonAsync(HttpMethod.Delete, $"/api/cohorts/{cohortId}/membership", null, cancellationToken);

    /// <summary>Who can see the caller's practice, and each session's sharing.</summary>
    public Task<MySharing> GetMySharingAsync(CancellationToken cancellationToken = default)
        => GetAsync<MySharing>("/api/sharing", cancellationToken);

    public Task<SessionSharing> ShareSessionAsync(Guid sessionId, ShareSessionRequest request, CancellationToken cancellationToken = default)
        => SendJsonAsync<SessionSharing>(HttpMethod.Put, $"/api/sessions/{sessionId}/sharing", request, cancellationToken);

    public Task RemoveMemberAsync(Guid cohortId, Guid userId, CancellationToken cancellationToken = default)
        => SendJsonAsync(HttpMethod.Delete, $"/api/cohorts/{cohortId}/members/{userId}", null, cancellationToken);

    public Task<AssignmentView> CreateAssignmentAsync(Guid cohortId, CreateAssignmentRequest request, CancellationToken cancellationToken = default)
        => SendJsonAsync<AssignmentView>(HttpMethod.Post, $"/api/cohorts/{cohortId}/assignments", request, cancellationToken);

    public Task DeleteAssignmentAsync(Guid cohortId, Guid assignmentId, CancellationToken cancellationToken = default)
        => SendJsonAsync(HttpMethod.Delete, $"/api/cohorts/{cohortId}/assignments/{assignmentId}", null, cancellationToken);

    public Task<IReadOnlyList<CohortSessionView>> ListCohortSessionsAsync(Guid cohortId, int limit = 200, CancellationToken cancellationToken = default)
        => GetAsync<IReadOnlyList<CohortSessionView>>($"/api/cohorts/{cohortId}/sessions?limit={limit}", cancellationToken);

    /// <summary>The caller's assignments from every cohort they belong to, soonest due first.</summary>
    public Task<IReadOnlyList<AssignmentView>> ListMyAssignmentsAsync(CancellationToken cancellationToken = default)
        => GetAsync<IReadOnlyList<AssignmentView>>("/api/assignments", cancellationToken);

    /// <summary>The cohort dashboard: heat maps, trends and assignments done, in one call.</summary>
    public Task<CohortDashboard> GetCohortDashboardAsync(Guid cohortId, CancellationToken cancellationToken = default)
        => GetAsync<CohortDashboard>($"/api/cohorts/{cohortId}/dashboard", cancellationToken);

    /// <summary>Every trainee's reply at <paramref name="turn"/> of a scenario (by default the most practised), side by side.</summary>
    public Task<DebriefView> GetCohortDebriefAsync(Guid cohortId, string? scenarioSlug, int turn, CancellationToken cancellationToken = default)
        => GetAsync<DebriefView>(Query($"/api/cohorts/{cohortId}/debrief", ("scenario", scenarioSlug), ("turn", turn.ToString(System.Globalization.CultureInfo.InvariantCulture))), cancellationToken);

    /// <summary>The cohort's results as CSV, with the file name the API gives it.</summary>
    public async Task<DownloadedFile> ExportCohortAsync(Guid cohortId, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/api/cohorts/{cohortId}/export.csv", null, cancellationToken, accept: "text/csv");
        var name = response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"') ?? "cohort-results.csv";
        return new DownloadedFile(name, await response.Content.ReadAsStringAsync(cancellationToken), "text/csv");
    }
}
