using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace TeacherTrainer.Contracts;

/// <summary>Limits on scenario fields that requests share with the API's validator.</summary>
public static class ScenarioFieldLimits
{
    public const int MaxTitle = 120;
}

public static class ScenarioStatus
{
    public const string Draft = "draft";
    public const string Published = "published";
    public const string Archived = "archived";
}

public static class ScenarioAuditActions
{
    public const string Published = "published";
    public const string Archived = "archived";
    public const string Copied = "copied";
}

public sealed record ScenarioValidation(bool Valid, IReadOnlyList<ScenarioIssue> Issues);

/// <param name="Audience">For a published scenario: <c>library</c> (everyone) or <c>cohorts</c> (<paramref name="CohortIds"/> only).</param>
public sealed record PublishedScenario(string Slug, int Version, bool Created, bool Changed, string Status, string? Audience = null, IReadOnlyList<Guid>? CohortIds = null);

/// <summary>POST /api/scenarios/{slug}/publish: to the library (admins; also what no body means) or to the cohorts named.</summary>
public sealed record PublishRequest(
    [property: RegularExpression("^(library|cohorts)$", ErrorMessage = "audience is 'library' or 'cohorts'.")] string? Audience = null,
    [property: MaxLength(50)] IReadOnlyList<Guid>? CohortIds = null);

public static class PublishAudiences
{
    public const string Library = "library";
    public const string Cohorts = "cohorts";
}

public sealed record ScenarioVersionSummary(int Number, DateTimeOffset CreatedAt, string? CreatedBy, bool IsCurrent, int Sessions);

public sealed record AuthoredScenarioCard(string Slug, string Title, string Category, string GradeBand, string Difficulty, int Version, string Status, string? Owner, bool IsOwner);

/// <param name="CoAuthors">Emails as the owner named them; only for those who may edit.</param>
/// <param name="History">Who published, archived or copied it and when, newest first; only for those who may edit.</param>
/// <param name="Audience">Once published: <c>library</c> (everyone) or <c>cohorts</c>.</param>
/// <param name="Cohorts">The cohorts it is published to; only for those who may edit.</param>
/// <param name="JudgingCollection">The exemplar collection attached to it (practice is judged against it); only for those who may edit.</param>
public sealed record ScenarioOwnership(string Slug, string Title, string Source, string Status, int Version, string? Owner, bool IsOwner,
    bool CanEdit, bool CanManageAuthors, IReadOnlyList<string> CoAuthors, IReadOnlyList<ScenarioAuditView> History,
    string? Audience = null, IReadOnlyList<ScenarioAudienceView>? Cohorts = null, string? JudgingCollection = null)
{
    [JsonIgnore]
    public bool IsLibrary => Source == ScenarioSources.Library;
}

/// <summary>A cohort a scenario is published to.</summary>
public sealed record ScenarioAudienceView(Guid CohortId, string Name);

public sealed record ScenarioAuditView(string Action, int Version, string? By, DateTimeOffset At);

/// <summary>POST /api/scenarios/{slug}/copy: the new scenario's slug and title (both optional).</summary>
public sealed record CopyScenarioRequest(
    [property: StringLength(80, MinimumLength = 1), RegularExpression("^[a-z0-9]+(-[a-z0-9]+)*$", ErrorMessage = "slug is lower-case words of letters and digits joined by hyphens.")] string? Slug = null,
    [property: StringLength(ScenarioFieldLimits.MaxTitle, MinimumLength = 5), SafeText] string? Title = null);

public sealed record CoAuthorRequest([property: Required, EmailAddress, StringLength(254), SafeText] string Email);

public sealed record ScenarioList(int Count, IReadOnlyList<ScenarioCard> Items);

/// <param name="Cohorts">The caller's cohorts it is published to.</param>
public sealed record CohortScenarioCard(string Slug, string Title, string Category, string GradeBand, string Difficulty, string Summary, int Version, IReadOnlyList<string> Cohorts);

