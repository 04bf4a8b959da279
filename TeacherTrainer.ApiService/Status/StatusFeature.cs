namespace TeacherTrainer.ApiService.Status;

/// <summary>The public status page's data: what the feature registers and the endpoints it maps.</summary>
public static class StatusFeature
{
    public static IHostApplicationBuilder AddStatus(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<StatusService>();
        builder.Services.AddSingleton<StatusMonitor>();
        return builder;
    }

    public static IEndpointRouteBuilder MapStatus(this IEndpointRouteBuilder app) => app.MapStatusApi();
}
