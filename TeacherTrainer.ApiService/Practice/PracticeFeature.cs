using TeacherTrainer.ApiService.Data;

namespace TeacherTrainer.ApiService.Practice;

/// <summary>Practice sessions and progress: what the feature registers and the endpoints it maps.</summary>
public static class PracticeFeature
{
    public static IHostApplicationBuilder AddPractice(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SkillMap>();
        builder.Services.AddScoped<PracticeService>();
        // Who may see a session: asked by practice, review and cohort endpoints alike.
        builder.Services.AddScoped<SessionAccess>();
        builder.Services.AddScoped<ProgressService>();
        // Builds every scenario's judging and persona models at start-up, so no trainee's turn waits on it.
        builder.Services.AddHostedService<PracticeWarmUp>();
        builder.Services.AddSeeder<TeacherDbContext, StoredOverallSeeder>();
        return builder;
    }

    public static IEndpointRouteBuilder MapPractice(this IEndpointRouteBuilder app) => app.MapPracticeApi();
}
