using Comms.Common;
using Microsoft.Extensions.Options;

namespace Comms.Security;

/// <summary>
/// Decides whether a presented key may act on a library. A wrong key and a library that does not exist
/// look the same (403), so a key for one library learns nothing about another.
/// </summary>
public sealed class LibraryAccess(LibraryKeyStore keys, IOptions<SecurityOptions> options)
{
    public const string LibraryKeyHeader = "X-Library-Key";
    public const string AdminKeyHeader = "X-Admin-Key";

    public void RequirePlatformAdmin(string? adminKey)
    {
        if (string.IsNullOrEmpty(adminKey))
        {
            throw new UnauthorizedException($"Send the platform admin key in the {AdminKeyHeader} header.");
        }

        if (!IsPlatformAdmin(adminKey))
        {
            throw new ForbiddenException();
        }
    }

    public async Task RequireLibraryAsync(string libraryId, string? libraryKey, string? adminKey, CancellationToken cancellationToken = default)
    {
        if (!string.IsNullOrEmpty(adminKey))
        {
            RequirePlatformAdmin(adminKey);
            return;
        }

        if (string.IsNullOrEmpty(libraryKey))
        {
            throw new UnauthorizedException($"Send this library's API key in the {LibraryKeyHeader} header.");
        }

        var hash = Storage.TableKeys.IsValidId(libraryId) ? await keys.GetHashAsync(libraryId, cancellationToken) : null;
        if (hash is null || !ApiKeys.Matches(libraryKey, hash))
        {
            throw new ForbiddenException();
        }
    }

    // An unresolved Key Vault reference is public text (vault and secret names), never a key.
    private bool IsPlatformAdmin(string adminKey) =>
        !SecretReferences.IsUnresolved(options.Value.PlatformAdminKey) && ApiKeys.SecretEquals(adminKey, options.Value.PlatformAdminKey);
}
