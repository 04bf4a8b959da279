namespace TeacherTrainer.ApiService.Status;

/// <summary>The state of every layer, each checked for real when the report is made (administrators only).</summary>
public sealed record StatusReport(string Status, DateTimeOffset CheckedAt, IReadOnlyList<LayerStatus> Layers);

/// <param name="Name">database, vector-search, cache, embedding-model, chat-model.</param>
/// <param name="Status"><c>healthy</c>, <c>degraded</c> (works, but not as configured), <c>unhealthy</c>, or
/// <c>not configured</c> (an optional layer that is absent: the chat model; it does not count against the overall status).</param>
/// <param name="Detail">What was found; for a failure a short fixed reason (the exception goes to the log, never here).</param>
public sealed record LayerStatus(string Name, string Status, string Detail, double Milliseconds, IReadOnlyDictionary<string, string> Facts);

/// <summary>What anyone may know: whether the service is up, nothing about what runs it.</summary>
/// <param name="Status"><c>healthy</c>, <c>degraded</c> or <c>unhealthy</c>.</param>
public sealed record PublicStatus(string Status, DateTimeOffset CheckedAt);
