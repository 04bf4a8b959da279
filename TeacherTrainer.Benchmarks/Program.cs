using BenchmarkDotNet.Running;
using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.Benchmarks.Load;
using TeacherTrainer.Benchmarks.Quality;
using TeacherTrainer.Tests.Fixtures;

// dotnet run -c Release -- quality        : agreement figures of the evaluation engine
// dotnet run -c Release -- tune           : the weight grid behind RubricWeights.Default
// dotnet run -c Release -- robustness     : the robustness suite's share caught per family, in process
// dotnet run -c Release -- baselines      : the rated data's plain baselines (TT_EVAL_DATA = its folder)
// dotnet run -c Release -- evaluations    : POST /api/evaluations latency over loopback (general, scenario, 1,000-item collection)
// dotnet run -c Release -- judge SLUG "persona line" "reply" [turn] : one judgement, printed whole
// dotnet run -c Release -- judge-batch FILE : many judgements, one line each (FILE: "slug|reply" or "slug|persona line|reply" per line)
// dotnet run -c Release -- moves          : move classifier: cross-validated and held-out precision, recall, sincere->harmful rate
// dotnet run -c Release -- fit-uptake     : fits the uptake model (lesson-grouped 5-fold figures), writes ApiService/Content/models/uptake-model.json
// dotnet run -c Release -- fit-tutoring   : fits Content/models/tutoring-model.json on MRBench; CV figures of the general overall
// dotnet run -c Release -- fit-collection : fits and checks the collection score's combination on Bridge (LOO on train, then validation)
// dotnet run -c Release -- judgement-profile [--iterations N] : where one in-process judgement's time goes (Stopwatch per stage)
// dotnet run -c Release -- encoder-int8   : the float model against its int8 form (Int8Weights): time per pass, cosine of the vectors
// dotnet run -c Release -- encoder-threads : one forward pass on one core against split across two (spinning or not), interleaved
// dotnet run -c Release -- judgement-digest FILE : every judgement of the robustness cases and rated samples, one per line (compare two builds byte for byte)
// dotnet run -c Release -- load [--quick] [--practice-only] [--wide-passes Never|WhenCoresSpare|Always] : load, search and import figures on loopback, measured after the API has warmed up (scripts/perf.sh; docs/performance.md)
// dotnet run -c Release -- [BenchmarkDotNet args]  : micro-benchmarks (see docs/performance.md)
var content = Path.Combine(AppContext.BaseDirectory, "Content");
switch (args.FirstOrDefault())
{
    case "quality":
    {
        var agreement = await ScenarioAgreement.LoadAsync(content);
        var r = agreement.Measure(RubricWeights.Default);
        Console.WriteLine($"Scenario exemplars ({r.Cases}; {agreement.ExcludedForOverlap} left out for sharing a {ScenarioAgreement.OverlapRun}-word run with their indicators), leave-one-out exemplar pool, shipped weights: Spearman {r.Spearman:F3}, pairwise {r.PairwiseAccuracy:F3}, mean score strong {r.MeanScoreStrong:F1} / acceptable {r.MeanScoreAcceptable:F1} / poor {r.MeanScorePoor:F1}");
        var (pooled, folds) = agreement.CrossValidate();
        Console.WriteLine($"Weights chosen by a grid on the other scenarios (4 scenario-grouped folds), held out: Spearman {pooled.Spearman:F3}, pairwise {pooled.PairwiseAccuracy:F3}, mean score strong {pooled.MeanScoreStrong:F1} / acceptable {pooled.MeanScoreAcceptable:F1} / poor {pooled.MeanScorePoor:F1}");
        foreach (var (chosen, heldOut) in folds) Console.WriteLine($"  fold: {chosen} -> held-out pairwise {heldOut:F3}");
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
    case "judge":
        await JudgeCommand.RunAsync(content, args[1..], Console.Out);
        break;
    case "judge-batch":
        await JudgeCommand.RunBatchAsync(content, args[1], Console.Out);
        break;
    case "moves":
        await MoveReport.RunAsync(Console.Out);
        break;
    case "fit-uptake":
    {
        UptakeFit.Run(TestEnvironment.EvaluationDataDirectory,
            Path.Combine(TestEnvironment.RepositoryRoot, "TeacherTrainer.ApiService", "Content", "models", "uptake-model.json"), Console.Out);
        break;
    }
    case "robustness":
        await RobustnessReport.RunAsync(content, TestEnvironment.EvaluationDataDirectory, Console.Out);
        break;
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
    case "judgement-profile":
        await TeacherTrainer.Benchmarks.Speed.JudgementProfile.RunProfileAsync(content, TestEnvironment.EvaluationDataDirectory, args[1..], Console.Out);
        break;
    case "judgement-digest":
        await TeacherTrainer.Benchmarks.Speed.JudgementProfile.RunDigestAsync(content, TestEnvironment.EvaluationDataDirectory, args[1], Console.Out);
        break;
    case "encoder-int8":
        TeacherTrainer.Benchmarks.Speed.EncoderInt8.Run(TestEnvironment.EvaluationDataDirectory, Console.Out);
        break;
    case "encoder-threads":
        await TeacherTrainer.Benchmarks.Speed.EncoderThreads.RunAsync(TestEnvironment.EvaluationDataDirectory, Console.Out);
        break;
    case "load":
        return await LoadCommand.RunAsync(args[1..]);
    case "evaluations":
        return await EvaluationLoad.RunAsync(args[1..]);
    default:
        BenchmarkSwitcher.FromAssembly(typeof(ScenarioAgreement).Assembly).Run(args);
        break;
}
return 0;
