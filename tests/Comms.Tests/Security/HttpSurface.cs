using System.Text.RegularExpressions;
using Comms.DevHost;
using Comms.Functions;

namespace Comms.Tests.Security;

/// <summary>
/// Every HTTP endpoint of the function app, read from the app itself, so the reliability and isolation
/// suites grow with the API instead of from a hand-kept list.
/// </summary>
public static partial class HttpSurface
{
    public sealed record Endpoint(string Function, string Method, string Route)
    {
        public bool IsLibraryScoped => Route.StartsWith("libraries/{libraryId}", StringComparison.Ordinal);

        public bool TakesBody => Method is "POST" or "PUT" or "PATCH";

        /// <summary>The route with the library id and every other parameter filled in.</summary>
        public string Path(string libraryId, string otherValue = "x1") =>
            "/api/" + Parameter().Replace(
                Route.Replace("{libraryId}", libraryId, StringComparison.Ordinal),
                m => m.Value.EndsWith(":int}", StringComparison.Ordinal) ? "1" : otherValue);

        public override string ToString() => $"{Method} /api/{Route}";
    }

    /// <summary>Test host settings with the durable engine on, so [DurableClient] endpoints answer for real.</summary>
    public static void WithDurableEngine(Dictionary<string, string?> settings)
    {
        settings["DevHost:Durable:Enabled"] = "true";
        settings["Comms:TaskHubName"] = "Sec" + Guid.NewGuid().ToString("N")[..12];
        settings["DevHost:Durable:PartitionCount"] = "1";
    }

    public static IReadOnlyList<Endpoint> All { get; } =
    [
        .. FunctionCatalog.Discover(typeof(FunctionAppServiceCollectionExtensions).Assembly)
            .Where(f => f.Http is not null)
            .SelectMany(f => (f.Http!.Methods ?? ["get"]).Select(m => new Endpoint(f.Name, m.ToUpperInvariant(), f.Http.Route ?? f.Name))),
    ];

    [GeneratedRegex(@"\{\*?[A-Za-z]+(:[^}]*)?\}")]
    private static partial Regex Parameter();
}
