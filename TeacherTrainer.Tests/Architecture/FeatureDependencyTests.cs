using ArchUnitNET.Loader;

namespace TeacherTrainer.Tests.Architecture;

/// <summary>
/// The API's feature folders (namespaces under TeacherTrainer.ApiService) and which depend on which,
/// read from the compiled code (ArchUnitNET: fields, signatures and method bodies alike).
/// </summary>
public sealed class FeatureDependencyTests
{
    private const string Root = "TeacherTrainer.ApiService.";

    /// <summary>
    /// Shared by every feature by design: the DbContext maps every feature's entities (Data), and the
    /// composition root registers every feature (Extensions). They are left out of the cycle check.
    /// </summary>
    private static readonly HashSet<string> SharedRoots = ["Data", "Extensions"];

    /// <summary>
    /// The dependencies that close a cycle between features today (issue #13 removes them). A new one fails
    /// the test below; one that no longer closes a cycle must be taken off this list, so the list only shrinks.
    /// </summary>
    private static readonly HashSet<string> KnownCycleEdges =
    [
        "Cohorts -> Identity",
        "Cohorts -> Practice",
        "Cohorts -> Scenarios",
        "Cohorts -> Security",
        "Evaluation -> Cohorts",
        "Evaluation -> Identity",
        "Evaluation -> Scenarios",
        "Evaluation -> Security",
        "Evaluation -> Simulation",
        "Identity -> Cohorts",
        "Identity -> Security",
        "Practice -> Cohorts",
        "Practice -> Evaluation",
        "Practice -> Identity",
        "Practice -> Review",
        "Practice -> Scenarios",
        "Practice -> Simulation",
        "Review -> Cohorts",
        "Review -> Identity",
        "Review -> Practice",
        "Review -> Scenarios",
        "Review -> Security",
        "Scenarios -> Cohorts",
        "Scenarios -> Evaluation",
        "Scenarios -> Identity",
        "Scenarios -> Practice",
        "Scenarios -> Security",
        "Scenarios -> Simulation",
        "Security -> Identity",
        "Simulation -> Evaluation",
        "Simulation -> Scenarios",
    ];

    private static readonly Lazy<Dictionary<string, HashSet<string>>> Graph = new(BuildGraph);

    private static Dictionary<string, HashSet<string>> BuildGraph()
    {
        var architecture = new ArchLoader().LoadAssemblies(typeof(TeacherTrainer.ApiService.ApiServiceAssembly).Assembly).Build();
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var type in architecture.Types)
        {
            if (FeatureOf(type.Namespace?.FullName) is not { } from) continue;
            foreach (var dependency in type.Dependencies)
            {
                // Generic parameters and compiler-made types have no namespace of ours.
                if (FeatureOf(dependency.Target?.Namespace?.FullName) is not { } to || to == from) continue;
                (graph.TryGetValue(from, out var targets) ? targets : graph[from] = []).Add(to);
            }
        }
        return graph;
    }

    private static string? FeatureOf(string? ns)
    {
        if (ns is null || !ns.StartsWith(Root, StringComparison.Ordinal)) return null;
        var feature = ns[Root.Length..].Split('.')[0];
        return SharedRoots.Contains(feature) || feature == "Migrations" ? null : feature;
    }

    private static bool Reaches(Dictionary<string, HashSet<string>> graph, string from, string to)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { from };
        var queue = new Queue<string>([from]);
        while (queue.TryDequeue(out var at))
        {
            if (at == to) return true;
            foreach (var next in graph.GetValueOrDefault(at) ?? []) if (seen.Add(next)) queue.Enqueue(next);
        }
        return false;
    }

    /// <summary>Every dependency a → b where b also reaches a: the edges of the cycles between features.</summary>
    private static SortedSet<string> CycleEdges()
    {
        var graph = Graph.Value;
        var edges = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (from, targets) in graph)
        {
            foreach (var to in targets.Where(to => Reaches(graph, to, from))) edges.Add($"{from} -> {to}");
        }
        return edges;
    }

    [Fact]
    public void The_feature_graph_is_read_from_the_code()
    {
        // A sanity check that the loader sees the features at all (an empty graph would pass everything).
        Assert.Contains("Practice", Graph.Value.Keys);
        Assert.Contains("Evaluation", Graph.Value["Practice"]);
    }

    [Fact]
    public void No_new_dependency_closes_a_cycle_between_features()
    {
        var edges = CycleEdges();
        var added = edges.Except(KnownCycleEdges).ToList();
        Assert.True(added.Count == 0,
            $"These dependencies close a cycle between feature folders: {string.Join("; ", added)}. Depend on the other " +
            "feature's public surface in one direction only (see docs/architecture.md).");
        var gone = KnownCycleEdges.Except(edges).ToList();
        Assert.True(gone.Count == 0,
            $"These no longer close a cycle: take them off {nameof(KnownCycleEdges)} so the list only shrinks: {string.Join("; ", gone)}.");
    }
}
