using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.ApiService.Scenarios;
using System.Text.RegularExpressions;

namespace TeacherTrainer.ApiService.Simulation;

/// <summary>One earlier exchange as the persona remembers it.</summary>
/// <param name="Score">The judge's score of the trainee's reply, when known.</param>
/// <param name="Reply">The reply as the judge encoded it, when at hand (to remember what it offered).</param>
public sealed record PastExchange(string TraineeText, string Move, string PersonaReply, int? Score = null, EncodedReply? Reply = null);

/// <summary>
/// What has been said in the conversation that a persona line may presuppose ("I pick that one" needs
/// a choice on the table). Read from the trainee's words, not only the move label, so a misread move
/// never licenses a line.
/// </summary>
public static class ConversationFacts
{
    /// <summary>The last reply offered a choice: "I pick that one" takes up this reply's offer, not one made turns ago.</summary>
    public const string ChoiceOffered = "choice-offered";
    /// <summary>The last reply proposed a plan: "Deal." accepts this reply's proposal.</summary>
    public const string PlanProposed = "plan-proposed";
    /// <summary>
    /// The last reply proposed a plan or asked the persona for one ("How are you going to put it right with him?"): a line
    /// that puts forward a plan of the persona's own ("Okay. I'll stop, I'll tell the lads...") answers either.
    /// </summary>
    public const string PlanInvited = "plan-invited";
    /// <summary>The last reply apologised.</summary>
    public const string Apology = "apology";
    public const string Explained = "explained";
    public const string LimitSet = "limit-set";
    public const string Praised = "praised";
    public const string FeelingsNamed = "feelings-named";
    /// <summary>The last reply asked something.</summary>
    public const string QuestionAsked = "question-asked";
    public const string AllGoalsMet = "all-goals-met";

    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled;
    private static readonly Regex Choice = new(
        @"\b(would you (rather|prefer|like to)|if you['’]?d (rather|prefer)|if you (would )?(rather|prefer)|you (can|could|get to) (choose|pick|decide)|your (choice|call)|you choose|which (one|would you)|either\b)|\bor\b[^.!?]*\?", Options);
    private static readonly Regex Plan = new(
        @"\b(let's|let us|plan|next (time|week|step|lesson)|tomorrow|on (monday|tuesday|wednesday|thursday|friday)|check in (with|on|again|tomorrow|later)|follow up|i'll (email|call|send|ring|speak|talk|meet|set|arrange|put|write|make|sit|come|find|get)|we (can|could|will|'ll) (try|agree|meet|set|start|use|look|work|make)|agree|together we"
        // An offer to do something is a proposal too: "Would it help if I wrote a few questions in her reading record?"
        + @"|(would|will|does) it help (if (i|we)|to)|shall i|(do|would) you (want|like) me to|i could (email|call|send|ring|speak|talk|meet|set|arrange|put|write|make|show|give|find|get))\b", Options);

    // Asking them what they will do, or what would help, hands the plan to them.
    private static readonly Regex AsksForAPlan = new(
        @"\b(how (are|will|could|can|would|do|should) (you|we) (going to |gonna )?(put|make|fix|sort|repair|handle|deal|stop|avoid)|what (will|could|can|would|are|should) (you|we) (going to |gonna )?(do|try|say)\b|what (might|would|could|will) help|what needs to happen|what (do|would) you (want|like|think (should|needs to)) (to )?happen|how (can|could|should) we)\b[^?]*\?", Options);

    public static bool OffersChoice(string text) => Choice.IsMatch(text);
    public static bool AsksForPlan(string text) => AsksForAPlan.IsMatch(text);
    // A question in a proposing frame proposes too, as the judge hears it: "What if you got to be the one who explains the next
    // one to the class?" was answered with a line about homework, every plan line waiting for a proposal.
    public static bool ProposesPlan(string text) => Plan.IsMatch(text) || MoveClassifier.ProposesInAQuestion(text);
    public static bool Apologises(string text) => Apologies.In(text);

    /// <param name="turns">The trainee's replies with their moves, oldest first, the current one last.</param>
    public static HashSet<string> From(IReadOnlyList<(string Text, string Move)> turns, bool allGoalsMet)
    {
        var facts = new HashSet<string>(StringComparer.Ordinal);
        // An offer or a proposal is answered when it is made: "Deal." after "Fractions can be confusing." accepted a plan
        // that "I just want to check in" was taken to propose three turns before.
        if (turns.Count > 0 && OffersChoice(turns[^1].Text)) facts.Add(ChoiceOffered);
        var proposes = turns.Count > 0 && ProposesPlan(turns[^1].Text);
        if (proposes) facts.Add(PlanProposed);
        if (proposes || (turns.Count > 0 && AsksForPlan(turns[^1].Text))) facts.Add(PlanInvited);
        // An apology is accepted when it is made: "Alright, love. No harm done." answered Pauline's teacher's plan for the writing
        // table, two turns after the apology it was written for.
        if (turns.Count > 0 && Apologises(turns[^1].Text)) facts.Add(Apology);
        foreach (var (text, move) in turns)
        {
            switch (move)
            {
                case Moves.Explain: facts.Add(Explained); break;
                case Moves.SetLimit: facts.Add(LimitSet); break;
                case Moves.SpecificPraise: facts.Add(Praised); break;
                case Moves.ValidateFeelings: facts.Add(FeelingsNamed); break;
            }
        }
        if (turns.Count > 0 && turns[^1].Text.Contains('?')) facts.Add(QuestionAsked);
        if (allGoalsMet) facts.Add(AllGoalsMet);
        return facts;
    }
}
