using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Data;
using TeacherTrainer.ApiService.Extensions;
using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.ApiService.Scenarios;
using TeacherTrainer.ApiService.Simulation;

namespace TeacherTrainer.ApiService.Practice;

/// <summary>
/// The practice loop: start a session on a scenario, take turns (judge the reply, move the persona,
/// let it answer, save everything together), end it with a summary, keep a reflection.
/// </summary>
public sealed class PracticeService(
    TeacherDbContext db,
    EvaluationEngine engine,
    PersonaVoice voice,
    PersonaModelCache personas,
    ReplyEncoder encoder,
    MoveCatalog moves,
    ScenarioContentCache versions,
    TimeProvider time)
{
    /// <summary>How many earlier exchanges travel with a reply as its context.</summary>
    public const int ContextExchanges = 3;

    /// <summary>End reasons of a session that ran its course (these complete an assignment; ending early does not).</summary>
    public const string GoalsMet = "goals-met", TurnLimit = "turn-limit", EndedByTrainee = "ended-by-trainee";

    public async Task<PracticeOutcome<SessionView>> StartAsync(ScenarioCaller caller, StartSessionRequest request, CancellationToken cancellationToken)
    {
        var userId = caller.UserId;
        // A draft is practised only by its authors (to try it out); to everyone else it does not exist.
        var query = db.Scenarios.Where(s => !s.IsArchived).Where(ScenarioAccess.VisibleTo(caller));
        var scenario = Guid.TryParse(request.Scenario, out var id)
            ? await query.SingleOrDefaultAsync(s => s.Id == id, cancellationToken)
            : await query.SingleOrDefaultAsync(s => s.Slug == request.Scenario, cancellationToken);
        if (scenario is null) return ScenarioProblems.UnknownScenario(request.Scenario);
        if (request.AssignmentId is { } assignmentId && await CheckAssignmentAsync(userId, assignmentId, scenario, cancellationToken) is { } refused) return refused;
        var version = await db.ScenarioVersions.AsNoTracking().SingleAsync(v => v.Id == scenario.CurrentVersionId, cancellationToken);
        var session = new PracticeSession
        {
            Id = Guid.CreateVersion7(), UserId = userId, ScenarioId = scenario.Id, ScenarioVersionId = version.Id,
            AssignmentId = request.AssignmentId, Status = SessionStatus.Active, State = version.Content.InitialState,
            StartedAt = time.GetUtcNow(),
        };
        db.Sessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        session.ScenarioVersion = version;
        return ToView(session, scenario, version, summary: null, notes: new Dictionary<(Guid TurnId, string Key), OverrideNote>());
    }

    /// <summary>
    /// A session counts for an assignment only if the assignment exists, the trainee belongs to its
    /// cohort, and the session is of the assignment's scenario. Another cohort's assignment is
    /// answered as unknown, so its id tells an outsider nothing.
    /// </summary>
    /// <returns>Null when the session may count for the assignment; otherwise why not.</returns>
    private async Task<BadRequestProblem?> CheckAssignmentAsync(Guid userId, Guid assignmentId, Scenario scenario, CancellationToken cancellationToken)
    {
        var assignment = await db.Assignments.AsNoTracking()
            .Where(a => a.Id == assignmentId && db.CohortMembers.Any(m => m.CohortId == a.CohortId && m.UserId == userId))
            .Select(a => new { a.ScenarioId, Slug = db.Scenarios.Where(x => x.Id == a.ScenarioId).Select(x => x.Slug).First() })
            .SingleOrDefaultAsync(cancellationToken);
        if (assignment is null) return PracticeProblems.UnknownAssignment(assignmentId);
        return assignment.ScenarioId != scenario.Id ? PracticeProblems.AssignmentForAnotherScenario(assignment.Slug) : null;
    }

    /// <summary>
    /// Takes one turn. <paramref name="onJudged"/> hears the judgement as soon as it is made, and
    /// <paramref name="onPersonaDelta"/> each piece of the persona's reply as it is produced; the turn
    /// is saved, judgement, reply and state together, before the result returns.
    /// </summary>
    public async Task<PracticeOutcome<TurnResult>> TakeTurnAsync(Guid sessionId, Guid userId, string text,
        Func<TurnJudged, Task> onJudged, Func<string, Task> onPersonaDelta, CancellationToken cancellationToken,
        TurnTimings? timings = null)
    {
        timings ??= new TurnTimings();
        var started = Stopwatch.GetTimestamp();
        // One round trip: the session (tracked, it is updated) and only what the turn needs of the
        // earlier turns; the scenario version's content comes from the process-wide cache.
        var loaded = await db.Sessions.Where(s => s.Id == sessionId)
            .Select(s => new { Session = s, Turns = s.Turns.Where(t => t.RetriedAt == null).OrderBy(t => t.Index).Select(t => new PastTurn(t.Index, t.TraineeText, t.Move, t.PersonaReply, t.Score)).ToList() })
            .SingleOrDefaultAsync(cancellationToken);
        var session = loaded?.Session;
        if (session is null || session.UserId != userId) return PracticeProblems.UnknownSession(sessionId);
        if (session.Status != SessionStatus.Active) return PracticeProblems.SessionEnded();
        var version = await versions.GetAsync(session.ScenarioVersionId, cancellationToken)
            ?? throw new InvalidOperationException($"Scenario version {session.ScenarioVersionId} of session {sessionId} does not exist.");
        timings.Load = TurnTimings.Since(started);
        var scenario = version.Content;
        var turns = loaded!.Turns;
        var personaPrompt = turns.Count == 0 ? scenario.OpeningLine : turns[^1].PersonaReply;
        var speaker = scenario.Persona.Speaker;

        var context = new List<ContextTurn>();
        if (turns.Count <= ContextExchanges) context.Add(new ContextTurn(speaker, scenario.OpeningLine));
        foreach (var t in turns.TakeLast(ContextExchanges))
        {
            context.Add(new ContextTurn("teacher", t.TraineeText));
            context.Add(new ContextTurn(speaker, t.PersonaReply));
        }

        // A collection attached to the scenario or to the trainee's cohort judges the reply instead of the scenario's
        // own exemplars (the judgement names it); the persona still plays the scenario.
        var judging = await JudgingCollections.ForSessionAsync(db, session.ScenarioId, session.UserId, session.AssignmentId, cancellationToken);
        started = Stopwatch.GetTimestamp();
        var result = await engine.JudgeAsync(new EvaluationInput(context, text, session.ScenarioVersionId, judging?.Id, judging?.Name, TurnNumber: turns.Count + 1), cancellationToken);
        timings.Judge = TurnTimings.Since(started);
        timings.Embed = result.EncodingMs;
        var judgement = result.Judgement;
        var stateBefore = session.State;
        var index = turns.Count;
        var persona = await personas.GetAsync(session.ScenarioVersionId, scenario, cancellationToken);
        // The judge has just embedded the persona's last line (uptake), so this is a cache hit.
        var personaVector = persona.VectorOf(personaPrompt) ?? await encoder.EncodeTextAsync(personaPrompt, cancellationToken);
        // Earlier replies as the judge encoded them (kept in its cache), so the persona remembers what they offered.
        var earlierReplies = turns.Count > 0 && persona.Goals.Any(g => g.Goal.Requires.Count > 0)
            ? await encoder.EncodeEarlierRepliesAsync(turns.Select(t => t.TraineeText).ToList(), cancellationToken) : null;
        var history = turns.Select((t, i) => new PastExchange(t.TraineeText, t.Move, t.PersonaReply, t.Score, earlierReplies?[i])).ToList();
        var step = PersonaTurn.Step(persona, new PersonaTurnInput(result, text, personaPrompt, personaVector, history, stateBefore, session.GoalsMet.ToHashSet()));
        var stateAfter = step.State;
        // The move the trainee is told the reply was heard as, and the one the turn keeps, is the one the persona answered: a
        // harmful label the judge overruled ("Can I show you something from Monday's phonics check and get your take on it?",
        // sarcasm at 0.35 and scored 80) is not shown as sarcasm, nor counted as harm an apology later repairs.
        var heardAs = step.Move;
        await onJudged(new TurnJudged(index, judgement, heardAs, moves[heardAs].Name, result.Move.AlsoDetected.Where(m => m != heardAs && (step.Reading.Harmful || !Moves.IsHarmful(m))).ToList(),
            stateAfter, step.Mood, step.MoodReason, step.GoalsMet));

        started = Stopwatch.GetTimestamp();
        var reply = await voice.SpeakAsync(new PersonaTurnRequest(persona, session.Id, index, step, heardAs,
            history, text, result.Reply.Vector), onPersonaDelta, cancellationToken);
        timings.Persona = TurnTimings.Since(started);
        started = Stopwatch.GetTimestamp();

        var turn = new SessionTurn
        {
            Id = Guid.CreateVersion7(), SessionId = session.Id, Index = index, TraineeText = text,
            Move = heardAs, MoveConfidence = result.Move.Probabilities.GetValueOrDefault(heardAs), PersonaPrompt = personaPrompt,
            PersonaReply = reply.Text, PersonaReplySource = reply.Source, StateBefore = stateBefore, StateAfter = stateAfter,
            Judgement = judgement, Score = judgement.Score, CreatedAt = time.GetUtcNow(),
            GoalsMet = step.GoalsMet.ToList(), MoodReason = step.MoodReason,
            CriterionScores = judgement.Criteria.Select(c => new TurnCriterionScore
            {
                CriterionKey = c.Key, CriterionName = c.Name, EngineScore = c.Score,
            }).ToList(),
        };
        foreach (var score in turn.CriterionScores) score.TurnId = turn.Id;
        db.Turns.Add(turn);
        session.State = stateAfter;
        session.GoalsMet = step.GoalsMet.ToList();
        session.TurnCount = index + 1;
        if (step.AllGoalsMet || session.TurnCount >= scenario.TurnLimit)
        {
            // Only at the end: the earlier turns with their criterion scores (an instructor may already have overridden one).
            var earlier = await db.Turns.AsNoTracking().Where(t => t.SessionId == session.Id && t.RetriedAt == null)
                .Include(t => t.CriterionScores).ToListAsync(cancellationToken);
            Complete(session, step.AllGoalsMet ? GoalsMet : TurnLimit, earlier.Append(turn));
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || ex.InnerException is Npgsql.PostgresException { SqlState: "23505" })
        {
            return PracticeProblems.TurnClashed();
        }
        timings.Save = TurnTimings.Since(started);
        return new TurnResult(ToTurnView(turn), session.Status, session.EndReason,
            Math.Max(0, scenario.TurnLimit - session.TurnCount));
    }

    public async Task<PracticeOutcome<SessionView>> EndAsync(Guid sessionId, Guid userId, CancellationToken cancellationToken)
    {
        var session = await LoadAsync(sessionId, cancellationToken);
        if (session is null || session.UserId != userId) return PracticeProblems.UnknownSession(sessionId);
        if (session.Status == SessionStatus.Active)
        {
            Complete(session, EndedByTrainee, session.Turns);
            await db.SaveChangesAsync(cancellationToken);
        }
        return await ViewAsync(session, cancellationToken);
    }

    public async Task<PracticeOutcome<SessionView>> SaveReflectionAsync(Guid sessionId, Guid userId, string text, CancellationToken cancellationToken)
    {
        var session = await LoadAsync(sessionId, cancellationToken);
        if (session is null || session.UserId != userId) return PracticeProblems.UnknownSession(sessionId);
        session.Reflection = text;
        session.ReflectionAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return await ViewAsync(session, cancellationToken);
    }

    /// <summary>A session with its transcript; null when it does not exist. The caller checks who may read it.</summary>
    public async Task<SessionView?> GetAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        var session = await LoadAsync(sessionId, cancellationToken, tracking: false);
        return session is null ? null : await ViewAsync(session, cancellationToken);
    }

    public async Task<List<SessionListItem>> ListAsync(Guid userId, CancellationToken cancellationToken)
        => await db.Sessions.AsNoTracking().Where(s => s.UserId == userId)
            .OrderByDescending(s => s.StartedAt)
            .Join(db.Scenarios, s => s.ScenarioId, c => c.Id, (s, c) => new SessionListItem(
                s.Id, c.Slug, c.Title, c.Category, s.Status,
                s.TurnCount, s.OverallScore, s.StartedAt, s.EndedAt))
            .Take(200)
            .ToListAsync(cancellationToken);

    private Task<PracticeSession?> LoadAsync(Guid sessionId, CancellationToken cancellationToken, bool tracking = true)
    {
        var query = db.Sessions.Include(s => s.ScenarioVersion).Include(s => s.Turns).ThenInclude(t => t.CriterionScores).AsSplitQuery();
        return (tracking ? query : query.AsNoTracking()).SingleOrDefaultAsync(s => s.Id == sessionId, cancellationToken);
    }

    /// <param name="turns">The session's turns (retried ones are left out by <see cref="EffectiveScores"/>).</param>
    private void Complete(PracticeSession session, string reason, IEnumerable<SessionTurn> turns)
    {
        session.Status = SessionStatus.Completed;
        session.EndReason = reason;
        session.EndedAt = time.GetUtcNow();
        // The one rule for a session's overall (overrides made while it ran count too).
        session.OverallScore = EffectiveScores.Session(turns);
    }

    private sealed record PastTurn(int Index, string TraineeText, string Move, string PersonaReply, int Score);

    private async Task<SessionView> ViewAsync(PracticeSession session, CancellationToken cancellationToken)
    {
        var scenario = await db.Scenarios.AsNoTracking().SingleAsync(s => s.Id == session.ScenarioId, cancellationToken);
        var summary = session.Status == SessionStatus.Completed
            ? await SessionSummaries.BuildAsync(db, session, scenario, cancellationToken)
            : null;
        var notes = await EffectiveScores.OverrideNotesAsync(db, session.Id, cancellationToken);
        return ToView(session, scenario, session.ScenarioVersion!, summary, notes);
    }

    private SessionView ToView(PracticeSession session, Scenario scenario, ScenarioVersion version, SessionSummary? summary,
        IReadOnlyDictionary<(Guid TurnId, string Key), OverrideNote> notes)
    {
        var d = version.Content;
        return new SessionView(session.Id, session.UserId,
            new SessionScenario(scenario.Id, scenario.Slug, d.Title, d.Category, d.GradeBand, d.Difficulty, version.Number),
            new SessionPersona(d.Persona.Name, d.Persona.Age, d.Persona.Role, d.Persona.Speaker),
            d.OpeningLine, d.Goals, d.TurnLimit, session.Status, session.EndReason, session.State,
            PersonaStateMachine.Mood(session.State), session.TurnCount, session.StartedAt, session.EndedAt,
            session.Turns.OrderBy(t => t.Index).ThenBy(t => t.CreatedAt).Select(t => ToTurnView(t, notes)).ToList(), summary, session.Reflection, session.AssignmentId,
            PersonaGoals(d, session.GoalsMet), session.ReflectionShared);
    }

    private TurnView ToTurnView(SessionTurn t, IReadOnlyDictionary<(Guid TurnId, string Key), OverrideNote>? notes = null)
    {
        var effective = EffectiveScores.Turn(t);
        return new(t.Id, t.Index, t.TraineeText, t.Move, moves.NameOf(t.Move), t.PersonaPrompt, t.PersonaReply, t.PersonaReplySource,
            t.StateBefore, t.StateAfter, PersonaStateMachine.Mood(t.StateAfter), t.Score, t.Judgement,
            t.CriterionScores.Select(c =>
            {
                var note = c.OverrideScore is null ? null : notes?.GetValueOrDefault((t.Id, c.CriterionKey));
                return new CriterionScoreView(c.CriterionKey, c.CriterionName, c.EngineScore, c.OverrideScore, EffectiveScores.Criterion(c), note?.Reason, note?.ByName);
            }).ToList(),
            t.CreatedAt, t.RetriedAt, t.GoalsMet, t.MoodReason, effective, EffectiveScores.Band(effective));
    }

    /// <summary>The persona's goals (or, for a scenario without any, its rubric's criteria, which stand in for them) and which are met.</summary>
    private static List<PersonaGoalView> PersonaGoals(ScenarioDocument d, IReadOnlyCollection<string> met)
        => d.Persona.Goals.Count > 0
            ? d.Persona.Goals.Select(g => new PersonaGoalView(g.Key, g.Description, met.Contains(g.Key))).ToList()
            : d.Rubric.Select(c => new PersonaGoalView(c.Key, c.Description, met.Contains(c.Key))).ToList();
}
