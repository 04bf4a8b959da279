using Microsoft.AspNetCore.Http.HttpResults;

namespace TeacherTrainer.ApiService.Status;

public static class StatusApi
{
    public static IEndpointRouteBuilder MapStatusApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/status", GetStatusAsync)
            .WithName("GetStatus")
            .WithSummary("Checks every layer for real: database and pgvector, a vector nearest-neighbour round trip, the cache, and the AI models.")
            .WithTags("Status")
            // Deliberately public, like /health: it is what an operator checks first.
            .AllowAnonymous();
        return app;
    }

    public static async Task<Ok<StatusReport>> GetStatusAsync(StatusService status, CancellationToken cancellationToken)
        => TypedResults.Ok(await status.CheckAsync(cancellationToken));
}
