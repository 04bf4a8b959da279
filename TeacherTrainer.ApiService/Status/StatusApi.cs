using Microsoft.AspNetCore.Http.HttpResults;
using TeacherTrainer.ApiService.Identity;

namespace TeacherTrainer.ApiService.Status;

/// <summary>
/// System status. Anyone may ask whether the service is up (<c>/api/status</c>: overall status
/// only, like <c>/health</c>); the layers, versions and timings are for administrators
/// (<c>/api/admin/status</c>). Both read the same report, made at most once every few seconds
/// (<see cref="StatusMonitor"/>), so no caller can make the API run its model and database probes
/// on every request.
/// </summary>
public static class StatusApi
{
    public static IEndpointRouteBuilder MapStatusApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/status", GetStatusAsync)
            .WithName("GetStatus")
            .WithSummary("Whether the service is up: healthy, degraded or unhealthy, and when it was last checked.")
            .WithTags("Status")
            // Deliberately public, like /health: it is what an operator or a load balancer checks first.
            .AllowAnonymous();

        app.MapGet("/api/admin/status", GetStatusDetailsAsync)
            .WithName("GetStatusDetails")
            .WithSummary("Checks every layer for real: database and pgvector, a vector nearest-neighbour round trip, the cache, and the AI models.")
            .WithTags("Status")
            .RequireAuthorization(Policies.Admin);
        return app;
    }

    public static async Task<Ok<PublicStatus>> GetStatusAsync(StatusMonitor monitor, CancellationToken cancellationToken)
    {
        var report = await monitor.GetAsync(cancellationToken);
        return TypedResults.Ok(new PublicStatus(report.Status, report.CheckedAt));
    }

    public static async Task<Ok<StatusReport>> GetStatusDetailsAsync(StatusMonitor monitor, CancellationToken cancellationToken)
        => TypedResults.Ok(await monitor.GetAsync(cancellationToken));
}
