using Microsoft.Extensions.Configuration;
using Comms.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Comms.Outbox;

public static class OutboxServiceCollectionExtensions
{
    /// <summary>The durable outbox of immediate notices and their status (docs/delivery.md, "The outbox").</summary>
    public static IServiceCollection AddCommsOutbox(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCommsWebhooks(configuration);
        services.AddOptions<OutboxOptions>().Bind(configuration.GetSection(OutboxOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<NoticeProtector>();
        services.AddSingleton<OutboxStore>();
        services.AddSingleton<OutboxQueue>();
        services.AddSingleton<OutboxEvents>();
        services.AddSingleton<NoticeOutbox>();
        services.AddSingleton<OutboxDelivery>();
        services.AddSingleton<NoticeStatusService>();
        services.AddSingleton<EmailLog.IEmailReportListener, NoticeReportListener>();
        return services;
    }
}
