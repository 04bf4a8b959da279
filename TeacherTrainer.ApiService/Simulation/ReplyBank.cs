using System.Text.RegularExpressions;
using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.ApiService.Scenarios;

namespace TeacherTrainer.ApiService.Simulation;

/// <summary>What the reply bank needs to know to answer a reply.</summary>
/// <param name="Facts">What has been said so far (<see cref="ConversationFacts"/>).</param>
/// <param name="GoalsJustMet">Keys of the persona goals this reply met.</param>
/// <param name="AlreadySaid">Every line the persona has said in this session.</param>
/// <param name="Parroting">The reply handed the persona's own words back with nothing added (<see cref="ReplyReading.Parroting"/>).</param>
/// <param name="EarlierReplies">The trainee's earlier replies in the session, oldest first.</param>
/// <param name="MoveConfidence">How sure the judge is of <paramref name="Move"/>: an unsure reading counts for less than what the reply says.</param>
/// <param name="OffTopic">The reply did not answer what the persona said (<see cref="ReplyReading.OffTopic"/>).</param>
public sealed record BankRequest(
    string Move, string Mood, string TraineeReply, float[]? ReplyVector, IReadOnlySet<string> Facts,
    IReadOnlyList<string> GoalsJustMet, IReadOnlySet<string> AlreadySaid, Guid SessionId, int TurnIndex, bool Harmful, bool Parroting = false,
    IReadOnlyList<string>? EarlierReplies = null, double MoveConfidence = 1, bool OffTopic = false);

/// <summary>
/// Picks the persona's line without a language model, by what it answers: first the lines whose
/// conditions the reply meets (a goal it just met, a cue in its words, an offer that was made), then
/// how near the line's meaning is to the reply, then the move and mood. A line that presupposes
/// something the trainee did not say is never chosen, and no line is said twice in a session. A small
/// per-session jitter varies the choice between near-equal lines.
/// </summary>
public static partial class ReplyBank
{
    private const double GoalWeight = 3.0;
    private const double CueWeight = 2.0;
    private const double RequirementWeight = 1.0;
    private const double MoveWeight = 1.5;
    /// <summary>
    /// How sure of the move the judge must be for a line written for that move to get its whole weight: the level from which
    /// feedback names the move to the trainee. Below it the weight shrinks in proportion and the line's meaning counts for
    /// more: "It's your call in the end. I just want her to have the chance if the evidence is there." was read as
    /// revoicing at 0.4, and Adaeze agreed with a summary nobody had made.
    /// </summary>
    public const double SureOfTheMove = FeedbackWriter.MoveNamedFrom;
    private const double MeaningWeight = 2.0;
    private const double Jitter = 0.3;
    /// <summary>How near (MiniLM cosine) the reply must be to a bank line that restates it ("So ..."): read off the library's explain lines, not fitted.</summary>
    public const double ParaphraseNeeds = 0.3;
    /// <summary>
    /// How near the reply must be to a calm line written to answer what an explanation or a piece of praise said ("It's three
    /// months away. I suppose that is quite a long time."): the lines of one scenario sit 0.37 to 0.59 from the explanations
    /// they answer and mostly under 0.25 from the others. Read off the SATs lines, not fitted.
    /// </summary>
    public const double ContentNeeds = 0.25;

