namespace TeacherTrainer.ApiService.Cohorts;

/// <summary>Cohorts, invitations, sharing and cohort insight: what the feature registers and the endpoints it maps.</summary>
public static class CohortsFeature
{
    public static IHostApplicationBuilder AddCohorts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<CohortInsight>();
        // Identity asks about a user's cohorts (sign-up by code, "who am I") through its own interface.
        builder.Services.AddScoped<Identity.IUserCohorts, UserCohorts>();
        return builder;
    }

    public static IEndpointRouteBuilder MapCohorts(this IEndpointRouteBuilder app)
    {
        app.MapCohortsApi();
        app.MapCohortPageApi();
        return app;
    }
}
