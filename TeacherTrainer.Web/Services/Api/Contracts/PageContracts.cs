using System.Text.Json.Nodes;

namespace TeacherTrainer.Web.Services.Api;

// The answers of the calls designed for one page each (ApiClient.Pages.cs).

public sealed record SessionReviewPageView(SessionReview Review, SessionView Session, IReadOnlyList<OverrideAuditView> Overrides);

/// <param name="Comments">Instructors' comments, for the turns that have any.</param>
public sealed record SessionSummaryPageView(SessionView Session, IReadOnlyList<TurnComments> Comments, IReadOnlyList<OverrideAuditView> Overrides);

public sealed record TurnComments(Guid TurnId, IReadOnlyList<CommentView> Comments);

/// <param name="Cohorts">The cohorts the caller may publish it to; empty unless they may edit it.</param>
/// <param name="Collections">The exemplar collections the caller may attach; empty unless they may edit it.</param>
public sealed record ScenarioEditorView(JsonObject Document, ScenarioOwnership Ownership, IReadOnlyList<PublishableCohort> Cohorts, IReadOnlyList<string> Collections);

public sealed record PublishableCohort(Guid Id, string Name, int MemberCount);

/// <param name="Assignable">The scenarios that may be assigned: those published to this cohort only, then the library.</param>
public sealed record CohortPageView(CohortDetails Cohort, IReadOnlyList<ScenarioCard> Assignable);