    public static string Pick(PersonaModel model, BankRequest request)
    {
        var seed = Seed(request.SessionId, request.TurnIndex);
        // Their own words handed back: they hear the repetition, not the revoicing it imitates. A line that
        // agrees with what was "summed up" ("Two ways at once, and she's caught in the middle. That's about
        // right.") would answer the label of the move; the lines written for a revoicing that irritates
        // ("Right. And repeating it back to me doesn't fix it.") answer the words, whatever the mood.
        if (request.Parroting)
        {
            var heard = model.Lines
                .Where(l => l.BankMove == Moves.Revoice && l.Line.Mood == Moods.Escalated && !request.AlreadySaid.Contains(l.Line.Text))
                .Select((l, i) => (Text: l.Line.Text, Score: (l.NamesTheRepetition ? 1.0 : 0)
                    + (l.Vector is not null && request.ReplyVector is not null ? VectorMath.Dot(l.Vector, request.ReplyVector) : 0)
                    + JitterOf(seed, i)))
                .OrderByDescending(c => c.Score).ThenBy(c => c.Text, StringComparer.Ordinal)
                .FirstOrDefault();
            if (heard.Text is not null) return heard.Text;
        }
        // A reply that does not answer them is heard as their point brushed aside, whatever move it makes: "Did you do your
        // homework last night?" to Liam, an open question, drew "It started when he brought a sausage roll into form...", the
        // line that answers asking how the name began. The lines written for a dismissal answer being ignored.
        if (request.OffTopic && !request.Parroting) request = request with { Move = Moves.Dismissal, Harmful = true, MoveConfidence = 1 };
        // A reply that is only a question, heard as no move in particular, is still a question, and the persona answers it: "Is
        // something going on today?" (neutral, 0.97) drew Amara's "Don't tell me how I feel.", a line for naming her feelings
        // standing in for it. A question after an apology or a remark leaves the line that answers those free to.
        else if (request.Move == Moves.Neutral && OnlyAQuestion().IsMatch(request.TraineeReply)) request = request with { Move = Moves.OpenQuestion };
        // So is a reply that is only a demand: "Hand it over now." (neutral, 0.57) drew Amara's "I don't need sympathy...", a line
        // for naming her feelings, where a limit's lines ("I said no. You can ring whoever you want.") answer it.
        else if (request.Move == Moves.Neutral && OnlyADemand().IsMatch(request.TraineeReply)) request = request with { Move = Moves.SetLimit };
        var best = Ranked(model, request).FirstOrDefault();
        if (best.Text is not null) return best.Text;
        // Every fitting line has been said (a very long session): the least presupposing unsaid line, else repeat.
        return model.Lines.Where(l => IsPlain(l.Line) && l.Line.Mood == request.Mood && Moves.IsHarmful(l.BankMove ?? "") == request.Harmful)
            .Select(l => l.Line.Text).OrderBy(t => request.AlreadySaid.Contains(t)).ThenBy(t => (t.Length + seed) % 97).FirstOrDefault()
            ?? model.Scenario.OpeningLine;
    }

    /// <summary>The lines that may answer the reply, best first, with how well each answers it.</summary>
    internal static IEnumerable<(string Text, double Score)> Ranked(PersonaModel model, BankRequest request)
    {
        var seed = Seed(request.SessionId, request.TurnIndex);
        // The topic words (stems, names included) the trainee has said in the session, read only if a line needs them.
        var traineeTopics = new Lazy<HashSet<string>>(() => (request.EarlierReplies ?? []).Append(request.TraineeReply)
            .SelectMany(t => EverydayWords.TopicStems(t)).ToHashSet(StringComparer.Ordinal));
        var reply = new ReplyShape(request.Move == Moves.OpenQuestion && EndsOnAQuestion().IsMatch(request.TraineeReply),
            new Lazy<bool>(() => NamesATime().IsMatch(request.TraineeReply)));
        return model.Lines
            .Where(l => !request.AlreadySaid.Contains(l.Line.Text) && !l.Line.RespondsTo.Requires.Contains(ConversationFacts.AllGoalsMet))
            .Select((l, i) => (l.Line.Text, Score: Score(l, request, i, seed, traineeTopics, reply)))
            .Where(c => c.Score is not null)
            .Select(c => (c.Text, c.Score!.Value))
            .OrderByDescending(c => c.Item2).ThenBy(c => c.Text, StringComparer.Ordinal);
    }

    /// <summary>How well a line answers the reply; null when it may not be said at all.</summary>
    /// <summary>What is read of the reply once, not once per line: whether it ends on the question it is heard as, and whether it names a time.</summary>
    private sealed record ReplyShape(bool AsksLast, Lazy<bool> NamesATime);

