using TeacherTrainer.Web.Services.Api;

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
    public int Index { get; set; }
    public string TraineeText { get; set; } = "";
    public string PersonaReply { get; set; } = "";
    public string? ReplySource { get; set; }
    public TurnPhase Phase { get; set; }
    public Judgement? Judgement { get; set; }
    public string? MoveName { get; set; }
    public IReadOnlyList<CriterionScoreView>? Scores { get; set; }

    public static ChatTurn From(TurnView view) => new()
    {
        Index = view.Index, TraineeText = view.TraineeText, PersonaReply = view.PersonaReply, ReplySource = view.PersonaReplySource,
        Phase = TurnPhase.Done, Judgement = view.Judgement, MoveName = view.MoveName, Scores = view.CriterionScores,
    };
}

/// <summary>
/// The conversation on the practice page: the turns so far and the one in flight, and the persona's
/// state, updated by each event of a turn as it streams in.
/// </summary>
public sealed class PracticeConversation(SessionView session)
{
    private readonly List<ChatTurn> _turns = session.Turns.OrderBy(t => t.Index).Select(ChatTurn.From).ToList();

    public SessionView Session { get; } = session;
    public IReadOnlyList<ChatTurn> Turns => _turns;
    public PersonaStateValues State { get; private set; } = session.State;
    public string Mood { get; private set; } = session.Mood;
    public string Status { get; private set; } = session.Status;
    public string? EndReason { get; private set; } = session.EndReason;
    public int TurnsLeft { get; private set; } = Math.Max(0, session.TurnLimit - session.TurnCount);

    public bool IsActive => Status == SessionStatuses.Active;
    public ChatTurn? InFlight => _turns.LastOrDefault(t => t.Phase != TurnPhase.Done);

    /// <summary>The trainee sent <paramref name="text"/>: it shows at once, waiting for its judgement.</summary>
    public ChatTurn Begin(string text)
    {
        var turn = new ChatTurn { Index = _turns.Count, TraineeText = text, Phase = TurnPhase.Judging };
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
                State = judged.Value.State;
                Mood = judged.Value.Mood;
                break;
            case TurnEvent.PersonaDelta delta:
                turn.PersonaReply += delta.Text;
                turn.Phase = TurnPhase.Answering;
                break;
            case TurnEvent.Completed completed:
                var saved = completed.Value.Turn;
                turn.Index = saved.Index;
                turn.TraineeText = saved.TraineeText;
                turn.PersonaReply = saved.PersonaReply;
                turn.ReplySource = saved.PersonaReplySource;
                turn.Judgement = saved.Judgement;
                turn.MoveName = saved.MoveName;
                turn.Scores = saved.CriterionScores;
                turn.Phase = TurnPhase.Done;
                State = saved.StateAfter;
                Mood = saved.Mood;
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
}
