using Comms.Sms.Providers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Comms.Sms;

/// <summary>The configured SMS provider, built on first use (a deployment without SMS needs no ACS settings); null when off.</summary>
public sealed class SmsProviders(IServiceProvider services, IOptions<SmsOptions> options)
{
    private readonly Lazy<ISmsProvider?> _provider = new(() => options.Value.Provider switch
    {
        SmsProviderNames.Acs => services.GetRequiredService<AcsSmsProvider>(),
        SmsProviderNames.Pickup => services.GetRequiredService<PickupSmsProvider>(),
        _ => null,
    });

    public ISmsProvider? Current => _provider.Value;

    /// <summary>The sender as the provider is given it: the configured number, or a placeholder for the pickup folder.</summary>
    public string From => options.Value.From is { Length: > 0 } from ? from : "+10000000000";
}
