using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.ApiService.Scenarios;

namespace TeacherTrainer.ApiService.Simulation;

/// <summary>The persona's mood: the reply bank's states.</summary>
public static class Moods
{
    public const string Escalated = "escalated";
    public const string Guarded = "guarded";
    public const string Settled = "settled";
    public static readonly string[] All = [Escalated, Guarded, Settled];
}

/// <summary>What moved the persona this turn, beyond the move itself.</summary>
/// <param name="GoalsJustMet">Descriptions of the persona goals this reply met.</param>
/// <param name="Repair">The reply owns an earlier harmful turn (an apology in an otherwise sound reply).</param>
public sealed record TurnCircumstances(ReplyReading Reading, IReadOnlyList<string> GoalsJustMet, bool Repair)
{
    public static readonly TurnCircumstances Plain = new(new ReplyReading(false, false, null, false, false, []), [], false);
}

/// <summary>The state after a turn and the short reason the trainee sees ("Andre eased: you acknowledged how he feels").</summary>
public sealed record MoodChange(PersonaStateValues State, string Reason);

/// <summary>
/// Moves the persona's state (escalation, trust, engagement, each 0..1) with what the trainee does,
/// both ways and in proportion: a helpful reply takes a share of what escalation is left (so a calm
/// reply always helps, however upset the persona is, and repair is possible), a harmful one takes a
/// share of the calm that is left (so rudeness escalates but never locks the persona at the top).
/// How much a helpful reply helps grows with the judge's score and with the persona's own goals it
/// meets; a reply that parrots, wanders off the topic or crosses a red line earns nothing.
/// </summary>
public static class PersonaStateMachine
{
    public const double EscalatedFrom = 0.6;
    public const double SettledBelow = 0.35;
    public const double SettledTrustFrom = 0.5;
    /// <summary>The judge's score at which a helpful move starts to help, and the span over which its full effect builds.</summary>
    public const int HelpsFromScore = 35;
    public const int FullEffectSpan = 40;
    /// <summary>Share of the remaining escalation one goal met takes away, on top of the move's own effect.</summary>
    public const double GoalRelief = 0.12;
    public const double RepairRelief = 0.08;
    /// <summary>No single turn moves a dimension by more than this share.</summary>
    public const double MaxShare = 0.5;

    /// <summary>
    /// Per move, the share of (escalation, trust, engagement) room a reply done well takes: for helpful
    /// moves, the share of escalation removed and of the trust and engagement still to gain; for
    /// harmful ones, the share of calm, trust and engagement lost.
    /// </summary>
    private static readonly Dictionary<string, (double Escalation, double Trust, double Engagement)> Effects = new()
    {
        [Moves.ValidateFeelings] = (0.22, 0.18, 0.10),
        [Moves.OpenQuestion] = (0.12, 0.10, 0.18),
        [Moves.Revoice] = (0.18, 0.16, 0.14),
        [Moves.SetLimit] = (0.10, 0.06, 0.02),
        [Moves.OfferChoice] = (0.16, 0.10, 0.12),
        [Moves.Explain] = (0.08, 0.08, 0.10),
        [Moves.SpecificPraise] = (0.12, 0.14, 0.14),
        [Moves.PlanTogether] = (0.12, 0.10, 0.18),
        [Moves.Threat] = (0.30, 0.30, 0.20),
        [Moves.Sarcasm] = (0.28, 0.32, 0.22),
        [Moves.Dismissal] = (0.22, 0.25, 0.25),
    };

    /// <summary>A good reply helps a little whatever its move (a move the catalog reads as unclear included).</summary>
    private const double AnyGoodReply = 0.03;

    public static string Mood(PersonaStateValues state)
        => state.Escalation >= EscalatedFrom ? Moods.Escalated
            : state.Escalation < SettledBelow && state.Trust >= SettledTrustFrom ? Moods.Settled
            : Moods.Guarded;

    /// <summary>The state after a reply read only by its move and score.</summary>
    public static PersonaStateValues Apply(PersonaStateValues state, MoveClassification move, int judgementScore)
        => Apply(state, move, judgementScore, TurnCircumstances.Plain with { Reading = TurnCircumstances.Plain.Reading with { Harmful = Moves.IsHarmful(move.Move) } }, "The persona").State;

