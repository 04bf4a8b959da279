using TeacherTrainer.ApiService.Evaluation;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using TeacherTrainer.ApiService.AI;
using TeacherTrainer.ApiService.Scenarios;

namespace TeacherTrainer.ApiService.Simulation;

/// <summary>Where a persona reply came from.</summary>
public static class ReplySources
{
    public const string ReplyBank = "reply-bank";
    public const string Model = "model";
    /// <summary>The model was slow, down, or stepped out of character: the reply bank answered instead.</summary>
    public const string Fallback = "reply-bank-fallback";
    public const string Closing = "closing-line";
}

/// <param name="Step">Where the persona stands after the reply (state, goals, what has been said).</param>
/// <param name="History">Earlier exchanges, oldest first.</param>
public sealed record PersonaTurnRequest(
    PersonaModel Model, Guid SessionId, int TurnIndex, PersonaStep Step, string Move,
    IReadOnlyList<PastExchange> History, string TraineeReply, float[]? ReplyVector);

public sealed record PersonaReply(string Text, string Source);

/// <summary>
/// Speaks for the persona. With a language model, the reply is written in character and streamed
/// sentence by sentence: each sentence is held back until the text so far passes the
/// out-of-character and length checks, so nothing that fails them reaches the screen. If the model is
/// slow, fails, or steps out of character before anything was shown, the reply bank answers instead
/// (and is streamed the same way, so the page cannot tell); if it fails later, the reply ends at the
/// last sentence that passed. Without a model, the reply bank answers at once.
/// </summary>
public sealed class PersonaVoice(IServiceProvider services, MoveCatalog moves, IOptions<AiOptions> options, ILogger<PersonaVoice> logger)
{
    private static readonly Meter Meter = new("TeacherTrainer.Persona");
    private static readonly Counter<long> Fallbacks = Meter.CreateCounter<long>("teachertrainer.persona.fallbacks");

    /// <summary>Words held back before the first sentence is shown: the recital check needs eight words in a row.</summary>
    public const int HoldBackWords = 8;

    /// <param name="onDelta">Receives each checked piece of a model reply as it is released.</param>
    public async Task<PersonaReply> SpeakAsync(PersonaTurnRequest request, Func<string, Task> onDelta, CancellationToken cancellationToken)
    {
        var scenario = request.Model.Scenario;
        var step = request.Step;
        var traineeTurns = request.History.Select(h => h.TraineeText).ToList();
        if (step.AllGoalsMet)
        {
            return new PersonaReply(ReplyBank.PickClosing(request.Model, step.Facts, traineeTurns, request.TraineeReply, request.SessionId), ReplySources.Closing);
        }
        var said = request.History.Select(h => h.PersonaReply).Append(scenario.OpeningLine).ToHashSet(StringComparer.Ordinal);
        var bank = ReplyBank.Pick(request.Model, new BankRequest(step.Move, step.Mood, request.TraineeReply, request.ReplyVector,
            step.Facts, step.GoalsJustMet, said, request.SessionId, request.TurnIndex, step.Reading.Harmful || step.Reading.Sneer, step.Reading.Parroting,
            traineeTurns, step.MoveConfidence, step.Reading.OffTopic));

        var chat = services.GetService<IChatClient>();
        if (chat is null) return new PersonaReply(bank, ReplySources.ReplyBank);

        var now = new PersonaPrompt.PromptState(step.State, step.Mood, step.Move, request.History.TakeLast(4).Select(h => h.Move).ToList(),
            step.GoalsMet.ToHashSet(), step.GoalsJustMet, step.MoodReason);
        // A leak is a recital of the instructions (said back in the second person, "You are Kofi...", they are
        // the prompt, not Kofi); the facts the persona knows are its own to say, so they are left out of the check.
        var instructions = PersonaPrompt.SystemText(scenario with { Persona = scenario.Persona with { Knows = [] } }, now, moves);
        var messages = PersonaPrompt.Build(scenario, now, moves, request.History.Select(h => (h.TraineeText, h.PersonaReply)).ToList(), request.TraineeReply);
        var settings = options.Value;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(settings.PersonaTimeoutSeconds));
        var held = new SentenceHoldBack(text => PersonaPrompt.LeaksOrBreaksCharacter(text, instructions));
        var started = Stopwatch.GetTimestamp();
        try
        {
            await foreach (var update in chat.GetStreamingResponseAsync(messages,
                new ChatOptions { MaxOutputTokens = settings.PersonaMaxOutputTokens, Temperature = 0.7f }, deadline.Token))
            {
                if (string.IsNullOrEmpty(update.Text)) continue;
                foreach (var piece in held.Add(update.Text)) await onDelta(piece);
                if (held.Stopped) break;
            }
            if (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return await EndAsync(held, bank, onDelta, $"the model did not finish within {settings.PersonaTimeoutSeconds:F0} s");
            }
            if (!held.Stopped) foreach (var piece in held.Finish()) await onDelta(piece);
            return await EndAsync(held, bank, onDelta, "the model's reply stepped out of character");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return await EndAsync(held, bank, onDelta, $"the model did not finish within {settings.PersonaTimeoutSeconds:F0} s");
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or IOException or System.Text.Json.JsonException)
        {
            logger.LogWarning(ex, "Persona model failed after {Elapsed:F0} ms", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return await EndAsync(held, bank, onDelta, "the model failed");
        }
    }

