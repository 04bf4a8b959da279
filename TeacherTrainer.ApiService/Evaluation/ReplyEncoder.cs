using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Memory;
using TeacherTrainer.ApiService.AI;

namespace TeacherTrainer.ApiService.Evaluation;

/// <summary>A reply ready for judging: its embedding and each clause with its own embedding.</summary>
public sealed record EncodedReply(string Text, float[] Vector, IReadOnlyList<EncodedClause> Clauses);

public sealed record EncodedClause(TextSpan Span, string Text, float[] Vector)
{
    /// <summary>
    /// What the clause asserts when it opens by conceding something (<see cref="ClauseSplitter.AssertedPart"/>), embedded on
    /// its own as a sentence: "the name has to stop." in "Even if he laughs, the name has to stop." Null when it concedes nothing.
    /// </summary>
    public EncodedClause? Asserted { get; init; }
}

/// <summary>
/// Embeds what a judgement needs. With the in-process model, a reply and its clauses come from one
/// forward pass; with any other provider (Ollama) the clauses are embedded in the same batch as the
/// reply. Short texts that recur (the persona's lines, the last turn of a context) are cached.
/// </summary>
public sealed class ReplyEncoder(IEmbeddingGenerator<string, Embedding<float>> embeddings, EmbeddingCache cache)
{

    public async Task<EncodedReply> EncodeReplyAsync(string reply, CancellationToken cancellationToken)
    {
        var spans = ClauseSplitter.Split(reply);
        var asserted = AssertedParts(reply, spans);
        if (asserted.Count == 0) return await EncodeClausesAsync(reply, spans, cancellationToken);
        var vectors = asserted.Select(a => EncodeTextAsync(a.Text, cancellationToken)).ToList();
        var encoded = await EncodeClausesAsync(reply, spans, cancellationToken);
        return WithAsserted(encoded, asserted, await Task.WhenAll(vectors));
    }

    /// <summary>
    /// What each clause that opens by conceding asserts, by the index of its clause. It is embedded as a sentence of its own:
    /// pooled inside the reply, "I need you to stop calling him that." after "Whether or not he laughs," still carried the
    /// laughing (0.50 from "Fair enough, if he laughs then it's just banter."; 0.38 read alone).
    /// </summary>
    private static IReadOnlyList<(int Clause, TextSpan Span, string Text)> AssertedParts(string reply, IReadOnlyList<TextSpan> clauses)
        => [.. clauses.Select((c, i) => (Clause: i, Span: ClauseSplitter.AssertedPart(reply, c)))
            .Where(a => a.Span is not null).Select(a => (a.Clause, a.Span!.Value, reply.Substring(a.Span.Value.Start, a.Span.Value.Length)))];

    private static EncodedReply WithAsserted(EncodedReply reply, IReadOnlyList<(int Clause, TextSpan Span, string Text)> asserted, IReadOnlyList<float[]> vectors)
    {
        var clauses = reply.Clauses.ToArray();
        for (var i = 0; i < asserted.Count; i++)
        {
            var (clause, span, text) = asserted[i];
            clauses[clause] = clauses[clause] with { Asserted = new EncodedClause(span, text, vectors[i]) };
        }
        return reply with { Clauses = clauses };
    }

    private async Task<EncodedReply> EncodeClausesAsync(string reply, IReadOnlyList<TextSpan> spans, CancellationToken cancellationToken)
    {
        if (embeddings.GetService<MiniLmEncoder>() is { } encoder)
        {
            return ToReply(reply, spans, await encoder.EncodeWithSpansAsync(reply, spans, cancellationToken));
        }
        var texts = spans.Select(s => reply.Substring(s.Start, s.Length)).Prepend(reply).ToList();
        var vectors = await embeddings.GenerateAsync(texts, cancellationToken: cancellationToken);
        return new EncodedReply(reply, vectors[0].Vector.ToArray(),
            spans.Select((s, i) => new EncodedClause(s, texts[i + 1], vectors[i + 1].Vector.ToArray())).ToList());
    }

    /// <summary>
    /// The reply (with its clauses) and the other texts a judgement reads it against (the line answered,
    /// the problem, the conversation), all at once: those not cached go to the model together, so with
    /// the in-process model their passes run side by side on the cores instead of one after another.
    /// The vectors are the same as from <see cref="EncodeReplyAsync"/> and <see cref="EncodeTextAsync"/>.
    /// </summary>
    public async Task<(EncodedReply Reply, IReadOnlyDictionary<string, float[]> Others)> EncodeWithOthersAsync(
        string reply, IEnumerable<string> others, CancellationToken cancellationToken)
    {
        var spans = ClauseSplitter.Split(reply);
        var asserted = AssertedParts(reply, spans);
        var (encoded, vectors) = await EncodeClausesWithOthersAsync(reply, spans, asserted.Count == 0 ? others : others.Concat(asserted.Select(a => a.Text)), cancellationToken);
        return (asserted.Count == 0 ? encoded : WithAsserted(encoded, asserted, [.. asserted.Select(a => vectors[a.Text])]), vectors);
    }

