using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;

namespace TeacherTrainer.Tests.Architecture;

/// <summary>
/// The endpoint recipe (docs/architecture.md), read from the compiled API: a handler's <c>Results&lt;...&gt;</c>
/// union names every outcome, so OpenAPI shows each status. <see cref="ProblemHttpResult"/> hides its status, so no
/// handler may return it; the typed problems of <c>ApiProblems</c> (or a feature's own) take its place.
/// </summary>
public sealed class EndpointRecipeTests
{
    /// <summary>Every public static method of a class named <c>*Api</c> that returns a results union (or a task of one).</summary>
    private static IEnumerable<(string Name, Type Union)> Handlers()
    {
        var types = typeof(TeacherTrainer.ApiService.ApiServiceAssembly).Assembly.GetTypes()
            .Where(t => t.IsClass && t.Name.EndsWith("Api", StringComparison.Ordinal));
        foreach (var type in types)
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                var returned = method.ReturnType;
                if (returned.IsGenericType && returned.GetGenericTypeDefinition() == typeof(Task<>)) returned = returned.GetGenericArguments()[0];
                if (IsUnion(returned)) yield return ($"{type.Name}.{method.Name}", returned);
            }
        }
    }

    private static bool IsUnion(Type type)
        => type.IsGenericType && type.Namespace == typeof(Results<,>).Namespace && type.Name.StartsWith("Results`", StringComparison.Ordinal);

    private static SortedSet<string> Offenders()
        => new(Handlers().Where(h => h.Union.GetGenericArguments().Contains(typeof(ProblemHttpResult))).Select(h => h.Name), StringComparer.Ordinal);

    [Fact]
    public void The_handlers_are_found()
    {
        // A sanity check that reflection sees the handlers at all (an empty set would pass everything).
        var names = Handlers().Select(h => h.Name).ToList();
        Assert.Contains("CohortsApi.GetCohortAsync", names);
        Assert.Contains("AuthApi.SignInAsync", names);
        Assert.True(names.Count > 50, $"only {names.Count} handlers found");
    }

    [Fact]
    public void No_handler_returns_a_problem_that_hides_its_status()
    {
        var offenders = Offenders();
        Assert.True(offenders.Count == 0,
            $"These handlers return ProblemHttpResult, whose status OpenAPI cannot see: {string.Join("; ", offenders)}. Return a typed " +
            "problem (ApiProblems.NotFound/Conflict/Forbidden/BadRequest/Unprocessable, worded once in the feature's problems class; docs/architecture.md).");
    }
}
