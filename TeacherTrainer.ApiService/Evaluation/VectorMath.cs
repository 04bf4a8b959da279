using System.Numerics.Tensors;

namespace TeacherTrainer.ApiService.Evaluation;

/// <summary>Vector helpers over normalised embeddings (so cosine similarity is the dot product).</summary>
public static class VectorMath
{
    public static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException("Embeddings differ in dimension.");
        return TensorPrimitives.Dot(a, b);
    }
}
