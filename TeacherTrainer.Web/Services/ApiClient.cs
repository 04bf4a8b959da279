using System.Net.Http.Json;

namespace TeacherTrainer.Web.Services;

/// <summary>Typed client for the ApiService, found by service discovery (<c>https+http://apiservice</c>).</summary>
public sealed class ApiClient(HttpClient http)
{
    public async Task<StatusReport?> GetStatusAsync(CancellationToken cancellationToken = default)
        => await http.GetFromJsonAsync<StatusReport>("/api/status", cancellationToken);
}

public sealed record StatusReport(string Status, DateTimeOffset CheckedAt, IReadOnlyList<LayerStatus> Layers);

public sealed record LayerStatus(string Name, string Status, string Detail, double Milliseconds, IReadOnlyDictionary<string, string> Facts);
