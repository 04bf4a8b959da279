namespace TeacherTrainer.Web.Services.Api;

public sealed record StatusReport(string Status, DateTimeOffset CheckedAt, IReadOnlyList<LayerStatus> Layers);

public sealed record LayerStatus(string Name, string Status, string Detail, double Milliseconds, IReadOnlyDictionary<string, string> Facts);
