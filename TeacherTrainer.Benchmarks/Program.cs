using BenchmarkDotNet.Running;
using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.Benchmarks.Load;
using TeacherTrainer.Benchmarks.Quality;
using TeacherTrainer.Tests.Fixtures;

// dotnet run -c Release -- quality        : agreement figures of the evaluation engine
// dotnet run -c Release -- tune           : the weight grid behind RubricWeights.Default
// dotnet run -c Release -- baselines      : the rated data's plain baselines (TT_EVAL_DATA = its folder)
// dotnet run -c Release -- fit-tutoring   : fits Content/models/tutoring-model.json on MRBench; CV figures of the general overall
// dotnet run -c Release -- fit-collection : fits and checks the collection score's combination on Bridge (LOO on train, then validation)
// dotnet run -c Release -- load [--quick]  : load, search and import figures on loopback (scripts/perf.sh; docs/performance.md)
// dotnet run -c Release -- [BenchmarkDotNet args]  : micro-benchmarks (see docs/performance.md)
var content = Path.Combine(AppContext.BaseDirectory, "Content");
switch (args.FirstOrDefault())
{
    case "quality":
    {
        var agreement = await ScenarioAgreement.LoadAsync(content);
        var r = agreement.Measure(RubricWeights.Default);
        Console.WriteLine($"Scenario exemplars, leave-one-out ({r.Cases}): Spearman {r.Spearman:F3}, pairwise {r.PairwiseAccuracy:F3}, mean score strong {r.MeanScoreStrong:F1} / acceptable {r.MeanScoreAcceptable:F1} / poor {r.MeanScorePoor:F1}");
        break;
    }
    case "tune":
    {
        var agreement = await ScenarioAgreement.LoadAsync(content);
        foreach (var (weights, result) in agreement.Tune().OrderByDescending(x => x.Result.PairwiseAccuracy).Take(15))
        {
            Console.WriteLine($"{weights} -> Spearman {result.Spearman:F3}, pairwise {result.PairwiseAccuracy:F3}, strong {result.MeanScoreStrong:F1} acc {result.MeanScoreAcceptable:F1} poor {result.MeanScorePoor:F1}");
        }
        break;
    }
    case "baselines":
    {
        Baselines.Run(TestEnvironment.EvaluationDataDirectory, Console.Out);
        break;
    }
    case "fit-tutoring":
    {
        await TutoringFit.RunAsync(TestEnvironment.EvaluationDataDirectory,
            Path.Combine(TestEnvironment.RepositoryRoot, "TeacherTrainer.ApiService", "Content", "models", "tutoring-model.json"), Console.Out);
        break;
    }
    case "fit-collection":
    {
        await CollectionFit.RunAsync(TestEnvironment.EvaluationDataDirectory, Console.Out);
        break;
    }
    case "load":
        return await LoadCommand.RunAsync(args[1..]);
    default:
        BenchmarkSwitcher.FromAssembly(typeof(ScenarioAgreement).Assembly).Run(args);
        break;
}
return 0;
