namespace TeacherTrainer.Contracts;

/// <param name="Assignable">The scenarios that may be assigned: those published to this cohort only, then the library.</param>
public sealed record CohortPageView(CohortDetails Cohort, IReadOnlyList<ScenarioCard> Assignable);