    private async Task<(EncodedReply Reply, Dictionary<string, float[]> Others)> EncodeClausesWithOthersAsync(
        string reply, IReadOnlyList<TextSpan> spans, IEnumerable<string> others, CancellationToken cancellationToken)
    {
        var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var text in others)
        {
            if (vectors.ContainsKey(text) || missing.Contains(text, StringComparer.Ordinal)) continue;
            if (cache.TryGet(text, out var cached)) vectors[text] = cached;
            else missing.Add(text);
        }
        if (missing.Count == 0) return (await EncodeClausesAsync(reply, spans, cancellationToken), vectors);
        if (embeddings.GetService<MiniLmEncoder>() is { } encoder)
        {
            var encoded = await encoder.EncodeEachWithSpansAsync([reply, .. missing], [spans, .. missing.Select(_ => (IReadOnlyList<TextSpan>)[])], cancellationToken);
            for (var i = 0; i < missing.Count; i++)
            {
                vectors[missing[i]] = encoded[i + 1].Text;
                cache.Set(missing[i], encoded[i + 1].Text);
            }
            return (ToReply(reply, spans, encoded[0]), vectors);
        }
        // Another provider: the same requests as one at a time (its batches may not give the same vectors), sent together.
        var pending = missing.Select(t => EncodeTextAsync(t, cancellationToken)).ToList();
        var encodedReply = await EncodeClausesAsync(reply, spans, cancellationToken);
        for (var i = 0; i < missing.Count; i++) vectors[missing[i]] = await pending[i];
        return (encodedReply, vectors);
    }

    private static EncodedReply ToReply(string reply, IReadOnlyList<TextSpan> spans, SpanEmbeddings encoded)
        => new(reply, encoded.Text, spans.Select((s, i) => new EncodedClause(s, reply.Substring(s.Start, s.Length), encoded.Spans[i])).ToList());

    /// <summary>
    /// Keeps a judged reply with its clauses, so the next turn reads what this one did without another pass. Only with the
    /// in-process model, whose vectors for a reply are the same however it was encoded (alone, beside other texts, split
    /// across cores): a judgement never depends on what the cache holds.
    /// </summary>
    public void Remember(EncodedReply reply)
    {
        if (embeddings.GetService<MiniLmEncoder>() is not null) cache.SetReply(reply);
    }

    /// <summary>
    /// The trainee's earlier replies with their clauses: those judged here lately from the cache, the others encoded now, side
    /// by side, and kept: the judge and the persona both read them in the same turn.
    /// </summary>
    public async Task<IReadOnlyList<EncodedReply>> EncodeEarlierRepliesAsync(IReadOnlyList<string> replies, CancellationToken cancellationToken)
        => await Task.WhenAll(replies.Select(async r =>
        {
            if (cache.TryGetReply(r, out var kept)) return kept;
            var encoded = await EncodeReplyAsync(r, cancellationToken);
            Remember(encoded);
            return encoded;
        }));

    /// <summary>Puts texts that will be judged against (the persona's lines) in the cache ahead of need, in batches.</summary>
    public async Task WarmAsync(IEnumerable<string> texts, CancellationToken cancellationToken)
    {
        foreach (var batch in texts.Distinct(StringComparer.Ordinal).Where(t => !cache.TryGet(t, out _)).Chunk(32))
        {
            var vectors = await embeddings.GenerateAsync(batch, cancellationToken: cancellationToken);
            for (var i = 0; i < batch.Length; i++) cache.Set(batch[i], vectors[i].Vector.ToArray());
        }
    }

    /// <summary>The embedding of a text that is likely to be seen again (cached by exact text).</summary>
    public async Task<float[]> EncodeTextAsync(string text, CancellationToken cancellationToken)
    {
        if (cache.TryGet(text, out var cached)) return cached;
        var vector = (await embeddings.GenerateVectorAsync(text, cancellationToken: cancellationToken)).ToArray();
        cache.Set(text, vector);
        return vector;
    }
}

/// <summary>A bounded in-process cache of text embeddings (its own MemoryCache, so its size limit binds nobody else).</summary>
public sealed class EmbeddingCache : IDisposable
{
    public const int Capacity = 20_000;
    private static readonly MemoryCacheEntryOptions Entry = new() { Size = 1, SlidingExpiration = TimeSpan.FromHours(1) };
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = Capacity, CompactionPercentage = 0.2 });

    public bool TryGet(string text, out float[] vector) => _cache.TryGetValue(text, out vector!) && vector is not null;

    public void Set(string text, float[] vector) => _cache.Set(text, vector, Entry);

    /// <summary>Judged replies kept with their clauses, for the turns after them (a practice session reads its last three).</summary>
    public const int ReplyCapacity = 4_096;
    private static readonly MemoryCacheEntryOptions ReplyEntry = new() { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(30) };
    private readonly MemoryCache _replies = new(new MemoryCacheOptions { SizeLimit = ReplyCapacity, CompactionPercentage = 0.2 });

    public bool TryGetReply(string text, out EncodedReply reply) => _replies.TryGetValue(text, out reply!) && reply is not null;

    public void SetReply(EncodedReply reply) => _replies.Set(reply.Text, reply, ReplyEntry);

    public void Dispose()
    {
        _cache.Dispose();
        _replies.Dispose();
    }
}
