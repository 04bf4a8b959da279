namespace TeacherTrainer.ApiService.Practice;

/// <summary>Practice sessions and progress: what the feature registers and the endpoints it maps.</summary>
public static class PracticeFeature
{
    public static IHostApplicationBuilder AddPractice(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SkillMap>();
        builder.Services.AddScoped<PracticeService>();
        builder.Services.AddScoped<ProgressService>();
        return builder;
    }

    public static IEndpointRouteBuilder MapPractice(this IEndpointRouteBuilder app) => app.MapPracticeApi();
}
