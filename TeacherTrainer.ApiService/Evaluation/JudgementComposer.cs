using TeacherTrainer.ApiService.Simulation;

namespace TeacherTrainer.ApiService.Evaluation;

/// <summary>Assembles a judgement from the scored criteria: weights, overall score, nearest exemplars, suggestion.</summary>
public static class JudgementComposer
{
    /// <summary>Share of the overall score that uptake carries whenever it applies.</summary>
    public const double UptakeWeight = 0.2;
    public const int NearestExemplarsShown = 3;

    /// <summary>Judges a reply against a rubric basis: pure, given the encoded reply, its move and its uptake.</summary>
    /// <param name="hear">The move classifier, to read whether a kind reply is near a hostile warning by topic only (<see cref="RubricScorer.KindReply"/>).</param>
    public static Judgement JudgeAgainstRubric(RubricBasis basis, EncodedReply reply, MoveClassification move, MoveCatalog catalog,
        UptakeResult? uptake, string speaker, string? lastWords, RubricWeights? weights = null, IReadOnlyList<ExemplarModel>? exemplars = null,
        bool firstReply = false, IntegrityReport? integrity = null, TutoringResult? tutoring = null, int turnNumber = 1,
        IReadOnlyDictionary<string, CriterionStage.EarlierCredit>? metEarlier = null, MoveClassifier? hear = null)
    {
        var (exemplarSignal, nearest) = RubricScorer.ExemplarSignal(reply.Vector, exemplars ?? basis.Exemplars);
        var warningsReadBy = hear is not null && RubricScorer.KindReply(reply, move, hear) ? hear : null;
        var scores = basis.Criteria.Select(c => RubricScorer.Score(c, reply, move, exemplarSignal, weights, basis.Criteria, warningsReadBy, basis)).ToList();

        var rubricShare = uptake is null ? 1.0 : 1 - UptakeWeight;
        var totalWeight = scores.Sum(s => s.Model.Criterion.Weight);
        var criteria = scores.Select(s => new CriterionJudgement(
            s.Model.Criterion.Key, s.Model.Criterion.Name, s.Score, s.Evidence?.Text,
            FeedbackWriter.Explain(s, move, catalog),
            Math.Round(rubricShare * s.Model.Criterion.Weight / totalWeight, 4),
            s.Evidence?.Span.Start ?? -1, s.Effect)).ToList();
        if (tutoring is not null) criteria = WithTutoring(criteria, tutoring);
        criteria = CriterionStage.Apply(criteria, basis.Criteria, turnNumber, rubricShare);
        if (metEarlier is not null) criteria = CriterionStage.ApplyMetEarlier(criteria, metEarlier, rubricShare);
        if (uptake is not null) criteria.Add(UptakeCriterion(uptake, speaker));

        var overall = Overall(criteria);
        var expert = FeedbackWriter.ExpertExample(nearest, lastWords, firstReply);
        var weakest = Weakest(criteria);
        var weakestDescription = weakest.Key == "uptake" ? "" : basis.Criteria.First(c => c.Criterion.Key == weakest.Key).Criterion.Description;
        // The suggestion's expert reply is not listed again among the nearest exemplars: one exemplar, shown once.
        var judgement = new Judgement(overall, JudgementBands.For(overall), criteria,
            nearest.Where(n => !ReferenceEquals(n.Exemplar, expert)).Take(NearestExemplarsShown)
                .Select(n => new NearestExemplar(n.Exemplar.Text, QualityOf(n.Exemplar.Rating),
                Math.Round(n.Similarity, 3), n.Exemplar.Rating, n.Exemplar.Rationale)).ToList(),
            FeedbackWriter.Suggest(weakest.Key, weakest.Name, weakestDescription, expert?.Text, lastWords, speaker))
        {
            Basis = basis.Kind,
            BasisReference = basis.Reference,
        };
        // Tricks are capped first, then red lines: each only lowers, so the order changes no score. A reply that crosses
        // one of the scenario's red lines ("Don't worry, this won't leave this room.") answers the situation, wrongly:
        // the red line says why, and calling it off-topic would tell the trainee something untrue.
        var breaches = RedLineDetector.Detect(basis, reply, lastWords);
        if (breaches.Count > 0 && integrity is { IsClean: false })
        {
            integrity = new IntegrityReport([.. integrity.Findings.Where(f => f.Family != IntegrityFamilies.OffTopic)]);
        }
        return RedLineDetector.Apply(ReplyIntegrity.Apply(judgement, integrity), breaches);
    }

    /// <summary>
    /// The general rubric's learned "guides the learner" criterion replaces its indicator-based reading
    /// (its indicators document it; the score comes from <see cref="TutoringQualityScorer"/>), keeping its weight.
    /// </summary>
    private static List<CriterionJudgement> WithTutoring(List<CriterionJudgement> criteria, TutoringResult tutoring)
        => criteria.Select(c => c.Key != TutoringQualityScorer.Key ? c : c with
        {
            Score = (int)Math.Round(tutoring.Score),
            Evidence = tutoring.Evidence?.Text,
            Explanation = tutoring.Explanation,
            EvidenceStart = tutoring.Evidence?.Start ?? -1,
            Effect = tutoring.Evidence is null ? "none" : tutoring.Earned ? "earned" : "cost",
        }).ToList();

    public static CriterionJudgement UptakeCriterion(UptakeResult uptake, string speaker)
        => new("uptake", "Uptake: building on what was just said", (int)Math.Round(uptake.Score), uptake.Evidence?.Text,
            FeedbackWriter.ExplainUptake(uptake, speaker), UptakeWeight, uptake.Evidence?.Start ?? -1,
            // Words handed back are what the echo guard capped: quoted as what cost the points, not as what earned them.
            uptake.Evidence is null ? "none" : uptake.Guard != UptakeGuard.None ? "cost" : FeedbackWriter.BuildsOn(uptake) ? "earned" : "none");

    public static int Overall(IReadOnlyList<CriterionJudgement> criteria)
    {
        var weight = criteria.Sum(c => c.Weight);
        return weight <= 0 ? 0 : (int)Math.Round(criteria.Sum(c => c.Score * c.Weight) / weight);
    }

    /// <summary>The criterion that cost the most: the largest weighted shortfall from full marks.</summary>
    public static CriterionJudgement Weakest(IReadOnlyList<CriterionJudgement> criteria)
        => criteria.OrderByDescending(c => (100 - c.Score) * c.Weight).ThenBy(c => c.Key, StringComparer.Ordinal).First();

    private static ExemplarQuality QualityOf(int rating) => rating >= 4 ? ExemplarQuality.Strong : rating == 3 ? ExemplarQuality.Acceptable : ExemplarQuality.Poor;

}
