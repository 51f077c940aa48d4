using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Comms.Print;

public static class PrintServiceCollectionExtensions
{
    /// <summary>Printed notices: the chain's print step, the items and batches, the PDFs (section Comms:Print).</summary>
    public static IServiceCollection AddCommsPrint(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<PrintOptions>().Bind(configuration.GetSection(PrintOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PrintItemStore>();
        services.AddSingleton<PrintBatchStore>();
        services.AddSingleton<PrintFileStore>();
        services.AddSingleton<PrintFallback>();
        services.AddSingleton<PrintBatchService>();
        services.AddSingleton<PrintRetention>();
        return services;
    }
}
