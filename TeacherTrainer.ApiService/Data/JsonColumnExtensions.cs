using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TeacherTrainer.ApiService.Scenarios;

namespace TeacherTrainer.ApiService.Data;

internal static class JsonColumnExtensions
{
    /// <summary>
    /// Stores a value object as jsonb. These values are replaced, never mutated in place, so
    /// comparing their JSON is a correct (and cheap enough) change check.
    /// </summary>
    public static PropertyBuilder<T> HasJsonb<T>(this PropertyBuilder<T> property) where T : class
        => property.HasColumnType("jsonb").HasConversion(
            v => JsonSerializer.Serialize(v, ScenarioDocument.JsonOptions),
            v => JsonSerializer.Deserialize<T>(v, ScenarioDocument.JsonOptions)!,
            new ValueComparer<T>(
                (a, b) => ReferenceEquals(a, b) || (a != null && b != null && Serialize(a) == Serialize(b)),
                v => Serialize(v).GetHashCode(StringComparison.Ordinal),
                v => v));

    private static string Serialize<T>(T value) => JsonSerializer.Serialize(value, ScenarioDocument.JsonOptions);
}
