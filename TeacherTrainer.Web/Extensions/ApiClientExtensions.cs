using Microsoft.Extensions.Http.Resilience;
using TeacherTrainer.Web.Services.Api;

namespace TeacherTrainer.Web.Extensions;

public static class ApiClientExtensions
{
    private static readonly Uri ApiService = new("https+http://apiservice");

    /// <summary>
    /// The typed API clients. Their resilience differs from the default in two ways: a request
    /// that changes something (a practice turn, a sign-in) is never sent twice, and a request may
    /// take a minute (a turn judged and answered by a language model, a large collection import).
    /// </summary>
    public static IHostApplicationBuilder AddApiClients(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHttpClient<ApiClient>(client => client.BaseAddress = ApiService).WithApiResilience();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddTransient<ClientAddressHandler>();
        builder.Services.AddHttpClient<AuthApiClient>(client => client.BaseAddress = ApiService)
            .AddHttpMessageHandler<ClientAddressHandler>()
            .WithApiResilience();
        return builder;
    }

    private static void WithApiResilience(this IHttpClientBuilder client)
    {
#pragma warning disable EXTEXP0001 // The documented way to opt one client out of ConfigureHttpClientDefaults' handler.
        client.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        client.AddStandardResilienceHandler(options =>
        {
            options.Retry.DisableForUnsafeHttpMethods();
            options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(90);
            options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(120);
            options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(180);
        });
    }
}
