namespace TeacherTrainer.ApiService.Scenarios;

/// <summary>The kinds of trainee move the persona reacts to (Content/moves.json).</summary>
public static class Moves
{
    public const string ValidateFeelings = "validate-feelings";
    public const string OpenQuestion = "open-question";
    public const string Revoice = "revoice";
    public const string SetLimit = "set-limit";
    public const string OfferChoice = "offer-choice";
    public const string Explain = "explain";
    public const string SpecificPraise = "specific-praise";
    public const string PlanTogether = "plan-together";
    public const string Threat = "threat";
    public const string Sarcasm = "sarcasm";
    public const string Dismissal = "dismissal";
    /// <summary>Acknowledgements, thanks, agreement or plain information that make none of the other moves: a normal reading, not a failure.</summary>
    public const string Neutral = "neutral";

    public static readonly string[] All =
        [ValidateFeelings, OpenQuestion, Revoice, SetLimit, OfferChoice, Explain, SpecificPraise, PlanTogether, Threat, Sarcasm, Dismissal, Neutral];

    public static bool IsHarmful(string move) => move is Threat or Sarcasm or Dismissal;
}
