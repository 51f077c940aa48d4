using System.Collections.Frozen;
using System.Reflection;

namespace Comms.Functions.StaffPage;

/// <summary>One file of the page, read once from the assembly's resources.</summary>
public sealed record StaffPageAsset(string Path, byte[] Content, string ContentType);

/// <summary>
/// The page's files, embedded under the logical names "staff/{path}" (see the project file). Only those
/// names are served, so a request path can never reach anything else.
/// </summary>
public sealed class StaffPageAssets
{
    private const string ResourcePrefix = "staff/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".json"] = "application/json; charset=utf-8",
        [".ico"] = "image/x-icon",
        [".png"] = "image/png",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly FrozenDictionary<string, StaffPageAsset> _assets;

    public StaffPageAssets()
        : this(typeof(StaffPageAssets).Assembly)
    {
    }

    public StaffPageAssets(Assembly assembly)
    {
        var assets = new Dictionary<string, StaffPageAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var path = name[ResourcePrefix.Length..];
            if (!ContentTypes.TryGetValue(System.IO.Path.GetExtension(path), out var contentType))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            assets[path] = new StaffPageAsset(path, copy.ToArray(), contentType);
        }

        _assets = assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IReadOnlyCollection<string> Paths => _assets.Keys;

    /// <summary>The file at a path below /api/staff/; a folder ("" or "x/") means its index.html.</summary>
    public StaffPageAsset? Find(string path)
    {
        if (path.Length == 0 || path.EndsWith('/'))
        {
            path += "index.html";
        }

        return _assets.GetValueOrDefault(path);
    }
}
