using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using TeacherTrainer.ApiService.Data;
using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.ApiService.Scenarios;
using TeacherTrainer.ApiService.Simulation;

namespace TeacherTrainer.ApiService.Practice;

/// <summary>
/// Once the API serves, builds in the background what the first judgements would otherwise build
/// while a trainee waits: the move classifier, the general rubric, and each current scenario
/// version's rubric basis (indicator embeddings, exemplar vectors) and content, the persona's lines and
/// its persona model (goals, red lines and what it responds to, embedded). Built on first use instead,
/// a new scenario's first session sent dozens of texts to the encoder at once and every turn on the
/// server waited behind them (seconds under load). Off with <c>AI:WarmUp=false</c>.
/// </summary>
public sealed class PracticeWarmUp(
    IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, IConfiguration configuration,
    MoveClassifierProvider moves, RubricBasisCache bases, ScenarioContentCache versions, ReplyEncoder encoder,
    PersonaModelCache personas, ILogger<PracticeWarmUp> logger) : BackgroundService
{
    /// <summary>Logged once everything is built (the load benchmark waits for it before measuring).</summary>
    public static readonly EventId WarmedUpEventId = new(1900, "EvaluationWarmedUp");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("AI:WarmUp", true)) return;
        try
        {
            // Not before the API serves: start-up (migrations, seeding) keeps the cores first.
            var serving = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (lifetime.ApplicationStarted.Register(() => serving.TrySetResult()))
            {
                await serving.Task.WaitAsync(stoppingToken);
            }
            var started = Stopwatch.GetTimestamp();
            await moves.GetAsync(stoppingToken);
            await bases.GetGeneralAsync();
            List<Guid> current;
            await using (var scope = scopes.CreateAsyncScope())
            {
                current = await scope.ServiceProvider.GetRequiredService<TeacherDbContext>().Scenarios.AsNoTracking()
                    .Where(s => !s.IsArchived).Select(s => s.CurrentVersionId).ToListAsync(stoppingToken);
            }
            foreach (var id in current)
            {
                var version = await versions.GetAsync(id, stoppingToken);
                await bases.GetScenarioAsync(id, stoppingToken);
                // The persona's lines are what the next reply is judged against (uptake): embed them now.
                if (version is null) continue;
                var content = version.Content;
                var lines = content.ReplyBank.Values.SelectMany(byMood => byMood.Values.SelectMany(l => l)).Prepend(content.OpeningLine);
                await encoder.WarmAsync(lines, stoppingToken);
                await personas.GetAsync(id, content, stoppingToken);
            }
            logger.LogInformation(WarmedUpEventId, "Evaluation warmed up for {Count} scenario versions in {Seconds:F1} s", current.Count, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Only a head start: whatever is missing is built on first use.
            logger.LogWarning(ex, "Evaluation warm-up stopped early");
        }
        catch (OperationCanceledException)
        {
        }
    }
}
