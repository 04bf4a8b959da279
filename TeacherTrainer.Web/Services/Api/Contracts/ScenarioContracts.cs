namespace TeacherTrainer.Web.Services.Api;

public sealed record ScenarioList(int Count, IReadOnlyList<ScenarioCard> Items);

/// <param name="Similarity">How close the scenario is to the search text (only for a search).</param>
/// <param name="Source"><c>library</c> (built in, read-only: instructors copy it) or <c>authored</c>.</param>
public sealed record ScenarioCard(string Slug, string Title, string Category, string GradeBand, string Difficulty, string Summary, int Version, double? Similarity, string? Source = null)
{
    public bool IsLibrary => Source == "library";
}

public sealed record ScenarioBriefing(
    string Slug, string Title, string Category, string GradeBand, string Difficulty, string Summary, string Setting,
    PersonaProfile Persona, string OpeningLine, IReadOnlyList<string> Goals, int TurnLimit, IReadOnlyList<BriefingCriterion> Rubric,
    IReadOnlyList<string> Tags, int Version);

public sealed record PersonaProfile(
    string Name, int Age, string Role, string Speaker, IReadOnlyList<string>? Traits, IReadOnlyList<string>? Needs,
    IReadOnlyList<string>? Triggers, IReadOnlyList<string>? CalmedBy);

public sealed record BriefingCriterion(string Key, string Name, string Description, double Weight);

/// <summary>Filters of the catalog; all optional.</summary>
public sealed record ScenarioQuery(string? Category = null, string? GradeBand = null, string? Difficulty = null, string? Text = null);

public sealed record ScenarioValidation(bool Valid, IReadOnlyList<ScenarioIssue> Issues);

/// <summary>One problem with a scenario document: where (a JSON path such as /rubric/2/weight) and why.</summary>
/// <param name="Severity"><c>error</c> (refused) or <c>warning</c> (a draft may keep it; publishing waits until it is fixed).</param>
public sealed record ScenarioIssue(string Path, string Message, string Severity = "error");

/// <summary>What a document changes against the version trainees last met, by section, and its consistency warnings.</summary>
public sealed record ScenarioDiff(int? ComparedWithVersion, bool FirstPublication, IReadOnlyList<ScenarioSectionChange> Changes, IReadOnlyList<ScenarioIssue> Warnings);

public sealed record ScenarioSectionChange(string Section, string Summary, IReadOnlyList<string> Details);

/// <param name="Status"><c>draft</c>, <c>published</c> or <c>archived</c>.</param>
/// <param name="Audience">For a published scenario: <c>library</c> (everyone) or <c>cohorts</c>.</param>
public sealed record PublishedScenario(string Slug, int Version, bool Created, bool Changed, string Status, string? Audience = null, IReadOnlyList<Guid>? CohortIds = null);

/// <summary>Who a publication is for: the library (admins) or the cohorts named.</summary>
public sealed record PublishRequest(string Audience, IReadOnlyList<Guid>? CohortIds = null);

/// <summary>A scenario published to cohorts the caller belongs to or teaches (not to the library).</summary>
public sealed record CohortScenarioCard(string Slug, string Title, string Category, string GradeBand, string Difficulty, string Summary, int Version, IReadOnlyList<string> Cohorts);

/// <summary>A scenario the caller owns or co-authors (admins: every authored one).</summary>
public sealed record AuthoredScenarioCard(string Slug, string Title, string Category, string GradeBand, string Difficulty, int Version, string Status, string? Owner, bool IsOwner);

/// <summary>Whose a scenario is and what the caller may do with it. Co-authors and history only for its authors.</summary>
public sealed record ScenarioOwnership(string Slug, string Title, string Source, string Status, int Version, string? Owner, bool IsOwner,
    bool CanEdit, bool CanManageAuthors, IReadOnlyList<string> CoAuthors, IReadOnlyList<ScenarioAuditView> History,
    string? Audience = null, IReadOnlyList<ScenarioAudienceView>? Cohorts = null, string? JudgingCollection = null)
{
    public bool IsLibrary => Source == "library";
}

public sealed record ScenarioAudienceView(Guid CohortId, string Name);

public sealed record ScenarioAuditView(string Action, int Version, string? By, DateTimeOffset At);

public sealed record ScenarioVersionSummary(int Number, DateTimeOffset CreatedAt, string? CreatedBy, bool IsCurrent, int Sessions);
