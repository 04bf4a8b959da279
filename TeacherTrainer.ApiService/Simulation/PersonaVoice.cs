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

public sealed record PersonaTurnRequest(
    ScenarioDocument Scenario, Guid SessionId, int TurnIndex, PersonaStateValues State, string Move,
    IReadOnlyList<(string Teacher, string Persona)> History, string TraineeReply, bool GoalsMet);

public sealed record PersonaReply(string Text, string Source);

/// <summary>
/// Speaks for the persona. With a language model, the reply is written in character and streamed
/// as it is produced, bounded in length, under a deadline; if the model is slow, fails, or steps
/// out of character, the scenario's reply bank answers instead (and the stream says so). Without
/// a model, the reply bank answers at once.
/// </summary>
public sealed class PersonaVoice(IServiceProvider services, MoveCatalog moves, IOptions<AiOptions> options, ILogger<PersonaVoice> logger)
{
    private static readonly Meter Meter = new("TeacherTrainer.Persona");
    private static readonly Counter<long> Fallbacks = Meter.CreateCounter<long>("teachertrainer.persona.fallbacks");

    /// <param name="onDelta">Receives each piece of a model reply as it arrives.</param>
    public async Task<PersonaReply> SpeakAsync(PersonaTurnRequest request, Func<string, Task> onDelta, CancellationToken cancellationToken)
    {
        var mood = PersonaStateMachine.Mood(request.State);
        if (request.GoalsMet)
        {
            return new PersonaReply(ReplyBank.PickClosing(request.Scenario, request.SessionId), ReplySources.Closing);
        }
        var said = request.History.Select(h => h.Persona).Append(request.Scenario.OpeningLine).ToHashSet();
        var bank = ReplyBank.Pick(request.Scenario, request.Move, mood, request.SessionId, request.TurnIndex, said);

        var chat = services.GetService<IChatClient>();
        if (chat is null) return new PersonaReply(bank, ReplySources.ReplyBank);

        var system = PersonaPrompt.SystemText(request.Scenario, request.State, mood, request.Move, moves);
        var messages = PersonaPrompt.Build(request.Scenario, request.State, mood, request.Move, moves, request.History, request.TraineeReply);
        var settings = options.Value;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(settings.PersonaTimeoutSeconds));
        var text = new StringBuilder();
        var started = Stopwatch.GetTimestamp();
        try
        {
            await foreach (var update in chat.GetStreamingResponseAsync(messages,
                new ChatOptions { MaxOutputTokens = settings.PersonaMaxOutputTokens, Temperature = 0.7f }, deadline.Token))
            {
                if (string.IsNullOrEmpty(update.Text)) continue;
                text.Append(update.Text);
                await onDelta(update.Text);
            }
            // Some clients end the stream quietly when cancelled: a cut-off reply is a timeout too.
            if (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return FallBack(bank, $"the model did not finish within {settings.PersonaTimeoutSeconds:F0} s");
            }
            var reply = PersonaPrompt.Bound(text.ToString());
            if (reply.Length == 0 || PersonaPrompt.LeaksOrBreaksCharacter(reply, system.Replace(request.Scenario.Setting, "", StringComparison.Ordinal)))
            {
                return FallBack(bank, "the model's reply stepped out of character");
            }
            return new PersonaReply(reply, ReplySources.Model);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return FallBack(bank, $"the model did not finish within {settings.PersonaTimeoutSeconds:F0} s");
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or IOException or System.Text.Json.JsonException)
        {
            logger.LogWarning(ex, "Persona model failed after {Elapsed:F0} ms", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return FallBack(bank, "the model failed");
        }
    }

    private PersonaReply FallBack(string bank, string why)
    {
        logger.LogInformation("Persona fell back to the reply bank: {Why}", why);
        Fallbacks.Add(1);
        return new PersonaReply(bank, ReplySources.Fallback);
    }
}
