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

/// <summary>
/// Moves the persona's state (escalation, trust, engagement, each 0..1) with what the trainee does.
/// Each move pushes the state its own way; a move done well (a higher judgement) pushes further in
/// the good direction, and a harmful move does its damage however it was phrased. The state's
/// mood picks the reply-bank lines, and the conversation ends well once the persona has settled.
/// </summary>
public static class PersonaStateMachine
{
    public const double EscalatedFrom = 0.6;
    public const double SettledBelow = 0.35;
    public const double SettledTrustFrom = 0.5;
    /// <summary>Goals are met when the persona is calm, trusting and engaged, after at least this many replies.</summary>
    public const int MinimumTurnsForGoals = 3;

    /// <summary>(escalation, trust, engagement) change per move, before the quality of the reply is counted.</summary>
    private static readonly Dictionary<string, (double Escalation, double Trust, double Engagement)> Effects = new()
    {
        [Moves.ValidateFeelings] = (-0.14, +0.10, +0.05),
        [Moves.OpenQuestion] = (-0.05, +0.05, +0.10),
        [Moves.Revoice] = (-0.10, +0.10, +0.10),
        [Moves.SetLimit] = (-0.06, +0.03, 0.00),
        [Moves.OfferChoice] = (-0.10, +0.06, +0.06),
        [Moves.Explain] = (-0.02, +0.03, +0.04),
        [Moves.SpecificPraise] = (-0.06, +0.08, +0.08),
        [Moves.PlanTogether] = (-0.06, +0.06, +0.12),
        [Moves.Threat] = (+0.24, -0.15, -0.10),
        [Moves.Sarcasm] = (+0.20, -0.20, -0.12),
        [Moves.Dismissal] = (+0.15, -0.15, -0.15),
        // "Okay", "thanks", plain information: heard, changes nothing.
        [Moves.Neutral] = (0.00, 0.00, 0.00),
    };

    public static string Mood(PersonaStateValues state)
        => state.Escalation >= EscalatedFrom ? Moods.Escalated
            : state.Escalation < SettledBelow && state.Trust >= SettledTrustFrom ? Moods.Settled
            : Moods.Guarded;

    public static PersonaStateValues Apply(PersonaStateValues state, MoveClassification move, int judgementScore)
    {
        // 0.5 for a reply judged 0, 1.5 for one judged 100: good moves done well calm more.
        var quality = 0.5 + judgementScore / 100.0;
        double escalation = 0, trust = 0, engagement = 0;
        foreach (var (key, probability) in move.Probabilities)
        {
            var effect = EffectOf(key, state);
            escalation += probability * Scale(effect.Escalation, improving: effect.Escalation < 0, quality);
            trust += probability * Scale(effect.Trust, improving: effect.Trust > 0, quality);
            engagement += probability * Scale(effect.Engagement, improving: effect.Engagement > 0, quality);
        }
        return new PersonaStateValues(
            Round(state.Escalation + escalation), Round(state.Trust + trust), Round(state.Engagement + engagement));
    }

    public static bool GoalsMet(PersonaStateValues state, int traineeTurns)
        => traineeTurns >= MinimumTurnsForGoals && Mood(state) == Moods.Settled && state.Trust >= 0.65 && state.Engagement >= 0.6;

    private static (double Escalation, double Trust, double Engagement) EffectOf(string move, PersonaStateValues state)
    {
        var effect = Effects[move];
        return move switch
        {
            // A limit lands only where there is some trust; without it, it reads as a power play.
            Moves.SetLimit when state.Trust < 0.4 => (+0.06, -0.02, -0.02),
            // Explaining to someone who is upset is heard as a lecture.
            Moves.Explain when state.Escalation >= EscalatedFrom => (+0.04, -0.02, -0.02),
            // Planning before the person feels heard is premature.
            Moves.PlanTogether when state.Escalation >= EscalatedFrom => (+0.02, 0.00, 0.00),
            _ => effect,
        };
    }

    private static double Scale(double delta, bool improving, double quality) => improving ? delta * quality : delta;

    private static double Round(double value) => Math.Round(Math.Clamp(value, 0, 1), 3);
}
