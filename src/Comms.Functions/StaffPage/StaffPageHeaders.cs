using Microsoft.AspNetCore.Http;

namespace Comms.Functions.StaffPage;

/// <summary>Security headers for every file of the staff page.</summary>
public static class StaffPageHeaders
{
    /// <summary>
    /// Scripts only from the app itself (no inline script, no eval); API calls only to the app. Styles allow
    /// 'unsafe-inline' for one reason: the template preview is an iframe with srcdoc, which inherits this
    /// policy (CSP 3), and email HTML is styled with inline style attributes. That frame is sandboxed without
    /// allow-scripts, and the page itself never inserts HTML (only text nodes), so no script can run from it.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
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
