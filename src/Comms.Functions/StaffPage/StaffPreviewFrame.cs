using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Comms.Functions.StaffPage;

/// <summary>
/// The empty document the staff page shows an email preview in, so the library's logo can load there while the page
/// itself keeps <c>img-src 'self' data:</c>. A <c>srcdoc</c> frame inherits the page's policy and no frame can loosen
/// it; a document of its own has its own. The page loads this one in a frame sandboxed without scripts and writes the
/// rendered email into it as DOM (js/email-frame.js). Its policy allows images from exactly the one https origin the
/// page names (the layout's logo), inline styles (email HTML is styled inline), and nothing else: no script (the
/// frame's sandbox forbids them too), no form, no base, framed only by the staff page. It holds no data, so a link
/// naming another origin gains nothing.
/// </summary>
public static partial class StaffPreviewFrame
{
    public const string Path = "preview-frame";

    private const string Document = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Email preview</title></head><body></body></html>";

    /// <summary>The frame's policy: the base, plus the logo's origin for images when it is one.</summary>
    public static string Policy(string? logoUrl)
    {
        var images = LogoOrigin(logoUrl) is { } origin ? $"data: {origin}" : "data:";
        return $"default-src 'none'; style-src 'unsafe-inline'; img-src {images}; base-uri 'none'; form-action 'none'; " +
            "frame-ancestors 'self'; sandbox allow-same-origin";
    }

    public static byte[] Content { get; } = Encoding.UTF8.GetBytes(Document);

    public static void Apply(IHeaderDictionary headers, string? logoUrl)
    {
        headers.ContentSecurityPolicy = Policy(logoUrl);
        headers.XContentTypeOptions = "nosniff";
        // The logo's server learns nothing about the staff page, not even that it was shown there.
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "SAMEORIGIN";
        headers.CacheControl = "no-cache";
    }

    /// <summary>
    /// "https://host[:port]" of an https URL on a named host without a user name (the layout's own rule), in its
    /// ASCII form and checked character by character, since it goes into a header; null for anything else.
    /// </summary>
    public static string? LogoOrigin(string? logoUrl)
    {
        if (string.IsNullOrEmpty(logoUrl) || logoUrl.Length > 500
            || !Uri.TryCreate(logoUrl, UriKind.Absolute, out var uri)
            || uri.Scheme != Uri.UriSchemeHttps || uri.UserInfo.Length > 0 || uri.HostNameType != UriHostNameType.Dns)
        {
            return null;
        }

        var origin = uri.IsDefaultPort ? $"https://{uri.IdnHost}" : $"https://{uri.IdnHost}:{uri.Port}";
        return Origin().IsMatch(origin) ? origin.ToLowerInvariant() : null;
    }

    [GeneratedRegex("^https://[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(?::[0-9]{1,5})?$")]
    private static partial Regex Origin();
}