/// <param name="Similarity">How close the scenario is to the search text (only for a search).</param>
/// <param name="Source"><c>library</c> (built in, read-only: instructors copy it) or <c>authored</c>.</param>
public sealed record ScenarioCard(string Slug, string Title, string Category, string GradeBand, string Difficulty, string Summary, int Version, double? Similarity, string Source)
{
    [JsonIgnore]
    public bool IsLibrary => Source == ScenarioSources.Library;
}

public sealed record ScenarioBriefing(
    string Slug, string Title, string Category, string GradeBand, string Difficulty, string Summary, string Setting,
    Persona Persona, string OpeningLine, IReadOnlyList<string> Goals, int TurnLimit, IReadOnlyList<BriefingCriterion> Rubric,
    IReadOnlyList<string> Tags, int Version);

public sealed record BriefingCriterion(string Key, string Name, string Description, double Weight);

/// <summary>One thing wrong with a scenario: where (a JSON path like /rubric/2/weight) and why.</summary>
/// <param name="Severity"><c>error</c> (the document is refused) or <c>warning</c> (saved as a draft, not published).</param>
public sealed record ScenarioIssue(string Path, string Message, string Severity = "error");

/// <param name="ComparedWithVersion">The version trainees last met; null when never published.</param>
/// <param name="Warnings">Consistency warnings of the document: publishing waits until they are fixed.</param>
public sealed record ScenarioDiff(int? ComparedWithVersion, bool FirstPublication, IReadOnlyList<ScenarioSectionChange> Changes, IReadOnlyList<ScenarioIssue> Warnings);

public sealed record ScenarioSectionChange(string Section, string Summary, IReadOnlyList<string> Details);

public sealed record Persona
{
    public required string Name { get; init; }
    public int Age { get; init; }
    public required string Role { get; init; }
    /// <summary><c>student</c>, <c>parent</c> or <c>colleague</c>: the speaker label of the persona's turns.</summary>
    public required string Speaker { get; init; }
    public IReadOnlyList<string> Traits { get; init; } = [];
    public IReadOnlyList<string> Needs { get; init; } = [];
    public IReadOnlyList<string> Triggers { get; init; } = [];
    public IReadOnlyList<string> CalmedBy { get; init; } = [];
    /// <summary>Persona-facing: who they are, what they know and want, how they speak (never the trainee's setting).</summary>
    public string? Brief { get; init; }
    /// <summary>Facts the persona can reveal when asked.</summary>
    public IReadOnlyList<string> Knows { get; init; } = [];
    /// <summary>What the persona needs from the conversation; "goals met" means every one of these.</summary>
    public IReadOnlyList<PersonaGoal> Goals { get; init; } = [];
    /// <summary><c>he/him</c>, <c>she/her</c> or <c>they/them</c>; checked against the text that describes the persona.</summary>
    public string? Pronouns { get; init; }
}

/// <summary>Something the persona needs from the teacher, with example teacher lines that would meet it.</summary>
public sealed record PersonaGoal
{
    public required string Key { get; init; }
    /// <summary>In the persona's terms, e.g. "to be heard about Kayla's tears".</summary>
    public required string Description { get; init; }
    public IReadOnlyList<string> MetBy { get; init; } = [];
    /// <summary>Goals that must be met first (a plan only lands once the persona feels heard).</summary>
    public IReadOnlyList<string> Requires { get; init; } = [];
}

public sealed record PersonaStateValues(double Escalation, double Trust, double Engagement);

public static class ScenarioSources
{
    public const string Library = "library";
    public const string Authored = "authored";
}

/// <summary>GET /api/scenarios: the catalog's filters, all optional.</summary>
/// <param name="Q">Search text: the catalog ordered by closeness of meaning (at most 20).</param>
public sealed record ScenarioQuery(string? Category = null, string? GradeBand = null, string? Difficulty = null, string? Q = null);
