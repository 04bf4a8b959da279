using System.Text.Json.Serialization;

namespace TeacherTrainer.Contracts;

/// <summary>The state of every layer, each checked for real when the report is made (administrators only).</summary>
public sealed record StatusReport(StatusLevel Status, DateTimeOffset CheckedAt, IReadOnlyList<LayerStatus> Layers);

/// <param name="Name">database, vector-search, cache, embedding-model, chat-model.</param>
/// <param name="Status"><c>healthy</c>, <c>degraded</c> (works, but not as configured), <c>unhealthy</c>, or
/// <c>not configured</c> (an optional layer that is absent: the chat model; it does not count against the overall status).</param>
/// <param name="Detail">What was found; for a failure a short fixed reason (the exception goes to the log, never here).</param>
public sealed record LayerStatus(string Name, StatusLevel Status, string Detail, double Milliseconds, IReadOnlyDictionary<string, string> Facts);

/// <summary>What anyone may know: whether the service is up, nothing about what runs it.</summary>
/// <param name="Status"><c>healthy</c>, <c>degraded</c> or <c>unhealthy</c>.</param>
public sealed record PublicStatus(StatusLevel Status, DateTimeOffset CheckedAt);

/// <summary>How a layer, or the whole service, is doing.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StatusLevel>))]
public enum StatusLevel
{
    [JsonStringEnumMemberName("healthy")] Healthy,

    /// <summary>Works, but not as configured.</summary>
    [JsonStringEnumMemberName("degraded")] Degraded,

    [JsonStringEnumMemberName("unhealthy")] Unhealthy,

    /// <summary>An optional layer that is absent (the chat model); never the overall status.</summary>
    [JsonStringEnumMemberName("not configured")] NotConfigured,
}
