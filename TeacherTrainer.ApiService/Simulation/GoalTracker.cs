using System.Text.RegularExpressions;
using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.ApiService.Scenarios;

namespace TeacherTrainer.ApiService.Simulation;

/// <summary>
/// Decides which of the persona's goals a reply meets, from what the trainee actually said: the
/// reply or one of its clauses (the vectors the judge already computed) must mean what one of the
/// goal's example lines means. A reply the persona cannot take at face value (parroting, off-topic,
/// harmful, a red line crossed, a hollow reply the judge flagged) meets nothing, and a goal that
/// needs another one first waits for it.
/// </summary>
public static partial class GoalTracker
{
    /// <summary>Cosine between a clause and an example line from which the goal counts as met (MiniLM: paraphrases sit above, related talk below).</summary>
    public const double MeetsAt = 0.6;
    /// <summary>A reply the judge scores this low has not met anything, whatever phrase it contains.</summary>
    public const int MinimumScore = 30;
    /// <summary>
    /// Short of a paraphrase, a reply the judge scores at least <see cref="NearNeedsScore"/> speaks to the goal it comes this
    /// near. Chosen on the rated exemplars (<c>PersonaFidelityTests</c>) from 0.4 to 0.5 and 50 to 65: 0.5 and 60 raised
    /// the share of replies rated 4-5 that meet a goal from 35% to 48% and left those rated 1-2 at 2%.
    /// </summary>
    public const double NearMeetsAt = 0.5;
    /// <summary>The judge's score from which a reply near a goal meets it (the score from which the judge also overrules a harmful label).</summary>
    public const int NearNeedsScore = ReplyReader.JudgeOverridesHarmFrom;

    public static IReadOnlyList<string> Met(PersonaModel model, EncodedReply reply, Judgement judgement, ReplyReading reading, IReadOnlySet<string> alreadyMet)
    {
        if (reading.Blocked || judgement.Score < MinimumScore) return [];
        var met = new List<string>();
        var parts = PartsOf(reply);
        // Each part of the reply speaks to the one goal it is nearest: "Would you like to tell me about Pickles?" is an
        // invitation to talk about him, and sharing his name with an honest explanation of dying does not make it one too.
        var nearest = parts.Select(p => model.Goals.Select(g => (Goal: g, Closeness: Closeness(g, [p]))).MaxBy(x => x.Closeness))
            .Where(x => x.Goal is not null).ToList();
        var spokenTo = nearest.Where(x => x.Closeness >= MeetsAt).Select(x => x.Goal.Goal.Key).ToHashSet(StringComparer.Ordinal);
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
        // A reply the judge scores well that comes near a goal, short of a paraphrase of its lines, speaks to it too: "Good
        // catch, Diego. Revere was definitely a Patriot, and the picture isn't accurate." (81) credits his catch, 0.50 from
        // "You've spotted that Revere staged it to make the soldiers look guilty. That's spot on." One goal at most, the
        // nearest, and only one whose needs were met before this reply: a step taken now is not also the step after it
        // ("Can you draw it first? Then we write one word together." is not writing a word alone).
        if (met.Count == 0 && judgement.Score >= NearNeedsScore && nearest.Count > 0)
        {
            var (goal, closeness) = nearest.MaxBy(x => x.Closeness);
            if (closeness >= NearMeetsAt && !alreadyMet.Contains(goal.Goal.Key) && goal.Goal.Requires.All(alreadyMet.Contains)) met.Add(goal.Goal.Key);
        }
        return met;
    }

    /// <summary>
    /// Goals an earlier reply spoke to while they still waited for another, now that what they waited for is met: Connor was
    /// offered "You haven't lost practicals for good..." (0.71 from the route back) before he felt heard, and once he was, the
    /// offer was still not credited, so the conversation could not end well without the teacher saying it again. The earlier
    /// reply must have met it as a reply meets a goal now: a part of it nearest this goal at <see cref="MeetsAt"/> or more, not
    /// heard as harmful, and judged at least <see cref="MinimumScore"/>. Not announced as met by this reply (no mood credit).
    /// </summary>
    public static IReadOnlyList<string> Remembered(PersonaModel model, IReadOnlyList<PastExchange> history, IReadOnlySet<string> metNow)
    {
        var waiting = model.Goals.Where(g => g.Goal.Requires.Count > 0 && !metNow.Contains(g.Goal.Key)).ToList();
        if (waiting.Count == 0) return [];
        var spokenTo = history
            .Where(h => h.Reply is not null && h.Score >= MinimumScore && !Moves.IsHarmful(h.Move))
            .SelectMany(h => PartsOf(h.Reply!).Select(p => model.Goals.Select(g => (Goal: g, Closeness: Closeness(g, [p]))).MaxBy(x => x.Closeness)))
            .Where(x => x.Goal is not null && x.Closeness >= MeetsAt)
            .Select(x => x.Goal.Goal.Key).ToHashSet(StringComparer.Ordinal);
        var met = new HashSet<string>(metNow, StringComparer.Ordinal);
        var remembered = new List<string>();
        // As often as a remembered goal lets another follow it.
        for (var added = true; added;)
        {
            added = false;
            foreach (var goal in waiting)
            {
                var key = goal.Goal.Key;
                if (met.Contains(key) || !spokenTo.Contains(key) || !goal.Goal.Requires.All(met.Contains)) continue;
                met.Add(key);
                remembered.Add(key);
                added = true;
            }
        }
        return remembered;
    }