    private static double? Score(PersonaLineModel line, BankRequest r, int index, int seed, Lazy<HashSet<string>> traineeTopics, ReplyShape reply)
    {
        var trigger = line.Line.RespondsTo;
        if (trigger.Requires.Any(f => !r.Facts.Contains(f))) return null;
        if (trigger.Goal is { } goal && !r.GoalsJustMet.Contains(goal)) return null;
        var cue = trigger.Cues.Count > 0;
        if (cue && !trigger.Cues.Any(c => Mentions(r.TraineeReply, c))) return null;
        if (trigger.Said.Count > 0 && !SaidAll(trigger.Said, [.. r.EarlierReplies ?? [], r.TraineeReply])) return null;
        if (trigger.After.Count > 0 && !trigger.After.Any(r.AlreadySaid.Contains)) return null;
        var moveMatches = trigger.Moves.Count > 0 ? trigger.Moves.Contains(r.Move) : line.BankMove == r.Move;
        if (trigger.Moves.Count > 0 && !moveMatches) return null;
        // A bank line kept for another move may stand in only for a move of the same kind (never a hurt line for a kind word),
        // and never one that answers a limit: "You're right to say it. Thursday at four, on the drive, no excuses." answers a
        // deadline, and stood in for "It's been three weeks in a row now, and I end up planning on Sunday night to cover it.",
        // which set none. Nor one that answers praise: "I'll tell her you said that. She'll be so proud of herself." stood in for
        // Neha's answer to "Would you like a few ideas for how to talk through the pictures with her?", which praised no one.
        // Nor, for a reply heard as no move in particular, one that answers a plan or a choice: "Hand it over now." (neutral, 0.57)
        // drew Amara's "There's no plan. The plan is you leave me alone for one lesson.", though nobody had mentioned a plan.
        if (line.BankMove is { } bankMove && !moveMatches && (Moves.IsHarmful(bankMove) != r.Harmful || bankMove is Moves.SetLimit or Moves.SpecificPraise
            || (r.Move == Moves.Neutral && bankMove is Moves.PlanTogether or Moves.OfferChoice))) return null;
        // A question the reply ends on is what the persona answers, not what came before it. "Okay. It's your call, and I'm not
        // going to force you into the Annexe. Can you tell me what it is about the Annexe?" left the choice to Tobi, and he
        // answered the choice ("Nah. Any option with 'Annexe' in it is a no."), a line for an offer standing in for the question.
        if (line.BankMove is not null && !moveMatches && reply.AsksLast) return null;
        if (line.BankMove is null && trigger.Moves.Count == 0 && trigger.Goal is null && !cue && r.Harmful) return null;
        // A line that says it heard its own words repeated answers a repetition and nothing else: "Is something going on today?"
        // (a stock question, not a repeat) drew Amara's "Yes, I said I'm not handing it over. Glad you were listening.", a
        // revoicing line standing in for a reply with no move of its own.
        if (!r.Parroting && line.NamesTheRepetition) return null;
        var moodFit = MoodFit(line.Line.Mood, r.Mood);
        if (moodFit is null) return null;
        // A calm line that takes up what the teacher said waits for a reply near it. "So going blank is like an alarm?" puts
        // the teacher's explanation in the persona's words ("It's only a practice paper" is 0.16 from it, the alarm
        // explanation 0.39); any other explain or praise line answers something said ("It's three months away" is 0.01 from
        // "It's only a practice paper"). A hurt reaction ("So that's it? Nothing changes?", or an escalated persona's "You're
        // just saying that to make me feel better.") answers any explanation.
        double? meaning = line.Vector is not null && r.ReplyVector is not null ? VectorMath.Dot(line.Vector, r.ReplyVector) : null;
        double? needs = line.BankMove is not { } kind || Moves.IsHarmful(kind) ? null
            : TakesUpTheirWords().IsMatch(line.Line.Text) ? ParaphraseNeeds
            : kind is Moves.Explain or Moves.SpecificPraise && !(line.Line.Mood == Moods.Escalated && r.Mood == Moods.Escalated) ? ContentNeeds
            : null;
        if (needs is { } floor && meaning < floor) return null;
        if (RecapsAPlanNotMade(line, traineeTopics)) return null;
        // A question the reply has just answered is not asked: Neha asked "So when will she get books with words? Roughly?" of
        // "She'll get books with words after half term, once she's confident with her sounds.", for its cue "words".
        if (AsksWhen().IsMatch(line.Line.Text) && reply.NamesATime.Value) return null;
        // Nor is a plan the trainee has just given a time for agreed on another day: "Could we try it tomorrow at the writing
        // table and look at the books together on Friday?" drew Pauline's "I'll try it with Amelia and Jakub on Monday." Her
        // own day stands when the reply names none.
        if (line.BankMove is Moves.PlanTogether or Moves.OfferChoice && reply.NamesATime.Value && NamesADayNotSaid(line.Line.Text, r)) return null;

        var score = moodFit.Value;
        if (trigger.Goal is not null) score += GoalWeight;
        if (cue) score += CueWeight;
        score += RequirementWeight * trigger.Requires.Count;
        if (moveMatches) score += MoveWeight * Math.Min(1, r.MoveConfidence / SureOfTheMove);
        score += MeaningWeight * (meaning ?? 0);
        score += JitterOf(seed, index);
        return score;
    }

