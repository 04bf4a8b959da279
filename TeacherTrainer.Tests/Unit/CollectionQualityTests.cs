using TeacherTrainer.ApiService.Evaluation;

namespace TeacherTrainer.Tests.Unit;

/// <summary>The quality view's figures on cases small enough to work out by hand.</summary>
public sealed class CollectionQualityTests
{
    private static CollectionQuality.QualityItem Item(int ordinal, bool expert, params float[] vector)
        => new(ordinal, "context", $"reply {ordinal}", expert, vector);

    [Fact]
    public void Separate_clusters_order_every_pair_right()
    {
        // Experts alike, novices alike, the two groups orthogonal: each item's nearest other shares its label.
        // Six of each, so every item's five voting neighbours are its own group.
        var report = CollectionQuality.Compute("c", DateTimeOffset.UnixEpoch,
            [.. Enumerable.Range(0, 6).Select(i => Item(i, true, 1, 0)), .. Enumerable.Range(6, 6).Select(i => Item(i, false, 0, 1))]);
        Assert.Equal(1.0, report.PairsOrderedRight);
        Assert.Equal(1.0, report.Auc);
        Assert.Equal(100.0, report.MeanExpert);
        Assert.Equal(0.0, report.MeanNovice);
        Assert.Equal(6, report.Bins[^1].Experts);
        Assert.Equal(6, report.Bins[0].Novices);
        Assert.Equal(12, report.Bins.Sum(b => b.Experts + b.Novices));
        Assert.Empty(report.Suspects);
    }

    [Fact]
    public void Swapped_labels_order_no_pair_right_and_every_item_is_suspect()
    {
        // Each expert's only close neighbour is a novice and vice versa.
        var report = CollectionQuality.Compute("c", DateTimeOffset.UnixEpoch,
            [Item(0, true, 1, 0), Item(1, false, 1, 0), Item(2, true, 0, 1), Item(3, false, 0, 1)]);
        Assert.Equal(0.0, report.PairsOrderedRight);
        Assert.Equal(0.0, report.Auc);
        Assert.Equal(4, report.SuspectCount);
    }

    [Fact]
    public void Ties_count_half_in_the_auc_but_not_as_ordered_right()
    {
        // Two groups far apart. Group u: two experts and a novice; each expert's neighbours are one expert and one
        // novice (vote 0: 50), the novice's are two experts (100). Group v mirrors it: novices 50, the expert 0.
        // Experts 50, 50, 0 against novices 100, 50, 50: no pair ordered right, four ties of nine pairs (AUC 2/9).
        var report = CollectionQuality.Compute("c", DateTimeOffset.UnixEpoch,
            [Item(0, true, 1, 0), Item(1, true, 1, 0), Item(2, false, 1, 0), Item(3, false, 0, 1), Item(4, false, 0, 1), Item(5, true, 0, 1)]);
        Assert.Equal(0.0, report.PairsOrderedRight);
        Assert.Equal(Math.Round(2 / 9.0, 4), report.Auc);
        Assert.Equal(33.3, report.MeanExpert);
        Assert.Equal(66.7, report.MeanNovice);
    }

    [Fact]
    public void The_same_items_give_the_same_report()
    {
        var items = Enumerable.Range(0, 40).Select(i => Item(i, i % 3 == 0, (float)Math.Cos(i), (float)Math.Sin(i))).ToList();
        var a = CollectionQuality.Compute("c", DateTimeOffset.UnixEpoch, items);
        var b = CollectionQuality.Compute("c", DateTimeOffset.UnixEpoch, items);
        Assert.Equal(a.Auc, b.Auc);
        Assert.Equal(a.Suspects.Select(s => s.Ordinal), b.Suspects.Select(s => s.Ordinal));
        Assert.Equal(a.Bins, b.Bins);
    }
}
