namespace TeacherTrainer.ApiService.Status;

/// <summary>The state of every layer, each checked for real when the report is made.</summary>
public sealed record StatusReport(string Status, DateTimeOffset CheckedAt, IReadOnlyList<LayerStatus> Layers);

/// <param name="Name">database, vector-search, cache, embedding-model, chat-model.</param>
/// <param name="Status"><c>healthy</c>, <c>degraded</c> (works, but not as configured) or <c>unhealthy</c>.</param>
public sealed record LayerStatus(string Name, string Status, string Detail, double Milliseconds, IReadOnlyDictionary<string, string> Facts);
