using TeacherTrainer.Web.Services.Display;

namespace TeacherTrainer.Web.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddWebSecurity();
        builder.AddSharedDataProtection();
        builder.AddWebAuthentication();
        builder.AddApiClients();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddScoped<BrowserClock>();
        return builder;
    }
}
