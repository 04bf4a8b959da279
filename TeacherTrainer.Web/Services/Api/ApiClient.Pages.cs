namespace TeacherTrainer.Web.Services.Api;

/// <summary>The calls designed for one page each: the page loads with one of these.</summary>
public sealed partial class ApiClient
{
    /// <summary>The review page: the instructors' view of the turns, the transcript and the score changes.</summary>
    public Task<SessionReviewPageView> GetSessionReviewPageAsync(Guid sessionId, CancellationToken cancellationToken = default)
        => GetAsync<SessionReviewPageView>($"/api/review/sessions/{sessionId}/review-page", cancellationToken);

    /// <summary>The session summary: the transcript, instructors' comments by turn and the score changes.</summary>
    public Task<SessionSummaryPageView> GetSessionSummaryPageAsync(Guid sessionId, CancellationToken cancellationToken = default)
        => GetAsync<SessionSummaryPageView>($"/api/review/sessions/{sessionId}/summary-page", cancellationToken);

    /// <summary>The scenario editor: the document, its ownership and, for its authors, the cohorts and collections to offer.</summary>
    public Task<ScenarioEditorView> GetScenarioEditorAsync(string slug, CancellationToken cancellationToken = default)
        => GetAsync<ScenarioEditorView>($"/api/scenarios/{Segment(slug)}/editor", cancellationToken);

    /// <summary>The cohort page's frame: the cohort and the scenarios that may be assigned to it.</summary>
    public Task<CohortPageView> GetCohortPageAsync(Guid cohortId, CancellationToken cancellationToken = default)
        => GetAsync<CohortPageView>($"/api/cohorts/{cohortId}/page", cancellationToken);
}
