namespace TeacherTrainer.ApiService.Evaluation;

/// <summary>The judge and exemplar collections: what the feature registers and the endpoints it maps.</summary>
public static class EvaluationFeature
{
    public static IHostApplicationBuilder AddEvaluation(this IHostApplicationBuilder builder)
    {
        builder.Services.AddEvaluationEngineParts();
        builder.Services.AddScoped<EvaluationEngine>();
        builder.Services.AddScoped<CollectionStore>();
        builder.Services.AddScoped<CollectionQuality>();
        // Builds every scenario's judging and persona models at start-up, so no trainee's turn waits on it.
        builder.Services.AddHostedService<EvaluationWarmUp>();
        return builder;
    }

    public static IEndpointRouteBuilder MapEvaluation(this IEndpointRouteBuilder app)
    {
        app.MapEvaluationApi();
        app.MapCollectionAttachmentsApi();
        return app;
    }
}
