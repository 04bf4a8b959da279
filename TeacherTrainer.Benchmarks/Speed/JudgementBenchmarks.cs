using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using TeacherTrainer.ApiService.AI;
using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.ApiService.Scenarios;
using TeacherTrainer.ApiService.Simulation;

namespace TeacherTrainer.Benchmarks.Speed;

/// <summary>
/// One judgement in-process, warm, against a scenario: the engine's whole path (clause split, one
/// ONNX pass for the reply and its clauses, move classification, uptake, every criterion, the
/// nearest exemplars, the suggestion) for replies of about 10, 30 and 60 words. The previous
/// persona line is cached, as in a session. Target: p95 at most 15 ms on a 2-core machine.
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class JudgementBenchmarks
{
    private sealed class Config : ManualConfig
    {
        public Config()
        {
            // One call per iteration, so the percentiles are of single judgements, not of averages.
            AddJob(Job.Default.WithWarmupCount(20).WithIterationCount(300).WithInvocationCount(1).WithUnrollFactor(1)
                .WithOutlierMode(Perfolizer.Mathematics.OutlierDetection.OutlierMode.DontRemove));
            AddColumn(StatisticColumn.P95, StatisticColumn.Median, StatisticColumn.Max);
        }
    }

    public static readonly Dictionary<string, string> Replies = new()
    {
        ["10 words"] = "I can see you're upset. Can we keep it safe?",
        ["30 words"] = "I can see you're really upset that your rocket isn't finished. Shall we put it on the special shelf with your name on it so it stays safe until golden time?",
        ["60 words"] = "I can see you're really upset that your rocket isn't finished, and that makes sense because you've worked so hard on it all morning. Shall we put it on the special shelf with a name label so nobody touches it? Then you can come to the carpet for phonics, and you'll get to finish it at golden time this afternoon.",
    };

    private EvaluationEngine _engine = null!;
    private EvaluationInput _input = null!;
    private Guid _version;

    [ParamsSource(nameof(ReplyLengths))]
    public string Reply { get; set; } = "10 words";

    public static IEnumerable<string> ReplyLengths => Replies.Keys;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var services = EvaluationServices.CreateInProcess();
        var document = JsonSerializer.Deserialize<ScenarioDocument>(
            await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Content", "Scenarios", "year1-lego-rocket-tidy-up-refusal.json")),
            ScenarioDocument.JsonOptions)!;
        _version = await services.PreloadAsync(document);
        _engine = services.GetRequiredService<EvaluationEngine>();
        _input = new EvaluationInput([new ContextTurn("student", document.OpeningLine)], Replies[Reply], _version);
        for (var i = 0; i < 20; i++) await _engine.JudgeAsync(_input, CancellationToken.None);
    }

    [Benchmark]
    public Task<EvaluationResult> Judge() => _engine.JudgeAsync(_input, CancellationToken.None);
}
