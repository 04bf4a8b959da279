using TeacherTrainer.Web.Services;

namespace TeacherTrainer.Web.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddWebSecurity();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddHttpClient<ApiClient>(client => client.BaseAddress = new Uri("https+http://apiservice"));
        return builder;
    }
}
