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

    public static void AuthorizePlatformAdmin(this LibraryAccess access, HttpRequest request) =>
        access.RequirePlatformAdmin(request.Headers[LibraryAccess.AdminKeyHeader].ToString());
}
