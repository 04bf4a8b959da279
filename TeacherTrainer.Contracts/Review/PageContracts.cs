namespace TeacherTrainer.Contracts;

// The answers of the calls designed for one page each: the review page and the summary page.

/// <summary>The review page: the instructors' view of the turns, the trainee's transcript (for the engine's judgements and the reflection they shared) and the score changes.</summary>
public sealed record SessionReviewPageView(SessionReview Review, SessionView Session, IReadOnlyList<OverrideAuditView> Overrides);

/// <summary>The summary page: the trainee's transcript and summary, instructors' comments on the turns that have any, and the score changes.</summary>
public sealed record SessionSummaryPageView(SessionView Session, IReadOnlyList<TurnComments> Comments, IReadOnlyList<OverrideAuditView> Overrides);

public sealed record TurnComments(Guid TurnId, IReadOnlyList<CommentView> Comments);
