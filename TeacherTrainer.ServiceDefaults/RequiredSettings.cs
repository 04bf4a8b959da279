using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Start-up refusal in Production (the environment a host gets when none is named): a deployment
/// that forgot a secret or a connection string stops at once with one message naming every
/// missing setting, instead of starting and failing on the first request (or, worse, running
/// with a development fallback).
/// </summary>
public static class RequiredSettings
{
    /// <param name="settings">
    /// Configuration keys (<c>Jwt:SigningKey</c>; as environment variables <c>Jwt__SigningKey</c>) and what each
    /// is for; <c>a|b</c> is satisfied by either key.
    /// </param>
    public static TBuilder RequireInProduction<TBuilder>(this TBuilder builder, params (string Key, string Purpose)[] settings)
        where TBuilder : IHostApplicationBuilder
    {
        if (!builder.Environment.IsProduction()) return builder;
        var missing = settings
            .Where(s => s.Key.Split('|').All(key => string.IsNullOrWhiteSpace(builder.Configuration[key])))
            .ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"{builder.Environment.ApplicationName} will not start in Production without these settings: " +
                string.Join("; ", missing.Select(s => $"{s.Key.Replace("|", " or ", StringComparison.Ordinal)} (environment variable {s.Key.Replace(":", "__", StringComparison.Ordinal).Replace("|", " or ", StringComparison.Ordinal)}): {s.Purpose}")) +
                ". See docs/operations.md.");
        }
        return builder;
    }
}
