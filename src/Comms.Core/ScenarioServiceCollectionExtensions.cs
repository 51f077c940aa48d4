using Comms.Accounts;
using Comms.Acquisitions;
using Comms.Notices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Comms;

public static class ScenarioServiceCollectionExtensions
{
    /// <summary>The shared end of every scenario: audience, template and delivery (see docs/architecture.md).</summary>
    public static IServiceCollection AddCommsNotices(this IServiceCollection services)
    {
        services.AddSingleton<NoticeAudienceResolver>();
        services.AddSingleton<INoticeDispatcher, NoticeDispatcher>();
        services.AddSingleton<ManualSendService>();
        return services;
    }

    /// <summary>The scenario families that send at once: password resets and supplier orders.</summary>
    public static IServiceCollection AddCommsImmediateScenarios(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AccountsOptions>().Bind(configuration.GetSection(AccountsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PasswordResetThrottle>();
        services.AddSingleton<PasswordResetService>();
        services.AddSingleton<SupplierOrderStore>();
        services.AddSingleton<SupplierOrderService>();
        return services;
    }
}
