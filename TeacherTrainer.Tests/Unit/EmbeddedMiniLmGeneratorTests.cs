using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using TeacherTrainer.ApiService.AI;

namespace TeacherTrainer.Tests.Unit;

public sealed class EmbeddedMiniLmGeneratorTests
{
    private static readonly EmbeddedMiniLmGenerator Generator = new();

    [Fact]
    public async Task Returns_normalised_384_dimension_vectors()
    {
        var embeddings = await Generator.GenerateAsync(["The student refused to start the task.", "Good morning!"], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, embeddings.Count);
        foreach (var embedding in embeddings)
        {
            Assert.Equal(384, embedding.Vector.Length);
            Assert.Equal(1.0, TensorPrimitives.Norm(embedding.Vector.Span), precision: 3);
            Assert.Equal(EmbeddedMiniLmGenerator.ModelId, embedding.ModelId);
        }
    }

    [Fact]
    public async Task Close_sentences_score_closer_than_unrelated_ones()
    {
        var vectors = await Generator.GenerateAsync(
        [
            "I can see you're really upset about losing the game.",
            "It sounds like losing that game made you very angry.",
            "Photosynthesis converts light energy into chemical energy.",
        ], cancellationToken: TestContext.Current.CancellationToken);

        var close = TensorPrimitives.CosineSimilarity(vectors[0].Vector.Span, vectors[1].Vector.Span);
        var unrelated = TensorPrimitives.CosineSimilarity(vectors[0].Vector.Span, vectors[2].Vector.Span);

        Assert.True(close > 0.6, $"paraphrases should be close, were {close:F2}");
        Assert.True(close - unrelated > 0.4, $"close {close:F2} vs unrelated {unrelated:F2}");
    }

    [Fact]
    public async Task Is_deterministic()
    {
        var first = await Generator.GenerateVectorAsync("Can you show me how you got that answer?", cancellationToken: TestContext.Current.CancellationToken);
        var second = await Generator.GenerateVectorAsync("Can you show me how you got that answer?", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(first.ToArray(), second.ToArray());
    }

    [Fact]
    public void Describes_itself()
    {
        var metadata = Generator.GetService<EmbeddingGeneratorMetadata>();
        Assert.NotNull(metadata);
        Assert.Equal(384, metadata.DefaultModelDimensions);
        Assert.Equal("all-MiniLM-L6-v2", metadata.DefaultModelId);
    }
}
