using Comms.Delivery.Providers;
using Comms.EmailLog;
using Comms.Suppression;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Comms.Delivery;

public static class DeliveryServiceCollectionExtensions
{
    /// <summary>Providers, the delivery pipeline, the ledger, the blacklist, the email log and its dashboard (section Comms:Email).</summary>
    public static IServiceCollection AddCommsDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<EmailOptions>().Bind(configuration.GetSection(EmailOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        EmailProviders.Register<SesEmailProvider>(services, ProviderNames.Ses);
        EmailProviders.Register<AcsEmailProvider>(services, ProviderNames.Acs);
        EmailProviders.Register<SmtpEmailProvider>(services, ProviderNames.Smtp);
        EmailProviders.Register<PickupEmailProvider>(services, ProviderNames.Pickup);
        services.AddSingleton<EmailProviders>();
        services.AddSingleton<ProviderRateLimiters>();
        services.AddSingleton<ProviderAttempts>();
        services.AddSingleton<DeliveryMetrics>();
        services.AddSingleton<MessageBuilder>();
        services.AddSingleton<NoticeLedger>();
        services.AddSingleton<NoticeSender>();

        services.TryAddSingleton<BlacklistMemory>();
        services.AddSingleton<BlacklistStore>();
        services.AddSingleton<EmailLogCounters>();
        services.AddSingleton<EmailLogStore>();
        services.AddSingleton<EmailLogService>();

        // The staff dashboard reads nothing but the email log.
        services.AddSingleton<Dashboard.DashboardService>();
        return services;
    }
}
