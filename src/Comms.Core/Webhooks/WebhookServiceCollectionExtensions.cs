using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Comms.Webhooks;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>Status webhooks: registration, the event queue and the signed sender.</summary>
    public static IServiceCollection AddCommsWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<WebhookService>();
        services.AddSingleton<WebhookQueue>();
        services.AddSingleton<WebhookDelivery>();
        // Redirects are not followed: a library's endpoint must not bounce the app's signed requests elsewhere.
        services.AddHttpClient(WebhookDelivery.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler { AllowAutoRedirect = false });
        return services;
    }
}
