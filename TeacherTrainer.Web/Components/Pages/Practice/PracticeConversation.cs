using TeacherTrainer.Web.Services.Api;
using TeacherTrainer.Web.Services.Display;

namespace TeacherTrainer.Web.Components.Pages.Practice;

/// <summary>Where a turn is: judged first, then answered by the persona (streamed, when a model speaks), then saved.</summary>
public enum TurnPhase
{
    Judging,
    Answering,
    Done,
}

/// <summary>One exchange on the practice page: the trainee's reply, its judgement, and the persona's answer.</summary>
public sealed class ChatTurn
{
    public Guid? Id { get; set; }
    public int Index { get; set; }
    public string TraineeText { get; set; } = "";
    public string PersonaReply { get; set; } = "";
    public string? ReplySource { get; set; }
    public TurnPhase Phase { get; set; }
    public Judgement? Judgement { get; set; }
    public string? MoveName { get; set; }
    public IReadOnlyList<CriterionScoreView>? Scores { get; set; }
    /// <summary>The mood after this turn, and why it moved (when the API says).</summary>
    public string? Mood { get; set; }
    public string? MoodReason { get; set; }
    /// <summary>The trainee tried this turn again: it stays, greyed, with its own feedback, but no longer counts.</summary>
    public bool Retried { get; set; }

    /// <summary>How screen readers and the label on the button name this turn ("turn 2", "turn 2, retried").</summary>
    public string Name => Retried ? $"turn {Index + 1}, retried" : $"turn {Index + 1}";

    public static ChatTurn From(TurnView view) => new()
    {
        Id = view.Id, Index = view.Index, TraineeText = view.TraineeText, PersonaReply = view.PersonaReply, ReplySource = view.PersonaReplySource,
        Phase = TurnPhase.Done, Judgement = view.Judgement, MoveName = view.MoveName, Scores = view.CriterionScores,
        Mood = view.Mood, MoodReason = view.MoodReason, Retried = view.Retried,
    };
}

/// <summary>
/// The conversation on the practice page: the turns so far and the one in flight, and the persona's
/// state, updated by each event of a turn as it streams in.
/// </summary>
public sealed class PracticeConversation(SessionView session)
{
    private readonly List<ChatTurn> _turns = session.Turns.OrderBy(t => t.Index).ThenBy(t => t.CreatedAt).Select(ChatTurn.From).ToList();

    public SessionView Session { get; } = session;
    public IReadOnlyList<ChatTurn> Turns => _turns;
    public PersonaStateValues State { get; private set; } = session.State;
    public string Mood { get; private set; } = session.Mood;
    /// <summary>Why the mood last moved, when the API says (null until the persona engine gives reasons).</summary>
    public string? MoodReason { get; private set; } = session.Turns.LastOrDefault(t => !t.Retried)?.MoodReason;
    public SessionStatus Status { get; private set; } = session.Status;
    public string? EndReason { get; private set; } = session.EndReason;
    public int TurnsLeft { get; private set; } = Math.Max(0, session.TurnLimit - session.TurnCount);

    public bool IsActive => Status == SessionStatus.Active;
    public ChatTurn? InFlight => _turns.LastOrDefault(t => t.Phase != TurnPhase.Done);

    /// <summary>The latest turn that counts: the one "try that turn again" would rewind, and whose score the page shows.</summary>
    public ChatTurn? LastCounted => _turns.LastOrDefault(t => !t.Retried);

    /// <summary>The trainee sent <paramref name="text"/>: it shows at once, waiting for its judgement.</summary>
    public ChatTurn Begin(string text)
    {
        var turn = new ChatTurn { Index = _turns.Count(t => !t.Retried), TraineeText = text, Phase = TurnPhase.Judging };
        _turns.Add(turn);
        return turn;
    }

    /// <returns>A problem to report, for a <see cref="TurnEvent.Failed"/> event.</returns>
    public ApiProblemException? Apply(ChatTurn turn, TurnEvent turnEvent)
    {
        switch (turnEvent)
        {
            case TurnEvent.Judged judged:
                turn.Index = judged.Value.TurnIndex;
                turn.Judgement = judged.Value.Judgement;
                turn.MoveName = judged.Value.MoveName;
                turn.Phase = TurnPhase.Answering;
                turn.Mood = judged.Value.Mood;
                turn.MoodReason = judged.Value.MoodReason;
                State = judged.Value.State;
                Mood = judged.Value.Mood;
                MoodReason = judged.Value.MoodReason;
                break;
            case TurnEvent.PersonaDelta delta:
                turn.PersonaReply += delta.Text;
                turn.Phase = TurnPhase.Answering;
                break;
            case TurnEvent.Completed completed:
                var saved = completed.Value.Turn;
                turn.Id = saved.Id;
                turn.Index = saved.Index;
                turn.TraineeText = saved.TraineeText;
                turn.PersonaReply = saved.PersonaReply;
                turn.ReplySource = saved.PersonaReplySource;
                turn.Judgement = saved.Judgement;
                turn.MoveName = saved.MoveName;
                turn.Scores = saved.CriterionScores;
                turn.Mood = saved.Mood;
                turn.MoodReason = saved.MoodReason ?? turn.MoodReason;
                turn.Phase = TurnPhase.Done;
                State = saved.StateAfter;
                Mood = saved.Mood;
                MoodReason = turn.MoodReason;
                Status = completed.Value.SessionStatus;
                EndReason = completed.Value.EndReason;
                TurnsLeft = completed.Value.TurnsLeft;
                break;
            case TurnEvent.Failed failed:
                return failed.Problem;
        }
        return null;
    }

    /// <summary>The turn was not saved: it leaves the conversation.</summary>
    public void Abandon(ChatTurn turn) => _turns.Remove(turn);

    public void Ended(SessionView ended)
    {
        Status = ended.Status;
        EndReason = ended.EndReason;
    }

    /// <summary>
    /// What a screen reader hears once a reply is judged: the score and band, then how the persona's
    /// mood moved and why ("Score 72, strong. Andre eased: you acknowledged his evening.").
    /// </summary>
    public static string Announce(string persona, int score, Band band, string moodBefore, string moodAfter, string? moodReason)
    {
        var mood = !string.IsNullOrWhiteSpace(moodReason)
            ? moodReason.TrimEnd('.') + "."
            : moodBefore == moodAfter
                ? $"{persona} is still {Labels.Mood(moodAfter).ToLowerInvariant()}."
                : $"{persona} is now {Labels.Mood(moodAfter).ToLowerInvariant()}.";
        return $"Score {score}, {Labels.Band(band).ToLowerInvariant()}. {mood}";
    }
}
