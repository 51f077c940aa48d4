using Comms.Delivery;

namespace Comms.DevHost.Local;

public static class LocalConveniencesExtensions
{
    /// <summary>Azurite on demand, local paths from the repository root and the start-up banner: what makes one `dotnet run` a complete local start.</summary>
    public static IServiceCollection AddLocalConveniences(this IServiceCollection services)
    {
        services.AddOptions<LocalAzuriteOptions>().BindConfiguration(LocalAzuriteOptions.Section);
        services.AddSingleton<LocalAzurite>();
        services.AddHostedService(sp => sp.GetRequiredService<LocalAzurite>());
        services.AddHostedService<StartupBanner>();

        // The pickup folder (patron emails) is the repository's gitignored outbox/, not a folder under src/.
        services.PostConfigure<EmailOptions>(o =>
        {
            if (!string.IsNullOrWhiteSpace(o.Pickup.Directory))
            {
                o.Pickup.Directory = RepositoryRoot.Resolve(o.Pickup.Directory);
            }
        });

        // Texts likewise: outbox/sms/, one .sms.json per SMS (docs/channels.md).
        services.PostConfigure<Sms.SmsOptions>(o =>
        {
            if (!string.IsNullOrWhiteSpace(o.Pickup.Directory))
            {
                o.Pickup.Directory = RepositoryRoot.Resolve(o.Pickup.Directory);
            }
        });
        return services;
    }
}
