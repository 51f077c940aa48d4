namespace Comms.DevHost.Local;

public static class LocalConveniencesExtensions
{
    /// <summary>Azurite on demand and the start-up banner: what makes one `dotnet run` a complete local start.</summary>
    public static IServiceCollection AddLocalConveniences(this IServiceCollection services)
    {
        services.AddOptions<LocalAzuriteOptions>().BindConfiguration(LocalAzuriteOptions.Section);
        services.AddSingleton<LocalAzurite>();
        services.AddHostedService(sp => sp.GetRequiredService<LocalAzurite>());
        services.AddHostedService<StartupBanner>();
        return services;
    }
}
