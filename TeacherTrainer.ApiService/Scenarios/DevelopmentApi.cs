using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using TeacherTrainer.ApiService.Data;

namespace TeacherTrainer.ApiService.Scenarios;

/// <summary>
/// Development-only tools behind the Aspire dashboard's buttons (see the AppHost's
/// DevelopmentCommands). Mapped only in the Development environment, and answered only on loopback:
/// the dashboard calls them from the same machine, without a token.
/// </summary>
public static class DevelopmentApi
{
    public static IEndpointRouteBuilder MapDevelopmentApi(this IEndpointRouteBuilder app, IHostEnvironment environment)
    {
        if (!environment.IsDevelopment()) return app;
        app.MapPost("/api/dev/reseed", ReseedAsync)
            .WithName("ReseedLibrary")
            .WithSummary("Development only, loopback only: reloads the scenario content files; changed scenarios get a new version.")
            .WithTags("Development")
            .AllowAnonymous();
        return app;
    }

    public static async Task<Results<Ok<string>, NotFound>> ReseedAsync(HttpContext http, TeacherDbContext db, IEnumerable<IDbSeeder<TeacherDbContext>> seeders, CancellationToken cancellationToken)
    {
        if (http.Connection.RemoteIpAddress is not { } address || !IPAddress.IsLoopback(address)) return TypedResults.NotFound();
        // Every seeder is idempotent: running them all again only adds what changed.
        foreach (var seeder in seeders) await seeder.SeedAsync(db, cancellationToken);
        return TypedResults.Ok("The scenario library was reloaded from its content files.");
    }
}
