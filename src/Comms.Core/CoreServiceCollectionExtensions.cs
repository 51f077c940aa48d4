using Comms.Contacts;
using Comms.Libraries;
using Comms.Security;
using Comms.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Comms;

public static class CoreServiceCollectionExtensions
{
    /// <summary>Storage, security and the configuration store (libraries, patrons, contacts, suppliers).</summary>
    public static IServiceCollection AddCommsCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CommsTables>();
        services.AddSingleton<MessageCopies.MessageCopyStore>();
        services.AddSingleton<MessageCopies.MessageCopyService>();

        services.AddSingleton<LibraryKeyStore>();
        services.AddSingleton<LibraryAccess>();
        services.AddSingleton<LibraryStore>();
        services.AddSingleton<LibraryDataPurge>();
        services.AddSingleton<LibraryService>();
        services.AddSingleton<PatronStore>();
        services.AddSingleton<PatronService>();
        services.AddSingleton<Preferences.PreferenceService>();
        services.AddOptions<Preferences.PreferenceOptions>().Bind(configuration.GetSection(Preferences.PreferenceOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Preferences.UnsubscribeLinks>();
        services.AddSingleton<Preferences.ContactOptOutStore>();
        services.AddSingleton<Preferences.ContactOptOutService>();
        services.AddSingleton<Preferences.Unsubscribe>();
        services.AddSingleton<Preferences.SelfService>();
        services.AddSingleton<Preferences.ContactSelfService>();
        services.AddSingleton<SupplierStore>();
        services.AddSingleton<SupplierService>();
        return services;
    }
}