    /// <summary>The model's reply when some of it passed and was shown; otherwise the bank's line, streamed as one piece.</summary>
    private async Task<PersonaReply> EndAsync(SentenceHoldBack held, string bank, Func<string, Task> onDelta, string why)
    {
        if (held.Shown.Length > 0) return new PersonaReply(held.Shown, ReplySources.Model);
        logger.LogInformation("Persona fell back to the reply bank: {Why}", why);
        Fallbacks.Add(1);
        await onDelta(bank);
        return new PersonaReply(bank, ReplySources.Fallback);
    }
}

/// <summary>
/// Holds streamed model text back until it ends a sentence and the text so far passes the checks
/// (in character, no recital of the instructions, within the word limit); only then is it released.
/// The released pieces, joined, are exactly the reply.
/// </summary>
public sealed class SentenceHoldBack(Func<string, bool> failsCharacter)
{
    private readonly StringBuilder _pending = new();
    private readonly StringBuilder _shown = new();

    /// <summary>What has been released (the reply so far).</summary>
    public string Shown => _shown.ToString();

    /// <summary>A check failed or the limit was reached: nothing more will be released.</summary>
    public bool Stopped { get; private set; }

    public IEnumerable<string> Add(string text)
    {
        if (Stopped) return [];
        _pending.Append(text);
        var pending = _pending.ToString();
        var end = LastSentenceEnd(pending);
        if (end < 0) return [];
        var ready = pending[..(end + 1)];
        if (Words(_shown.ToString() + ready) < PersonaVoice.HoldBackWords) return [];
        _pending.Remove(0, end + 1);
        return Release(ready);
    }

    /// <summary>The stream ended: whatever is left is checked as the reply's last piece.</summary>
    public IEnumerable<string> Finish()
    {
        if (Stopped) return [];
        var rest = _pending.ToString();
        _pending.Clear();
        return rest.Trim().Length == 0 ? [] : Release(rest.TrimEnd());
    }

    private IEnumerable<string> Release(string piece)
    {
        if (_shown.Length == 0) piece = piece.TrimStart().TrimStart('"', '“').TrimStart();
        var candidate = _shown + piece;
        if (failsCharacter(candidate))
        {
            Stopped = true;
            return [];
        }
        if (Words(candidate) > PersonaPrompt.MaxWords)
        {
            Stopped = true;
            if (_shown.Length > 0) return [];
            // One sentence longer than the limit: bound it, if what is left still passes.
            piece = PersonaPrompt.Bound(piece);
            if (failsCharacter(piece)) return [];
        }
        _shown.Append(piece);
        return [piece];
    }

    private static int LastSentenceEnd(string text)
    {
        for (var i = text.Length - 2; i >= 0; i--)
        {
            if (text[i] is '.' or '!' or '?' or '…' && char.IsWhiteSpace(text[i + 1])) return i;
        }
        return -1;
    }

    private static int Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
}
