using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Comms.Delivery;

/// <summary>How to build one provider; the last registration of a name wins (tests wrap real providers this way).</summary>
public sealed record EmailProviderRegistration(string Name, Func<IServiceProvider, IEmailProvider> Create);

/// <summary>
/// Providers by name, each built on first use: a deployment that never uses SES never needs AWS credentials.
/// Also decides which provider and failover a library uses.
/// </summary>
public sealed class EmailProviders(IServiceProvider services, IEnumerable<EmailProviderRegistration> registrations, IOptions<EmailOptions> options)
{
    private readonly Dictionary<string, EmailProviderRegistration> _registrations =
        registrations.GroupBy(r => r.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, Lazy<IEmailProvider>> _providers = new(StringComparer.Ordinal);

    public IEmailProvider Get(string name) =>
        _providers.GetOrAdd(name, n => new Lazy<IEmailProvider>(() =>
            _registrations.TryGetValue(n, out var registration)
                ? registration.Create(services)
                : throw new InvalidOperationException($"No email provider named '{n}' is registered."))).Value;

    /// <summary>The library's provider, else the platform default.</summary>
    public string PrimaryFor(Libraries.Library library) =>
        string.IsNullOrWhiteSpace(library.Provider) ? options.Value.Provider : library.Provider;

    /// <summary>The library's failover, else the platform's; never the primary itself.</summary>
    public string? FailoverFor(Libraries.Library library)
    {
        var failover = !string.IsNullOrWhiteSpace(library.FailoverProvider) ? library.FailoverProvider : options.Value.FailoverProvider;
        return string.IsNullOrWhiteSpace(failover) || string.Equals(failover, PrimaryFor(library), StringComparison.Ordinal) ? null : failover;
    }

    internal static void Register<T>(IServiceCollection services, string name) where T : class, IEmailProvider =>
        services.AddSingleton(new EmailProviderRegistration(name, sp => ActivatorUtilities.CreateInstance<T>(sp)));
}
