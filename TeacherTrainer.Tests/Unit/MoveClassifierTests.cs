using Microsoft.Extensions.AI;
using TeacherTrainer.ApiService.AI;
using TeacherTrainer.ApiService.Simulation;

namespace TeacherTrainer.Tests.Unit;

public sealed class MoveClassifierTests
{
    private static readonly EmbeddedMiniLmGenerator Embeddings = new();
    private static readonly Lazy<Task<MoveClassifier>> Classifier = new(() => MoveClassifier.CreateAsync(new MoveCatalog(), Embeddings, CancellationToken.None));

    private static async Task<MoveClassification> ClassifyAsync(string reply)
    {
        var classifier = await Classifier.Value;
        var vector = await Embeddings.GenerateVectorAsync(reply);
        return classifier.Classify(reply, vector.Span);
    }

    [Theory]
    [InlineData("It sounds like you're really embarrassed that everyone saw.", Moves.ValidateFeelings)]
    [InlineData("So you're saying the rule felt unfair because you were the only one moved?", Moves.Revoice)]
    [InlineData("Would you rather finish it at lunch or take it home tonight?", Moves.OfferChoice)]
    [InlineData("If you say one more word you're going straight to the head teacher.", Moves.Threat)]
    [InlineData("Oh wonderful, so you've decided to grace us with your presence.", Moves.Sarcasm)]
    [InlineData("You're fine. Just get on with your work.", Moves.Dismissal)]
    [InlineData("What happened just before you walked out?", Moves.OpenQuestion)]
    public async Task Recognises_clear_moves(string reply, string expected)
        => Assert.Equal(expected, (await ClassifyAsync(reply)).Move);

    [Fact]
    public async Task A_sneer_wrapped_in_warm_words_is_still_sarcasm_or_dismissal()
    {
        var result = await ClassifyAsync("I can see you're upset. Oh great, another tantrum, just what we needed.");
        Assert.True(Moves.IsHarmful(result.Move), $"classified as {result.Move}");
    }

    [Fact]
    public async Task Is_deterministic()
    {
        var a = await ClassifyAsync("Let's agree on a signal you can use when you need a break.");
        var b = await ClassifyAsync("Let's agree on a signal you can use when you need a break.");
        Assert.Equal(a.Move, b.Move);
        Assert.Equal(a.Probabilities, b.Probabilities);
    }

    /// <summary>
    /// Held-out replies (written apart from the training examples, 8 per move): the floor sits just
    /// under what the classifier reaches, so a regression shows. Nearest-neighbour alone reached 0.69; this classifier 0.77.
    /// </summary>
    [Fact]
    public async Task Classifies_held_out_replies_well()
    {
        var rows = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "TestData", "move-holdout.tsv"))
            .Select(l => l.Split('\t')).Where(p => p.Length == 2).ToList();
        var correct = 0;
        var misses = new List<string>();
        foreach (var row in rows)
        {
            var result = await ClassifyAsync(row[1]);
            if (result.Move == row[0]) correct++;
            else misses.Add($"{row[0]} -> {result.Move}: {row[1]}");
        }
        var accuracy = correct / (double)rows.Count;
        TestContext.Current.SendDiagnosticMessage($"move accuracy {accuracy:F3} ({correct}/{rows.Count})\n" + string.Join("\n", misses));
        Assert.True(accuracy >= 0.75, $"accuracy {accuracy:F3}\n" + string.Join("\n", misses));
    }
}