    /// <summary>
    /// A line that takes up a proposal by saying back what was agreed ("Okay. Tomorrow, me, you and Mr Gill. I'll ask about the
    /// computer reader.") names its parts: it answers a proposal only when the trainee said at least one of them in the session.
    /// It answered "Let's try that in the mocks and see how it goes.", and Tobi agreed to a meeting nobody had mentioned. A
    /// question ("Can we tell Dad together?") puts something of the persona's own and needs no such words; nor does a line with
    /// fewer than two of them ("Deal.", "Okay. If that gets me back on practicals, I'll do it.").
    /// </summary>
    private static bool RecapsAPlanNotMade(PersonaLineModel line, Lazy<HashSet<string>> traineeTopics)
    {
        if (line.BankMove != Moves.PlanTogether || !line.Line.RespondsTo.Requires.Contains(ConversationFacts.PlanProposed) || line.Line.Text.Contains('?')) return false;
        var parts = EverydayWords.TopicStems(line.Line.Text);
        return parts.Count >= RecapParts && !parts.Overlaps(traineeTopics.Value);
    }

    private static bool NamesADayNotSaid(string line, BankRequest r)
        => NamedTimes().Matches(line).Any(m => !(r.EarlierReplies ?? []).Append(r.TraineeReply).Any(t => Mentions(t, m.Value)));

    /// <summary>How many topic words a plan line must name before it counts as saying back what was agreed.</summary>
    private const int RecapParts = 2;

