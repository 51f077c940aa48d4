using System.Globalization;

namespace Comms.DevHost.Demo;

/// <summary>
/// `dotnet run --project src/Comms.DevHost -- --demo`: the usual dev host with a demo library seeded over its
/// own API and ladder days of <see cref="DayLength"/>, so a newcomer sees every kind of notice within a minute.
/// </summary>
public static class DemoMode
{
    public const string Switch = "--demo";

    /// <summary>One ladder "day": long enough that the steps arrive one after another, short enough for a minute.</summary>
    public static readonly TimeSpan DayLength = TimeSpan.FromSeconds(5);

    public static bool IsRequested(IEnumerable<string> args) => args.Contains(Switch, StringComparer.OrdinalIgnoreCase);

    /// <summary>The arguments without the switch, which is not a configuration key.</summary>
    public static string[] WithoutSwitch(IEnumerable<string> args) => [.. args.Where(a => !string.Equals(a, Switch, StringComparison.OrdinalIgnoreCase))];

    /// <summary>Compressed days, a quieter log and the seeder; added after every other source, so a demo always runs on demo days.</summary>
    public static void Configure(WebApplicationBuilder builder)
    {
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Comms:Circulation:DayLength"] = DayLength.ToString("c", CultureInfo.InvariantCulture),
            // The seeder prints each kind of notice as it is sent; the orchestrations' own lines would bury them.
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Services.AddHostedService<DemoSeeder>();
    }
}
