using Microsoft.Extensions.DependencyInjection;

namespace Comms.Renewals;

public static class RenewalsServiceCollectionExtensions
{
    /// <summary>Auto-renewal results and their daily digests (needs AddCirculation for the loan rows and the day length).</summary>
    public static IServiceCollection AddRenewals(this IServiceCollection services)
    {
        services.AddSingleton<RenewalResultStore>();
        services.AddSingleton<RenewalService>();
        services.AddSingleton<RenewalDigests>();
        return services;
    }
}
