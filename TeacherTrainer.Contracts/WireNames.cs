using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;

namespace TeacherTrainer.Contracts;

/// <summary>
/// The wire spelling of a contract enum's members (their <see cref="JsonStringEnumMemberNameAttribute"/>), for the
/// places that are not JSON: CSS classes, query strings, labels, the API's older string-typed records.
/// </summary>
public static class WireNames
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, string>> Names = new();

    /// <summary>The value as it is written on the wire, e.g. <c>Band.Excellent</c> → <c>excellent</c>.</summary>
    public static string WireName<T>(this T value) where T : struct, Enum
    {
        var name = value.ToString();
        return NamesOf(typeof(T)).TryGetValue(name, out var wire) ? wire : name;
    }

    /// <summary>The member written as <paramref name="wire"/>; false when no member is.</summary>
    public static bool TryParse<T>(string? wire, out T value) where T : struct, Enum
    {
        foreach (var (member, name) in NamesOf(typeof(T)))
        {
            if (name == wire) return Enum.TryParse(member, out value);
        }
        value = default;
        return false;
    }

    private static IReadOnlyDictionary<string, string> NamesOf(Type type) => Names.GetOrAdd(type, static t => t
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .ToDictionary(f => f.Name, f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name));
}