    /// <summary>A line that asks when, or for how long ("So when will she get books with words?", "How long would I have to do it?").</summary>
    [GeneratedRegex(@"\b(when (will|can|do|does|would|is|are)|how long|what time|which day|by when)\b[^?]*\?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AsksWhen();

    /// <summary>A reply that names when, or for how long: "after half term", "next week", "on Friday", "for two weeks", "tomorrow".</summary>
    [GeneratedRegex(@"\b(tomorrow|tonight|half[- ]term|(after|before|by|until|from|next|this|on|at) (christmas|easter|the summer|summer|the holidays|monday|tuesday|wednesday|thursday|friday|saturday|sunday|week|month|term|lunch|break|the end of (the|this) (week|month|term|lesson|day))|(in|for|within) (a|one|two|three|four|five|six|a few|a couple of|\d+) (days?|weeks?|months?|terms?|minutes?|lessons?))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NamesATime();

    [GeneratedRegex(@"\?[\s""'’”)]*$")]
    private static partial Regex EndsOnAQuestion();

    /// <summary>A reply of one sentence, a question: "Is something going on today?", "Okay, what's going on?".</summary>
    [GeneratedRegex(@"^(\W*(okay|ok|right|so|well|sure|alright|all right)[.,!]\s+)?[^.!?…]*\?[\s""'’”)]*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OnlyAQuestion();

    /// <summary>A reply of one sentence that tells them to do something: "Hand it over now.", "Give me the phone, please.", "Sit down."</summary>
    [GeneratedRegex(@"^\W*(please\s+)?(hand|give|put|pass|bring|sit|stand|stop|turn|switch|move)\b[^.!?…]*[.!]?[\s""'’”)]*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OnlyADemand();

    private static double? MoodFit(string? lineMood, string mood) => lineMood switch
    {
        null => 0.5,
        _ when lineMood == mood => 0.8,
        Moods.Guarded => 0.2,
        _ when mood == Moods.Guarded => 0.2,
        _ => null, // never an escalated line for a settled persona, nor the reverse
    };

    private static bool IsPlain(ReplyLine line)
        => line.RespondsTo.Cues.Count == 0 && line.RespondsTo.Requires.Count == 0 && line.RespondsTo.Goal is null && line.RespondsTo.Moves.Count == 0
           && line.RespondsTo.Said.Count == 0;

    /// <summary>Whether the trainee said every part (any of its wordings, split at "|") somewhere in these replies.</summary>
    public static bool SaidAll(IReadOnlyList<string> parts, IReadOnlyList<string> replies)
        => parts.All(part => part.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(wording => replies.Any(reply => Mentions(reply, wording))));

    /// <summary>Whether the reply says the cue, as whole words, ignoring case.</summary>
    public static bool Mentions(string reply, string cue)
        => Regex.IsMatch(reply, $@"(?<![\w]){Regex.Escape(cue.Trim())}(?![\w])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>
    /// The line the persona ends on once every goal is met: an authored closing whose conditions were
    /// said (its cues, and every part of the plan it says back), else the scenario's closing line that
    /// shares the most with what the trainee said (only if it shares something, and only if every day
    /// and time it names was said), else a plain thank-you.
    /// </summary>
    public static string PickClosing(PersonaModel model, IReadOnlySet<string> facts, IReadOnlyList<string> traineeTurns, string lastReply, Guid sessionId)
    {
        var everything = traineeTurns.Append(lastReply).ToList();
        var authored = model.Lines.Where(l => l.Line.RespondsTo.Requires.Contains(ConversationFacts.AllGoalsMet)
                && l.Line.RespondsTo.Requires.All(facts.Contains)
                && (l.Line.RespondsTo.Cues.Count == 0 || l.Line.RespondsTo.Cues.Any(c => everything.Any(t => Mentions(t, c))))
                && SaidAll(l.Line.RespondsTo.Said, everything))
            .Select(l => l.Line.Text).ToList();
        if (authored.Count > 0) return authored[Seed(sessionId, 0) % authored.Count];
        var said = everything.SelectMany(TextTokens.Tokenize).Where(t => t.IsContent).Select(t => t.Stem).ToHashSet(StringComparer.Ordinal);
        var closing = model.Scenario.ClosingLines
            .Where(line => NamedTimes().Matches(line).All(m => everything.Any(t => Mentions(t, m.Value))))
            .Select(line => (line, Shared: TextTokens.Tokenize(line).Where(t => t.IsContent).Select(t => t.Stem).Distinct().Count(said.Contains)))
            .Where(c => c.Shared >= 2).OrderByDescending(c => c.Shared).Select(c => c.line).FirstOrDefault();
        return closing ?? "Okay. Thank you. That actually helps.";
    }

    /// <summary>
    /// Days, months and lengths of time a closing line may name ("pre-test Friday", "a review in December", "twenty minutes max"):
    /// a persona that says back a day nobody named has agreed to a plan that was not made (Pauline's "...and we look at the books
    /// Friday"; Darren's review in December, after a reply that set no date). Tonight and tomorrow are left to the persona: "I'll
    /// tell him tonight" is their own step. May is left out: it is far more often the verb.
    /// </summary>
    [GeneratedRegex(@"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|june|july|august|september|october|november|december|(\d+|five|ten|fifteen|twenty|thirty) minutes)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NamedTimes();

    /// <summary>A line that restates what the teacher said in the persona's words: "So ...", "Oh, so ...".</summary>
    [GeneratedRegex(@"^\s*(?:oh[,.!]?\s+)?so\b(?!\s+(?:that['’]s it|what)\b)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TakesUpTheirWords();

    /// <summary>A line that says it heard its own words repeated ("repeating it back", "that's what I said").</summary>
    [GeneratedRegex(@"\b(repeat(ing)?|saying (it|my answer|that) back|say it again|(that's|that is) (literally |exactly )?what i said|i did say that|i know (exactly )?what i said|paraphrase|glad you (were listening|heard)|you're just saying)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NamesTheRepetition();

    /// <summary>Whether a line says it heard its own words repeated.</summary>
    internal static bool NamesARepetition(string line) => NamesTheRepetition().IsMatch(line);

    /// <summary>A small per-session nudge between near-equal lines, the same for the same session, turn and line.</summary>
    private static double JitterOf(int seed, int index) => Jitter * (unchecked((uint)seed * 31u + (uint)index * 2654435761u) % 1000 / 1000.0);

    private static int Seed(Guid sessionId, int turnIndex)
    {
        Span<byte> bytes = stackalloc byte[16];
        sessionId.TryWriteBytes(bytes);
        var hash = BitConverter.ToUInt32(bytes[..4]) ^ BitConverter.ToUInt32(bytes[12..]);
        return (int)((hash + (uint)turnIndex * 7919u) % int.MaxValue);
    }
}
