using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.ApiService.Scenarios;

namespace TeacherTrainer.ApiService.Simulation;

/// <summary>Everything the persona takes from one reply: the judge's result and where the conversation stands.</summary>
/// <param name="PersonaLastLine">What the persona said just before the reply.</param>
/// <param name="PersonaLastVector">Its embedding (the judge's cache usually has it).</param>
/// <param name="History">Earlier exchanges, oldest first.</param>
public sealed record PersonaTurnInput(
    EvaluationResult Result, string TraineeReply, string PersonaLastLine, float[]? PersonaLastVector,
    IReadOnlyList<PastExchange> History, PersonaStateValues State, IReadOnlySet<string> GoalsMetBefore);

/// <summary>Where the persona stands after a reply.</summary>
/// <param name="Move">The move the persona reacts to: the classifier's, unless it read as harmful a reply the judge scores well.</param>
/// <param name="MoveConfidence">How sure the judge is of <paramref name="Move"/>.</param>
public sealed record PersonaStep(
    string Move, PersonaStateValues State, string Mood, string MoodReason, IReadOnlyList<string> GoalsMet, IReadOnlyList<string> GoalsJustMet,
    bool AllGoalsMet, ReplyReading Reading, IReadOnlySet<string> Facts, double MoveConfidence = 1);

/// <summary>
/// One turn of the persona's inner life, pure and deterministic: read the reply, see which goals it
/// meets, move the state with a reason. The session ends "goals met" exactly when every goal is met
/// and the persona has settled (and the last reply was not harmful).
/// </summary>
public static class PersonaTurn
{
    public static PersonaStep Step(PersonaModel model, PersonaTurnInput input)
    {
        var result = input.Result;
        var conversation = input.History.SelectMany(h => new[] { h.TraineeText, h.PersonaReply }).Prepend(model.Scenario.OpeningLine);
        var nearestGoal = GoalTracker.NearestGoal(model, result.Reply);
        var reading = ReplyReader.Read(input.TraineeReply, result.Reply.Vector, input.PersonaLastLine, input.PersonaLastVector,
            conversation, model.VectorOf(model.Scenario.OpeningLine), result.Judgement, result.Move,
            saysWhatAGoalAsks: nearestGoal >= GoalTracker.MeetsAt, goalCloseness: nearestGoal);
        // A harmful label the judge overrules: the persona reacts to the likeliest kind move instead.
        var move = result.Move;
        if (Moves.IsHarmful(move.Move) && !reading.Harmful)
        {
            var kind = move.Probabilities.Where(p => !Moves.IsHarmful(p.Key)).MaxBy(p => p.Value);
            move = move with { Move = kind.Key, Confidence = kind.Value };
        }
        var justMet = GoalTracker.Met(model, result.Reply, result.Judgement, reading, input.GoalsMetBefore);
        // What an earlier reply offered before the persona was ready for it counts once they are: it is not said again.
        var remembered = justMet.Count == 0 ? [] : GoalTracker.Remembered(model, input.History, input.GoalsMetBefore.Union(justMet).ToHashSet(StringComparer.Ordinal));
        var goalsMet = model.Goals.Select(g => g.Goal.Key).Where(k => input.GoalsMetBefore.Contains(k) || justMet.Contains(k) || remembered.Contains(k)).ToList();
        // Repair: owning an earlier harmful turn (an apology in a reply that is otherwise sound).
        var previousHarmful = input.History.Any(h => Moves.IsHarmful(h.Move));
        var repair = !reading.Blocked && previousHarmful && ConversationFacts.Apologises(input.TraineeReply);
        var descriptions = justMet.Select(k => model.Goals.First(g => g.Goal.Key == k).Goal.Description).ToList();
        var change = PersonaStateMachine.Apply(input.State, move, result.Judgement.Score,
            new TurnCircumstances(reading, descriptions, repair), model.ShortName);
        // Every goal met, and the persona has settled: trust lost to rudeness has to be earned back first.
        var allMet = model.Goals.Count > 0 && goalsMet.Count == model.Goals.Count && !reading.Harmful && !reading.Sneer
            && PersonaStateMachine.Mood(change.State) == Moods.Settled;
        var facts = ConversationFacts.From(input.History.Select(h => (h.TraineeText, h.Move)).Append((input.TraineeReply, move.Move)).ToList(), allMet);
        return new PersonaStep(move.Move, change.State, PersonaStateMachine.Mood(change.State), change.Reason, goalsMet, justMet, allMet, reading, facts, move.Confidence);
    }
}
