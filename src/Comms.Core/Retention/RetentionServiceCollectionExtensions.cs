using Comms.EmailLog;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Comms.Retention;

public static class RetentionServiceCollectionExtensions
{
    /// <summary>
    /// The daily purge of expired records and patron erasure (section Comms:Retention). Uses the stores of the
    /// features whose records it ends, so it is registered after them.
    /// </summary>
    public static IServiceCollection AddCommsRetention(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<RetentionOptions>().Bind(configuration.GetSection(RetentionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<EmailLogRetention>();
        services.AddSingleton<ExpiredRecordsPurge>();
        services.AddSingleton<PatronErasure>();
        return services;
    }
}
