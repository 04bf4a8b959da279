using Microsoft.Extensions.AI;

namespace TeacherTrainer.ApiService.Evaluation;

/// <summary>Builds the move classifier once (it trains on the labelled examples at first use).</summary>
public sealed class MoveClassifierProvider(MoveCatalog catalog, IEmbeddingGenerator<string, Embedding<float>> embeddings)
{
    private readonly Lazy<Task<MoveClassifier>> _classifier = new(() => MoveClassifier.CreateAsync(catalog, embeddings, CancellationToken.None));

    public Task<MoveClassifier> GetAsync(CancellationToken cancellationToken) => _classifier.Value.WaitAsync(cancellationToken);
}
