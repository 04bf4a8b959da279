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

    public Task<CohortMemberView> AddMemberAsync(Guid cohortId, string email, CancellationToken cancellationToken = default)
        => SendJsonAsync<CohortMemberView>(HttpMethod.Post, $"/api/cohorts/{cohortId}/members", new AddMemberRequest(email), cancellationToken);

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
}
