using Microsoft.Extensions.AI;
using TeacherTrainer.ApiService.AI;
using TeacherTrainer.ApiService.Scenarios;
using TeacherTrainer.ApiService.Simulation;

namespace TeacherTrainer.ApiService.Evaluation;

/// <summary>
/// How the evaluation engine is put together, in one place: the API, the benchmarks, the offline
/// harnesses and the tests all build it from here, so none of them judges with a different engine.
/// </summary>
public static class EvaluationServices
{
    /// <summary>The engine's singleton parts (the embedding cache, the encoder, the rubric bases, the move classifier); the embedding generator and the engine itself are registered by the caller.</summary>
    public static IServiceCollection AddEvaluationEngineParts(this IServiceCollection services) => services
        .AddSingleton<EmbeddingCache>()
        .AddSingleton<ReplyEncoder>()
        .AddSingleton<RubricBasisCache>()
        .AddSingleton<MoveCatalog>()
        .AddSingleton<MoveClassifierProvider>();

    /// <summary>
    /// The whole engine in process with the embedded model and no database or web host (benchmarks,
    /// offline harnesses, tests): scenario bases are built from documents with <see cref="PreloadAsync"/>.
    /// Collections need the database and are judged through the API only.
    /// </summary>
    public static ServiceProvider CreateInProcess() => new ServiceCollection()
        .AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new EmbeddedMiniLmGenerator())
        .AddEvaluationEngineParts()
        .AddSingleton<EvaluationEngine>()
        .BuildServiceProvider();

    /// <summary>Builds a scenario document's basis (indicators, exemplars, red lines embedded) and holds it under a new version id, as the API holds a stored version.</summary>
    public static async Task<Guid> PreloadAsync(this IServiceProvider services, ScenarioDocument document)
    {
        var version = Guid.NewGuid();
        services.GetRequiredService<RubricBasisCache>().Preload(version,
            await RubricBasisCache.FromDocumentAsync(document, services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>()));
        return version;
    }
}
