using System.ComponentModel.DataAnnotations;

namespace TeacherTrainer.Contracts;

public static class EvaluationLimits
{
    public const int MaxTurnText = 4000;
    public const int MaxResponse = 4000;
    public const int MaxContextTurns = 40;
    public const int MaxCollectionItems = 5000;
    public const int MaxCollectionContextTurns = 20;
    /// <summary>Request body limit for a collection import: 5,000 items with long contexts.</summary>
    public const long MaxCollectionBodyBytes = 32 * 1024 * 1024;
    public const string SpeakerPattern = "^(student|parent|teacher|colleague)$";
    public const string CollectionNamePattern = "^[a-z0-9][a-z0-9_-]{0,99}$";
}

/// <summary>One turn of context as clients send it.</summary>
public sealed record ContextTurnRequest(
    [property: Required, RegularExpression(EvaluationLimits.SpeakerPattern, ErrorMessage = "speaker must be one of student, parent, teacher, colleague.")] string Speaker,
    // Real transcripts hold empty turns (a pause, an inaudible answer): allowed, never required to have words.
    [property: Required(AllowEmptyStrings = true), StringLength(EvaluationLimits.MaxTurnText), SafeText] string Text);

/// <summary>POST /api/evaluations. Judge against a scenario (id or slug), a collection, or (neither) the general rubric.</summary>
public sealed record EvaluationRequest(
    [property: Required, MaxLength(EvaluationLimits.MaxContextTurns)] IReadOnlyList<ContextTurnRequest> Context,
    [property: Required, StringLength(EvaluationLimits.MaxResponse, MinimumLength = 1), SafeText] string Response,
    [property: StringLength(80), SafeText] string? ScenarioId = null,
    [property: RegularExpression(EvaluationLimits.CollectionNamePattern, ErrorMessage = "collection is a lower-case name of letters, digits, '-' and '_'.")] string? Collection = null);

public sealed record CollectionItemRequest(
    [property: Required, MinLength(1), MaxLength(EvaluationLimits.MaxCollectionContextTurns)] IReadOnlyList<ContextTurnRequest> Context,
    [property: Required, StringLength(EvaluationLimits.MaxResponse, MinimumLength = 1), SafeText] string Response,
    [property: Required, RegularExpression("^(expert|novice)$", ErrorMessage = "quality must be expert or novice.")] string Quality);

/// <summary>PUT /api/collections/{name}: creates the collection or replaces its items.</summary>
public sealed record CollectionRequest(
    [property: StringLength(2000), SafeText] string? Description,
    [property: Required, MinLength(1), MaxLength(EvaluationLimits.MaxCollectionItems)] IReadOnlyList<CollectionItemRequest> Items);

/// <param name="Owner">The owner's display name.</param>
/// <param name="SharedWith">The cohorts it is shared with: only for its owner and admins (empty for others).</param>
public sealed record CollectionSummary(string Name, string Description, int ItemCount, int ExpertCount, int NoviceCount, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    string? Owner, bool IsOwner, IReadOnlyList<CollectionCohort> SharedWith);

public sealed record CollectionCohort(Guid Id, string Name);

/// <summary>Where a collection judges practice: these scenarios, and the practice of these cohorts' trainees.</summary>
public sealed record CollectionAttachments(string Collection, IReadOnlyList<AttachedScenario> Scenarios, IReadOnlyList<AttachedCohort> Cohorts);

public sealed record AttachedScenario(string Slug, string Title);

public sealed record AttachedCohort(Guid Id, string Name);

/// <summary>GET /api/collections/{name}/quality: how the collection's expert and novice replies separate, and which items look mislabelled.</summary>
/// <param name="Version">The collection's last import: the figures are those of this version.</param>
/// <param name="PairsOrderedRight">Share of (expert, novice) pairs where the expert item is strictly more expert-like; null without both labels.</param>
/// <param name="Auc">Area under the ROC curve: pairs ordered right plus half the ties.</param>
public sealed record CollectionQualityReport(
    string Collection, DateTimeOffset Version, int ItemCount, int ExpertCount, int NoviceCount, int Neighbours,
    double? PairsOrderedRight, double? Auc, double? MeanExpert, double? MeanNovice,
    IReadOnlyList<QualityBin> Bins, int SuspectCount, IReadOnlyList<SuspectItem> Suspects);

/// <summary>How many expert and novice items have a leave-one-out expert-likeness in [From, To) (the last bin includes 100).</summary>
public sealed record QualityBin(int From, int To, int Experts, int Novices);

/// <summary>An item whose nearest other replies mostly carry the other label.</summary>
/// <param name="Agreeing">Of the <paramref name="Neighbours"/> nearest other replies, how many share its label.</param>
public sealed record SuspectItem(int Ordinal, string Context, string Response, string Label, int Agreeing, int Neighbours, double ExpertLikeness);
