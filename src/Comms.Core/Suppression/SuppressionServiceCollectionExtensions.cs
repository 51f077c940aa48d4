using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Comms.Suppression;

public static class SuppressionServiceCollectionExtensions
{
    /// <summary>Provider list sync, delivery reports, SNS notifications and blacklist management (section Comms:Suppression).</summary>
    public static IServiceCollection AddCommsSuppression(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<SuppressionOptions>().Bind(configuration.GetSection(SuppressionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(SnsSignatureVerifier.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));

        // The app's managed identity for ARM; tests register their own ArmCredential first.
        services.TryAddSingleton(sp =>
        {
            var clientId = sp.GetRequiredService<IOptions<SuppressionOptions>>().Value.Acs.ManagedIdentityClientId;
            return new ArmCredential(new DefaultAzureCredential(new DefaultAzureCredentialOptions
            {
                ManagedIdentityClientId = string.IsNullOrWhiteSpace(clientId) ? null : clientId,
            }));
        });
        services.AddSingleton<SesSuppressionSource>();
        services.AddSingleton<AcsSuppressionSource>();
        services.AddSingleton<ISuppressionSource>(sp => sp.GetRequiredService<SesSuppressionSource>());
        services.AddSingleton<ISuppressionSource>(sp => sp.GetRequiredService<AcsSuppressionSource>());
        services.TryAddSingleton<BlacklistMemory>();
        services.TryAddSingleton<BlacklistStore>();
        services.AddSingleton<SuppressionSync>();
        services.AddSingleton<DeliveryReportHandler>();
        services.AddSingleton<SnsSignatureVerifier>();
        services.AddSingleton<SnsNotificationHandler>();
        services.AddSingleton<BlacklistAudit>();

        // Counts the library's contacts a provider's report blacklists, for the dashboard.
        services.AddSingleton<BlacklistGrowth>();
        services.AddSingleton<EmailLog.IEmailReportListener>(sp => sp.GetRequiredService<BlacklistGrowth>());
        services.AddSingleton<LibraryBlacklistService>();
        return services;
    }
}
