using TeacherTrainer.ApiService.Data;

namespace TeacherTrainer.ApiService.Scenarios;

/// <summary>The scenario library, authoring and versions: what the feature registers and the endpoints it maps.</summary>
public static class ScenariosFeature
{
    public static IHostApplicationBuilder AddScenarios(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ScenarioLibrary>();
        builder.Services.AddSingleton<ScenarioValidator>();
        builder.Services.AddSingleton<ScenarioContentCache>();
        builder.Services.AddScoped<ScenarioVersioning>();
        builder.Services.AddSeeder<TeacherDbContext, ScenarioLibrarySeeder>();
        return builder;
    }

    public static IEndpointRouteBuilder MapScenarios(this IEndpointRouteBuilder app, IHostEnvironment environment)
    {
        app.MapScenariosApi();
        app.MapScenarioAuthoringApi();
        app.MapScenarioEditorApi();
        app.MapDevelopmentApi(environment);
        return app;
    }
}
