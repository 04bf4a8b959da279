using TeacherTrainer.ApiService.Data;

namespace TeacherTrainer.ApiService.Identity;

/// <summary>Accounts, sign-in and tokens: what the feature registers and the endpoints it maps.</summary>
public static class IdentityFeature
{
    public static IHostApplicationBuilder AddIdentity(this IHostApplicationBuilder builder)
    {
        builder.AddIdentityServices();
        // After the schema's migration (registered by the platform), the roles and the first admin.
        builder.Services.AddSeeder<TeacherDbContext, IdentitySeeder>();
        return builder;
    }

    public static IEndpointRouteBuilder MapIdentity(this IEndpointRouteBuilder app)
    {
        app.MapAuthApi();
        app.MapAccountApi();
        return app;
    }
}
