using Comms.Accounts;
using Comms.Acquisitions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Comms;

public static class ScenarioServiceCollectionExtensions
{
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
