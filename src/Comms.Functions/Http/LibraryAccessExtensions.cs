using Comms.Security;
using Microsoft.AspNetCore.Http;

namespace Comms.Functions.Http;

public static class LibraryAccessExtensions
{
    /// <summary>Every /libraries/{id}/... function starts here: this library's key, or the platform admin key.</summary>
    public static Task AuthorizeAsync(this LibraryAccess access, HttpRequest request, string libraryId) =>
        access.RequireLibraryAsync(
            libraryId,
            request.Headers[LibraryAccess.LibraryKeyHeader].ToString(),
            request.Headers[LibraryAccess.AdminKeyHeader].ToString(),
            request.HttpContext.RequestAborted);

    /// <summary>Who, for an audit: "admin", or the library key's id (the first hex digits of its hash; never the key).</summary>
    public static string CallerOf(HttpRequest request) =>
        !string.IsNullOrEmpty(request.Headers[LibraryAccess.AdminKeyHeader].ToString())
            ? "admin"
            : "key:" + ApiKeys.Hash(request.Headers[LibraryAccess.LibraryKeyHeader].ToString())[..12];

    public static void AuthorizePlatformAdmin(this LibraryAccess access, HttpRequest request) =>
        access.RequirePlatformAdmin(request.Headers[LibraryAccess.AdminKeyHeader].ToString());
}