    public static MoodChange Apply(PersonaStateValues state, MoveClassification move, int judgementScore, TurnCircumstances turn, string name)
    {
        var reading = turn.Reading;
        string why;
        double escalation, trust, engagement;
        if (reading.Blocked && !reading.Harmful && !reading.Sneer)
        {
            // Nothing earned: a little irritation, never relief.
            escalation = (reading.RedLine is null ? 0.05 : 0.02) * (1 - state.Escalation);
            trust = -0.06 * state.Trust;
            engagement = -0.08 * state.Engagement;
            why = reading.RedLine is not null ? "that crossed a line a teacher must not cross, and it earns nothing"
                : reading.Parroting ? "hearing their own words handed back, with nothing added"
                : reading.OffTopic ? "that did not answer what they said"
                : "the reply said less than it seemed to";
        }
        else if (reading.Harmful || reading.Sneer)
        {
            var harm = Effects.GetValueOrDefault(Moves.IsHarmful(move.Move) ? move.Move : Moves.Sarcasm);
            escalation = Math.Min(harm.Escalation * (1 - state.Escalation), 0.15);
            trust = -harm.Trust * state.Trust;
            engagement = -harm.Engagement * state.Engagement;
            // A harmful reply that also crosses a red line does the harm of both: it escalates, and says which line.
            why = reading.RedLine is not null ? $"{HarmReason(move.Move)}, and it crossed a line a teacher must not cross"
                : reading.Sneer && !reading.Harmful ? "the sneer undid the kind words around it" : HarmReason(move.Move);
        }
        else
        {
            var quality = Math.Clamp((judgementScore - HelpsFromScore) / (double)FullEffectSpan, 0, 1.3);
            var (rateE, rateT, rateG, context) = HelpfulRates(move, state);
            var goals = Math.Min(turn.GoalsJustMet.Count, 2) * GoalRelief;
            var repair = turn.Repair ? RepairRelief : 0;
            var relief = Math.Min(MaxShare, Math.Max(0, rateE * quality + goals + repair));
            if (quality == 0 && goals == 0)
            {
                escalation = 0.04 * (1 - state.Escalation);
                trust = -0.03 * state.Trust;
                engagement = -0.03 * state.Engagement;
                why = "the reply missed what they needed";
            }
            else
            {
                escalation = rateE < 0 && goals == 0 ? -rateE * (1 - state.Escalation) : -relief * state.Escalation;
                trust = Math.Min(MaxShare, rateT * quality + goals + repair) * (1 - state.Trust);
                engagement = Math.Min(MaxShare, rateG * quality + goals / 2) * (1 - state.Engagement);
                why = turn.GoalsJustMet.Count > 0 ? $"that met a need of theirs: {turn.GoalsJustMet[0]}"
                    : turn.Repair ? "you owned the earlier words and came back to them"
                    : context ?? HelpReason(move.Confidence >= FeedbackWriter.MoveNamedFrom ? move.Move : Moves.Neutral);
            }
        }
        var after = new PersonaStateValues(Round(state.Escalation + escalation), Round(state.Trust + trust), Round(state.Engagement + engagement));
        return new MoodChange(after, $"{name} {Verb(state, after)}: {why}.");
    }

    /// <summary>The helpful share of each dimension, weighted by how sure the classifier is of each non-harmful move, and what the context did to it.</summary>
    private static (double Escalation, double Trust, double Engagement, string? Context) HelpfulRates(MoveClassification move, PersonaStateValues state)
    {
        double e = 0, t = 0, g = 0, total = 0;
        foreach (var (key, probability) in move.Probabilities)
        {
            if (Moves.IsHarmful(key)) continue;
            var effect = Effects.GetValueOrDefault(key);
            e += probability * effect.Escalation;
            t += probability * effect.Trust;
            g += probability * effect.Engagement;
            total += probability;
        }
        if (total > 0) { e /= total; t /= total; g /= total; }
        e += AnyGoodReply; t += AnyGoodReply; g += AnyGoodReply;
        return move.Move switch
        {
            // A limit lands only where there is some trust; without it, it reads as a power play.
            Moves.SetLimit when state.Trust < 0.4 => (-0.05, 0, 0, "without trust yet, the limit sounded like a telling-off"),
            // Explaining or planning before the person feels heard is heard as a lecture, or as rushing them.
            Moves.Explain when state.Escalation >= EscalatedFrom => (e * 0.3, t * 0.5, g, "an explanation before feeling heard sounded like a lecture"),
            Moves.PlanTogether when state.Escalation >= EscalatedFrom => (e * 0.3, t * 0.5, g, "a plan before feeling heard felt rushed"),
            _ => (e, t, g, null),
        };
    }

    private static string Verb(PersonaStateValues before, PersonaStateValues after)
    {
        var calmer = before.Escalation - after.Escalation;
        return calmer >= 0.02 ? "eased"
            : calmer <= -0.02 ? "tensed"
            : after.Trust - before.Trust >= 0.02 ? "warmed a little"
            : after.Trust - before.Trust <= -0.02 ? "cooled"
            : "held steady";
    }

    private static string HarmReason(string move) => move switch
    {
        Moves.Threat => "that sounded like a threat",
        Moves.Sarcasm => "that sounded like mockery",
        Moves.Dismissal => "that brushed their concern aside",
        _ => "that landed badly",
    };

    /// <summary>
    /// What a helpful reply did, named only when the judge is as sure of its move as feedback must be to name it
    /// (<see cref="FeedbackWriter.MoveNamedFrom"/>): Carla "eased: the limit was calm and clear" at a reply heard as setting a
    /// limit at 0.42 that proposed two targets to agree.
    /// </summary>
    private static string HelpReason(string move) => move switch
    {
        Moves.ValidateFeelings => "you acknowledged how they feel",
        Moves.OpenQuestion => "you asked, and left room to answer",
        Moves.Revoice => "you showed you had heard them",
        Moves.SetLimit => "the limit was calm and clear",
        Moves.OfferChoice => "you offered a real choice",
        Moves.Explain => "you explained it plainly",
        Moves.SpecificPraise => "the praise was specific and true",
        Moves.PlanTogether => "you worked out a next step together",
        _ => "the reply was steady and on their point",
    };

    private static double Round(double value) => Math.Round(Math.Clamp(value, 0, 1), 3);
}
