using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace TeacherTrainer.ApiService.Scenarios;

/// <summary>The scenario content files shipped with the service (Content/Scenarios/*.json).</summary>
public sealed class ScenarioLibrary(IHostEnvironment environment)
{
    public string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "Content", "Scenarios");

    public IReadOnlyList<ScenarioDocument> Load()
    {
        if (!System.IO.Directory.Exists(Directory)) return [];
        return System.IO.Directory.EnumerateFiles(Directory, "*.json")
            .Order(StringComparer.Ordinal)
            .Select(path =>
            {
                try
                {
                    return JsonSerializer.Deserialize<ScenarioDocument>(File.ReadAllText(path), ScenarioDocument.JsonOptions)
                        ?? throw new InvalidDataException("empty document");
                }
                catch (Exception ex) when (ex is JsonException or InvalidDataException)
                {
                    throw new InvalidDataException($"Scenario file {Path.GetFileName(path)} in {environment.ContentRootPath} is not valid: {ex.Message}", ex);
                }
            })
            .ToList();
    }

    /// <summary>SHA-256 of the canonical JSON: equal content, equal hash, whatever the file's formatting.</summary>
    public static string Hash(ScenarioDocument document)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(document, CanonicalOptions))));

    private static readonly JsonSerializerOptions CanonicalOptions = new(ScenarioDocument.JsonOptions) { WriteIndented = false };
}
