using TeacherTrainer.Web.Services.Api;

namespace TeacherTrainer.Web.Services.Display;

/// <summary>A piece of a reply: plain, or evidence that earned or cost the named criteria.</summary>
/// <param name="Effect"><c>earned</c>, <c>cost</c>, <c>mixed</c>, or null for plain text.</param>
public sealed record TextSegment(string Text, string? Effect, IReadOnlyList<string> Criteria);

/// <summary>Cuts a trainee's reply into plain text and the evidence spans the judgement points at.</summary>
public static class EvidenceSpans
{
    public static IReadOnlyList<TextSegment> Split(string text, IEnumerable<CriterionJudgement> criteria)
    {
        var spans = new List<(int Start, int Length, string Effect, string Criterion)>();
        foreach (var criterion in criteria)
        {
            if (string.IsNullOrEmpty(criterion.Evidence) || criterion.Effect is not ("earned" or "cost")) continue;
            var start = Locate(text, criterion.Evidence, criterion.EvidenceStart);
            if (start >= 0) spans.Add((start, criterion.Evidence.Length, criterion.Effect, criterion.Name));
        }

        // Spans over the same words become one; a span that overlaps an earlier one keeps only its new part.
        var merged = spans
            .GroupBy(s => (s.Start, s.Length))
            .Select(g => (g.Key.Start, g.Key.Length,
                Effect: g.Select(s => s.Effect).Distinct().Count() > 1 ? "mixed" : g.First().Effect,
                Criteria: (IReadOnlyList<string>)g.Select(s => s.Criterion).Distinct().ToList()))
            .OrderBy(s => s.Start).ThenByDescending(s => s.Length)
            .ToList();

        var segments = new List<TextSegment>();
        var position = 0;
        foreach (var span in merged)
        {
            var start = Math.Max(span.Start, position);
            var end = span.Start + span.Length;
            if (end <= start) continue;
            if (start > position) segments.Add(new TextSegment(text[position..start], null, []));
            segments.Add(new TextSegment(text[start..end], span.Effect, span.Criteria));
            position = end;
        }
        if (position < text.Length) segments.Add(new TextSegment(text[position..], null, []));
        return segments;
    }

    /// <summary>Where the evidence is: at its offset when that matches, else its first occurrence, else -1.</summary>
    private static int Locate(string text, string evidence, int offset)
    {
        if (offset >= 0 && offset + evidence.Length <= text.Length
            && string.CompareOrdinal(text, offset, evidence, 0, evidence.Length) == 0)
        {
            return offset;
        }
        var found = text.IndexOf(evidence, StringComparison.Ordinal);
        return found >= 0 ? found : text.IndexOf(evidence, StringComparison.OrdinalIgnoreCase);
    }
}
