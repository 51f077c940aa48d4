using Microsoft.AspNetCore.Http;

namespace Comms.Functions.StaffPage;

/// <summary>Security headers for every file of the staff page.</summary>
public static class StaffPageHeaders
{
    /// <summary>
    /// Scripts and styles only from the app itself (no inline script or style, no eval); API calls only to the app.
    /// Emails are shown in frames of their own (<see cref="StaffPreviewFrame"/>) with their own policy, so their inline
    /// styles and the library's logo need nothing here; the page itself never inserts HTML (only text nodes).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        "connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static void Apply(IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        // Small files that change with each release; revalidating keeps staff on the current version.
        headers.CacheControl = "no-cache";
    }
}
