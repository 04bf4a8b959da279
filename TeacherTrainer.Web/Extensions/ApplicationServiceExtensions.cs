using TeacherTrainer.Web.Services.Security;
using TeacherTrainer.Web.Services.Display;

namespace TeacherTrainer.Web.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.RequireInProduction(
            ($"ConnectionStrings:{DataProtectionExtensions.SessionsConnectionName}", "the Redis that keeps sign-ins and the data-protection key ring (maxmemory-policy noeviction)"),
            (KeyRingEncryption.ConfigurationKey, "the secret that encrypts the data-protection key ring, at least 32 characters"),
            ("services:apiservice:https:0|services:apiservice:http:0", "the API's address, as service discovery reads it"));
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
