using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using TeacherTrainer.ApiService.Data;

namespace TeacherTrainer.ApiService.Evaluation;

/// <summary>
/// The quality view of a collection, from the response embeddings already stored in pgvector (no model runs).
/// Each item is scored leave-one-out: its reply against every other item's reply, with the same similarity-weighted
/// vote of the nearest <see cref="CollectionScorer.ResponseNeighbourCount"/> that judging uses
/// (<see cref="CollectionScorer.VoteTemperature"/>), mapped to 0..100 (100: all neighbours expert). A mislabelled
/// item is one whose <see cref="VoteNeighbours"/> nearest others mostly (more than half) carry the other label.
/// Exact (all pairs, no index), so deterministic; ties break by ordinal. Cached per collection and import.
/// </summary>
public sealed class CollectionQuality(TeacherDbContext db, IMemoryCache cache)
{
    /// <summary>The neighbourhood of the mislabelling vote: small, so a single cluster of the other label decides it.</summary>
    public const int VoteNeighbours = 5;
    public const int BinCount = 10;

    public async Task<CollectionQualityReport> GetAsync(ExemplarCollection collection, CancellationToken cancellationToken)
    {
        // Keyed by the import time: a re-import (replace) gives a new key, so the old figures are never served.
        var key = ("collection-quality", collection.Id, collection.UpdatedAt);
        if (cache.TryGetValue(key, out CollectionQualityReport? cached) && cached is not null) return cached;
        var rows = await db.CollectionItems.AsNoTracking().Where(i => i.CollectionId == collection.Id).OrderBy(i => i.Ordinal)
            .Select(i => new { i.Ordinal, i.Context, i.Response, i.Quality, i.ResponseEmbedding }).ToListAsync(cancellationToken);
        var items = rows.Select(r => new QualityItem(r.Ordinal, r.Context.Count == 0 ? "" : r.Context[^1].Text, r.Response,
            r.Quality == "expert", r.ResponseEmbedding.ToArray())).ToList();
        var report = Compute(collection.Name, collection.UpdatedAt, items);
        // Sized by its items (a few hundred bytes each); an hour unused and it goes.
        cache.Set(key, report, new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromHours(1) });
        return report;
    }

    public sealed record QualityItem(int Ordinal, string Context, string Response, bool Expert, float[] Vector);

    /// <summary>The report from the items alone: pure and deterministic.</summary>
    public static CollectionQualityReport Compute(string name, DateTimeOffset version, IReadOnlyList<QualityItem> items)
    {
        int n = items.Count;
        var likeness = new double[n];
        var agreeing = new int[n];
        var voters = new int[n];
        // Every pair once per row; rows are independent, so they run in parallel and write only their own slot.
        Parallel.For(0, n, i =>
        {
            var others = new List<(double Similarity, int Index)>(Math.Max(0, n - 1));
            for (var j = 0; j < n; j++)
            {
                if (j != i) others.Add((VectorMath.Dot(items[i].Vector, items[j].Vector), j));
            }
            others.Sort((a, b) => b.Similarity != a.Similarity ? b.Similarity.CompareTo(a.Similarity) : items[a.Index].Ordinal.CompareTo(items[b.Index].Ordinal));
            var nearest = others.Take(CollectionScorer.ResponseNeighbourCount).ToList();
            double vote = 0;
            if (nearest.Count > 0)
            {
                double top = nearest[0].Similarity, num = 0, den = 0;
                foreach (var (similarity, index) in nearest)
                {
                    double w = Math.Exp((similarity - top) / CollectionScorer.VoteTemperature);
                    num += w * (items[index].Expert ? 1 : -1);
                    den += w;
                }
                vote = num / den;
            }
            likeness[i] = Math.Round(50 * (1 + vote), 1);
            var voting = others.Take(VoteNeighbours).ToList();
            voters[i] = voting.Count;
            agreeing[i] = voting.Count(o => items[o.Index].Expert == items[i].Expert);
        });

        var experts = Enumerable.Range(0, n).Where(i => items[i].Expert).Select(i => likeness[i]).ToList();
        var novices = Enumerable.Range(0, n).Where(i => !items[i].Expert).Select(i => likeness[i]).ToList();
        double? right = null, auc = null;
        if (experts.Count > 0 && novices.Count > 0)
        {
            long wins = 0, ties = 0;
            foreach (var e in experts)
            {
                foreach (var v in novices)
                {
                    if (e > v) wins++;
                    else if (e == v) ties++;
                }
            }
            double pairs = (double)experts.Count * novices.Count;
            right = Math.Round(wins / pairs, 4);
            auc = Math.Round((wins + ties / 2.0) / pairs, 4);
        }

        var bins = Enumerable.Range(0, BinCount).Select(b =>
        {
            int from = b * 100 / BinCount, to = (b + 1) * 100 / BinCount;
            bool In(double x) => x >= from && (x < to || (b == BinCount - 1 && x <= to));
            return new QualityBin(from, to, experts.Count(In), novices.Count(In));
        }).ToList();

        // Most decided first (fewest agreeing neighbours), then the furthest on the other side, then file order.
        var suspects = Enumerable.Range(0, n)
            .Where(i => voters[i] > 0 && agreeing[i] * 2 < voters[i])
            .OrderBy(i => (double)agreeing[i] / voters[i])
            .ThenByDescending(i => items[i].Expert ? 100 - likeness[i] : likeness[i])
            .ThenBy(i => items[i].Ordinal)
            .Select(i => new SuspectItem(items[i].Ordinal, items[i].Context, items[i].Response, items[i].Expert ? "expert" : "novice", agreeing[i], voters[i], likeness[i]))
            .ToList();

        return new CollectionQualityReport(name, version, n, experts.Count, novices.Count, CollectionScorer.ResponseNeighbourCount,
            right, auc, experts.Count > 0 ? Math.Round(experts.Average(), 1) : null, novices.Count > 0 ? Math.Round(novices.Average(), 1) : null,
            bins, suspects.Count, suspects);
    }
}
