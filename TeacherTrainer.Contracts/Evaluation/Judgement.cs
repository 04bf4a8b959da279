using System.Text.Json.Serialization;

namespace TeacherTrainer.Contracts;

/// <summary>
/// The engine's verdict on one reply (the operating contract's evaluation response). Every number
/// in it comes from the deterministic engine; a language model may only have phrased <see cref="Suggestion"/>.
/// </summary>
public sealed record Judgement(
    int Score,
    Band Band,
    IReadOnlyList<CriterionJudgement> Criteria,
    IReadOnlyList<NearestExemplar> NearestExemplars,
    string Suggestion)
{
    /// <summary>What the reply was judged against: <c>scenario</c>, <c>collection</c> or <c>general</c>.</summary>
    public string Basis { get; init; } = "general";
    /// <summary>Scenario version or collection name, when there is one.</summary>
    public string? BasisReference { get; init; }
    /// <summary>Engine version: results record which rules produced them.</summary>
    public string EngineVersion { get; init; } = JudgementBands.EngineVersion;
    /// <summary>Things the trainee should know about how the reply was read (for example, ignored instructions to the assessor).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
    /// <summary>
    /// How the reply was read, for machines: the integrity findings' families (the API's <c>IntegrityFamilies</c>),
    /// <see cref="InjectionFlag"/>, and <c>red-line:&lt;key&gt;</c> for each breach. The persona never rewards a flagged reply.
    /// </summary>
    public IReadOnlyList<string> Flags { get; init; } = [];

    public const string InjectionFlag = "injection";
    public const string RedLineFlagPrefix = "red-line:";
}

/// <param name="Evidence">The span of the trainee's words that earned or cost the score, or null.</param>
/// <param name="EvidenceStart">Character offset of <paramref name="Evidence"/> in the reply (-1 when none), for highlighting.</param>
/// <param name="Effect"><c>earned</c>, <c>cost</c> or <c>none</c>: what the evidence did to the score; or, for a criterion left out of
/// this reply's score (weight 0), <c>not-yet-due</c> (it comes later in the conversation) or <c>met-earlier</c> (an earlier reply did it,
/// quoted in <paramref name="Explanation"/>).</param>
public sealed record CriterionJudgement(
    string Key,
    string Name,
    int Score,
    string? Evidence,
    string Explanation,
    double Weight,
    int EvidenceStart = -1,
    string Effect = "none");

/// <param name="Quality"><c>expert</c>/<c>novice</c> for collections; <c>strong</c>/<c>acceptable</c>/<c>poor</c> for scenario exemplars.</param>
public sealed record NearestExemplar(string Text, ExemplarQuality Quality, double Similarity, int? Rating = null, string? Rationale = null)
{
    /// <summary>An expert's or a strong reply: one to learn from.</summary>
    [JsonIgnore]
    public bool IsExpert => Quality is ExemplarQuality.Strong or ExemplarQuality.Expert;
}

/// <summary>
/// How an exemplar was labelled: a collection's items are expert or novice (the engine's collection vote reads only
/// these two); a scenario's rated exemplars are strong (4-5), acceptable (3) or poor (1-2).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ExemplarQuality>))]
public enum ExemplarQuality
{
    [JsonStringEnumMemberName("novice")] Novice = 0,
    [JsonStringEnumMemberName("expert")] Expert = 1,
    [JsonStringEnumMemberName("strong")] Strong,
    [JsonStringEnumMemberName("acceptable")] Acceptable,
    [JsonStringEnumMemberName("poor")] Poor,
}

/// <summary>How a score reads at a glance; the wire names are the lower-case words.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Band>))]
public enum Band
{
    [JsonStringEnumMemberName("poor")] Poor,
    [JsonStringEnumMemberName("weak")] Weak,
    [JsonStringEnumMemberName("developing")] Developing,
    [JsonStringEnumMemberName("strong")] Strong,
    [JsonStringEnumMemberName("excellent")] Excellent,
}

public static class JudgementBands
{
    public const string EngineVersion = "2026.11";

    /// <summary>The lowest score of each band above <see cref="Band.Poor"/>.</summary>
    public const int Excellent = 75, Strong = 60, Developing = 45, Weak = 30;

    /// <summary>
    /// Bands a trainee reads at a glance; the thresholds are part of the engine version. Calibrated
    /// on the library's rated exemplars (leave-one-out): replies rated 4-5 average 64, rated 3
    /// average 49, rated 1-2 average 35, so they land in strong, developing and weak.
    /// </summary>
    public static Band For(int score) => score switch
    {
        >= Excellent => Band.Excellent,
        >= Strong => Band.Strong,
        >= Developing => Band.Developing,
        >= Weak => Band.Weak,
        _ => Band.Poor,
    };
}
