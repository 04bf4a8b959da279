using TeacherTrainer.ApiService.Scenarios;

namespace TeacherTrainer.ApiService.Simulation;

/// <summary>
/// Picks the persona's line from the scenario's reply bank for a move and mood: varied between
/// sessions (each session starts at its own place in each list), and never the same line twice in
/// one session while any unused line fits.
/// </summary>
public static class ReplyBank
{
    public static string Pick(ScenarioDocument scenario, string move, string mood, Guid sessionId, int turnIndex, IReadOnlySet<string> alreadySaid)
    {
        var seed = Seed(sessionId, turnIndex);
        foreach (var candidates in Candidates(scenario, move, mood))
        {
            if (candidates.Count == 0) continue;
            for (var i = 0; i < candidates.Count; i++)
            {
                var line = candidates[(seed + i) % candidates.Count];
                if (!alreadySaid.Contains(line)) return line;
            }
        }
        // Every line has been said (a very long session): repeat rather than fall silent.
        var fallback = Lines(scenario, move, mood);
        return fallback.Count > 0 ? fallback[seed % fallback.Count] : scenario.OpeningLine;
    }

    public static string PickClosing(ScenarioDocument scenario, Guid sessionId)
        => scenario.ClosingLines.Count == 0 ? "Okay. Thank you." : scenario.ClosingLines[Seed(sessionId, 0) % scenario.ClosingLines.Count];

    /// <summary>Where to look, nearest first: this move in this mood, this move in the neighbouring moods, any move in this mood.</summary>
    private static IEnumerable<IReadOnlyList<string>> Candidates(ScenarioDocument scenario, string move, string mood)
    {
        foreach (var nearest in NearestMoves(scenario, move))
        {
            yield return Lines(scenario, nearest, mood);
            foreach (var neighbour in NeighbourMoods(mood)) yield return Lines(scenario, nearest, neighbour);
        }
        foreach (var other in Moves.All.Where(m => m != move && Moves.IsHarmful(m) == Moves.IsHarmful(move)))
        {
            yield return Lines(scenario, other, mood);
        }
    }

    /// <summary>
    /// The move itself; for a neutral move (an "okay", a thanks) in a bank written before that move
    /// existed, the persona answers as it would a question, then as it would an explanation.
    /// </summary>
    private static string[] NearestMoves(ScenarioDocument scenario, string move)
        => move == Moves.Neutral && !scenario.ReplyBank.ContainsKey(Moves.Neutral) ? [Moves.OpenQuestion, Moves.Explain] : [move];

    private static IReadOnlyList<string> Lines(ScenarioDocument scenario, string move, string mood)
        => scenario.ReplyBank.TryGetValue(move, out var byMood) && byMood.TryGetValue(mood, out var lines) ? lines : [];

    private static string[] NeighbourMoods(string mood) => mood switch
    {
        Moods.Escalated => [Moods.Guarded],
        Moods.Settled => [Moods.Guarded],
        _ => [Moods.Escalated, Moods.Settled],
    };

    private static int Seed(Guid sessionId, int turnIndex)
    {
        Span<byte> bytes = stackalloc byte[16];
        sessionId.TryWriteBytes(bytes);
        var hash = BitConverter.ToUInt32(bytes[..4]) ^ BitConverter.ToUInt32(bytes[12..]);
        return (int)((hash + (uint)turnIndex * 7919u) % int.MaxValue);
    }
}
