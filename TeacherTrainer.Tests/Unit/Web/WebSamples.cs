using TeacherTrainer.Web.Services.Api;

namespace TeacherTrainer.Tests.Unit.Web;

/// <summary>API shapes as the web app receives them, for component tests.</summary>
internal static class WebSamples
{
    public const string Reply = "I can see you're upset. Sit down now or you'll lose your break.";

    public static Judgement Judgement() => new(
        58, Band.Developing,
        [
            new CriterionJudgement("validate", "Acknowledges feelings", 81, "I can see you're upset", "Names the feeling first.", 0.5, 0, "earned"),
            new CriterionJudgement("threat", "Avoids threats", 22, "or you'll lose your break", "A threat raises the stakes.", 0.3, 37, "cost"),
            new CriterionJudgement("uptake", "Uptake", 55, null, "Builds a little on what was said.", 0.2),
        ],
        [
            new NearestExemplar("That sounds really frustrating. Let's find a calm spot and you can tell me.", ExemplarQuality.Strong, 0.71, 5, "Validates, then offers a way forward."),
            new NearestExemplar("Stop it now.", ExemplarQuality.Poor, 0.52, 1, "Commands without connection."),
        ],
        "Drop the threat; offer a choice instead.");

    public static SessionView Session(params TurnView[] turns) => new(
        Guid.NewGuid(), Guid.NewGuid(),
        new SessionScenario(Guid.NewGuid(), "lego", "Kofi won't tidy away his Lego rocket", "classroom-disruption", "early-primary", "introductory", 1),
        new SessionPersona("Kofi", 6, "Year 1 pupil", "student"),
        "NO! It's my rocket!", ["Calm him", "Agree a next step"], 8, SessionStatus.Active, null,
        new PersonaStateValues(0.7, 0.3, 0.4), "guarded", turns.Length, DateTimeOffset.UtcNow, null, turns, null, null, null);

    public static TurnJudged Judged(int index) => new(index, Judgement(), "validating-feelings", "Validating feelings", [],
        new PersonaStateValues(0.5, 0.45, 0.5), "guarded");

    public static TurnResult Saved(int index, string traineeText, string reply) => new(
        new TurnView(Guid.NewGuid(), index, traineeText, "validating-feelings", "Validating feelings", "NO!", reply, "model",
            new PersonaStateValues(0.7, 0.3, 0.4), new PersonaStateValues(0.4, 0.5, 0.5), "settled", 58, Judgement(),
            [new CriterionScoreView("validate", "Acknowledges feelings", 81, null, 81)], DateTimeOffset.UtcNow),
        SessionStatus.Active, null, 6);
}
