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
        return builder;
    }

    public static IEndpointRouteBuilder MapEvaluation(this IEndpointRouteBuilder app)
    {
        app.MapEvaluationApi();
        app.MapCollectionAttachmentsApi();
        return app;
    }
}
