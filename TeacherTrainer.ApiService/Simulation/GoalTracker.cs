using TeacherTrainer.ApiService.Evaluation;

namespace TeacherTrainer.ApiService.Simulation;

/// <summary>
/// Decides which of the persona's goals a reply meets, from what the trainee actually said: the
/// reply or one of its clauses (the vectors the judge already computed) must mean what one of the
/// goal's example lines means. A reply the persona cannot take at face value (parroting, off-topic,
/// harmful, a red line crossed, a hollow reply the judge flagged) meets nothing, and a goal that
/// needs another one first waits for it.
/// </summary>
public static class GoalTracker
{
    /// <summary>Cosine between a clause and an example line from which the goal counts as met (MiniLM: paraphrases sit above, related talk below).</summary>
    public const double MeetsAt = 0.6;
    /// <summary>A reply the judge scores this low has not met anything, whatever phrase it contains.</summary>
    public const int MinimumScore = 30;

    public static IReadOnlyList<string> Met(PersonaModel model, EncodedReply reply, Judgement judgement, ReplyReading reading, IReadOnlySet<string> alreadyMet)
    {
        if (reading.Blocked || judgement.Score < MinimumScore) return [];
        var met = new List<string>();
        var vectors = reply.Clauses.Select(c => c.Vector).Prepend(reply.Vector).ToList();
        // Each part of the reply speaks to the one goal it is nearest: "Would you like to tell me about Pickles?" is an
        // invitation to talk about him, and sharing his name with an honest explanation of dying does not make it one too.
        var spokenTo = vectors.Select(v => model.Goals.Select(g => (Goal: g, Closeness: Closeness(g, [v]))).MaxBy(x => x.Closeness))
            .Where(x => x.Goal is not null && x.Closeness >= MeetsAt)
            .GroupBy(x => x.Goal.Goal.Key).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        // Twice round, so a goal that needs one met by this same reply can follow it.
        for (var pass = 0; pass < 2; pass++)
        {
            foreach (var goal in model.Goals)
            {
                var key = goal.Goal.Key;
                if (alreadyMet.Contains(key) || met.Contains(key) || !spokenTo.Contains(key)) continue;
                if (goal.Goal.Requires.Any(r => !alreadyMet.Contains(r) && !met.Contains(r))) continue;
                met.Add(key);
            }
        }
        return met;
    }

    /// <summary>How near the reply comes to any of the persona's goals, whatever else holds (to overrule a harmful or off-topic misreading).</summary>
    public static double NearestGoal(PersonaModel model, EncodedReply reply)
    {
        var vectors = reply.Clauses.Select(c => c.Vector).Prepend(reply.Vector).ToList();
        return model.Goals.Count == 0 ? 0 : model.Goals.Max(g => Closeness(g, vectors));
    }

    /// <summary>How near the reply comes to the goal: the best clause against the best example.</summary>
    public static double Closeness(PersonaGoalModel goal, IReadOnlyList<float[]> vectors)
    {
        var best = 0.0;
        foreach (var v in vectors)
        {
            foreach (var example in goal.MetBy) best = Math.Max(best, VectorMath.Dot(v, example));
        }
        return best;
    }
}