    /// <summary>How near the reply comes to any of the persona's goals, whatever else holds (to overrule a harmful or off-topic misreading).</summary>
    public static double NearestGoal(PersonaModel model, EncodedReply reply)
    {
        var parts = PartsOf(reply);
        return model.Goals.Count == 0 ? 0 : model.Goals.Max(g => Closeness(g, parts));
    }

    /// <summary>What a part of a reply does with its words: asks, says, or (the whole of a reply that does both) either.</summary>
    public enum Saying { Asks, Says, Either }

    /// <summary>A part of the reply (a clause, or the whole) with its meaning and whether it asks or says.</summary>
    public readonly record struct ReplyPart(float[] Vector, Saying Saying);

    public static IReadOnlyList<ReplyPart> PartsOf(EncodedReply reply)
    {
        var clauses = reply.Clauses.Select(c => new ReplyPart(c.Vector, SayingOfClause(c.Text))).ToList();
        var whole = clauses.Count == 0 ? SayingOfClause(reply.Text)
            : clauses.All(c => c.Saying == Saying.Asks) ? Saying.Asks : clauses.All(c => c.Saying == Saying.Says) ? Saying.Says : Saying.Either;
        return [new ReplyPart(reply.Vector, whole), .. clauses];
    }

    /// <summary>
    /// A question that proposes ("Shall we make a plan for the next blank moment?", "Would you like me to tell your dad
    /// with you?") does what "Let's make a plan" says: it is either, and so does a request to do something ("Could you ask
    /// her to tell you the story each night...?" is what "At home, ask her to tell you the story..." asks for, 0.66 from
    /// it, and met nothing). A request to tell, show or explain something now ("Can you tell me what happened?") asks.
    /// </summary>
    private static Saying SayingOfClause(string text) => !Asks(text) ? Saying.Says : Proposes().IsMatch(text) ? Saying.Either : Saying.Asks;

    private static bool Asks(string text) => text.TrimEnd().EndsWith('?');

    /// <summary>An example line that asks and then says ("Is that his collar? Tell me about him.") does either, as does one that proposes.</summary>
    private static Saying SayingOf(string example) => Asks(example) ? SayingOfClause(example) : example.Contains('?') ? Saying.Either : Saying.Says;

    [GeneratedRegex(@"^\W*(?:[\w']+,\s*)?(?:shall (?:we|i)|how about|why don't we|what if we|would you like (?:me|us) to|do you want (?:me|us) to|can we|could we|should we|let's|let me|(?:could|would|can|will) you (?!tell|show|explain|say|describe|talk|remember|think|see|hear|guess|imagine|help me|walk me|give me|point|name|read me|be honest)(?:please )?[a-z]+)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Proposes();

    /// <summary>
    /// How near the reply comes to the goal: the best part against the best example that does the same thing. A
    /// question meets a goal only by asking what its examples ask ("What did Pickles love to do?"), a statement only by
    /// saying what they say: "Can you tell me what the two hours looked like?" shares "two hours" with "Two hours is a
    /// lot of time to give", but asking about the time is not recognising it.
    /// </summary>
    public static double Closeness(PersonaGoalModel goal, IReadOnlyList<ReplyPart> parts)
    {
        var best = 0.0;
        foreach (var part in parts)
        {
            for (var i = 0; i < goal.MetBy.Length; i++)
            {
                var example = SayingOf(goal.Goal.MetBy[i]);
                if (part.Saying != Saying.Either && example != Saying.Either && part.Saying != example) continue;
                best = Math.Max(best, VectorMath.Dot(part.Vector, goal.MetBy[i]));
            }
        }
        return best;
    }
}
