using Comms.Sms.Providers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Comms.Sms;

public static class SmsServiceCollectionExtensions
{
    /// <summary>The SMS channel: providers, the fallback step, opt-outs and inbound replies (section Comms:Sms).</summary>
    public static IServiceCollection AddCommsSms(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<SmsOptions>().Bind(configuration.GetSection(SmsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AcsSmsProvider>();
        services.AddSingleton<PickupSmsProvider>();
        services.AddSingleton<SmsProviders>();
        services.AddSingleton<SmsNumberStore>();
        services.AddSingleton<SmsFallback>();
        services.AddSingleton<SmsInboundHandler>();
        services.AddSingleton<SmsDeliveryReports>();
        services.AddSingleton<SmsPreviewService>();
        services.AddSingleton<Texts.SmsTextStore>();
        services.AddSingleton<Texts.SmsTextService>();

        // A bounce reported after the provider took an outbox notice moves that reader to SMS for the same notice.
        services.AddSingleton<EmailLog.IEmailReportListener, SmsAfterEmailReport>();
        return services;
    }
}
