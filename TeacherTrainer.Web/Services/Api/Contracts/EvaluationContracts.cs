namespace TeacherTrainer.Web.Services.Api;

/// <summary>The engine's verdict on one reply.</summary>
public sealed record Judgement(
    int Score, string Band, IReadOnlyList<CriterionJudgement> Criteria, IReadOnlyList<NearestExemplar> NearestExemplars, string Suggestion)
{
    public string Basis { get; init; } = "general";
    public string? BasisReference { get; init; }
}

/// <param name="Evidence">The span of the trainee's words that earned or cost the score, or null.</param>
/// <param name="EvidenceStart">Character offset of <paramref name="Evidence"/> in the reply (-1 when none).</param>
/// <param name="Effect"><c>earned</c>, <c>cost</c>, <c>none</c>, or <c>not-yet-due</c> (weight 0: the criterion comes later in the conversation).</param>
public sealed record CriterionJudgement(
    string Key, string Name, int Score, string? Evidence, string Explanation, double Weight, int EvidenceStart = -1, string Effect = "none");

/// <param name="Quality"><c>expert</c>/<c>novice</c> for collections; <c>strong</c>/<c>acceptable</c>/<c>poor</c> for scenario exemplars.</param>
public sealed record NearestExemplar(string Text, string Quality, double Similarity, int? Rating = null, string? Rationale = null)
{
    public bool IsExpert => Quality is "strong" or "expert";
}

public sealed record ContextTurn(string Speaker, string Text);

public sealed record CollectionItem(IReadOnlyList<ContextTurn> Context, string Response, string Quality);

public sealed record CollectionRequest(string? Description, IReadOnlyList<CollectionItem> Items);

/// <param name="SharedWith">The cohorts it is shared with: only for its owner and admins.</param>
public sealed record CollectionSummary(string Name, string Description, int ItemCount, int ExpertCount, int NoviceCount, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    string? Owner = null, bool IsOwner = false, IReadOnlyList<CollectionCohort>? SharedWith = null);

public sealed record CollectionCohort(Guid Id, string Name);

/// <summary>Where a collection judges practice: these scenarios, and these cohorts' trainees.</summary>
public sealed record CollectionAttachments(string Collection, IReadOnlyList<AttachedScenario> Scenarios, IReadOnlyList<AttachedCohort> Cohorts);

public sealed record AttachedScenario(string Slug, string Title);

public sealed record AttachedCohort(Guid Id, string Name);

/// <summary>GET /api/collections/{name}/quality: how the collection's expert and novice replies separate, and the items that look mislabelled.</summary>
public sealed record CollectionQualityReport(
    string Collection, DateTimeOffset Version, int ItemCount, int ExpertCount, int NoviceCount, int Neighbours,
    double? PairsOrderedRight, double? Auc, double? MeanExpert, double? MeanNovice,
    IReadOnlyList<QualityBin> Bins, int SuspectCount, IReadOnlyList<SuspectItem> Suspects);

public sealed record QualityBin(int From, int To, int Experts, int Novices);

public sealed record SuspectItem(int Ordinal, string Context, string Response, string Label, int Agreeing, int Neighbours, double ExpertLikeness);
