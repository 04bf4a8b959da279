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
    /// Shared by every feature by design: the DbContext maps every feature's entities (Data), and the platform
    /// (database, cache, defences) with the helpers every handler uses, claims and problems (Extensions). Each
    /// feature registers and maps itself (its *Feature.cs, called from Program.cs). They are left out of the cycle check.
    /// </summary>
    private static readonly HashSet<string> SharedRoots = ["Data", "Extensions"];

    private static readonly Lazy<Dictionary<string, HashSet<string>>> Graph = new(BuildGraph);

    /// <summary>For each feature edge, the types that make it (one example each way is enough to act on).</summary>
    private static readonly Dictionary<string, SortedSet<string>> Causes = new(StringComparer.Ordinal);

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
                var edge = $"{from} -> {to}";
                (Causes.TryGetValue(edge, out var types) ? types : Causes[edge] = new SortedSet<string>(StringComparer.Ordinal))
                    .Add($"{type.Name} uses {dependency.Target!.Name}");
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
    public void No_dependency_closes_a_cycle_between_features()
    {
        _ = Graph.Value;
        var edges = CycleEdges();
        Assert.True(edges.Count == 0,
            "These dependencies close a cycle between feature folders: " +
            string.Join("; ", edges.Select(e => $"{e} ({string.Join(", ", Causes[e].Take(3))})")) +
            ". Depend on the other feature's public surface in one direction only (see docs/architecture.md, \"Dependencies between features\").");
    }
}
