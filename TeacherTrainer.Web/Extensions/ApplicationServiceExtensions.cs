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
        // Pages hand what they loaded while prerendering to their circuit (a practice session with its
        // judgements can exceed SignalR's default 32 KB message).
        builder.Services.AddRazorComponents().AddInteractiveServerComponents()
            .AddHubOptions(options => options.MaximumReceiveMessageSize = 1024 * 1024);
        builder.Services.AddScoped<BrowserClock>();
        return builder;
    }
}
