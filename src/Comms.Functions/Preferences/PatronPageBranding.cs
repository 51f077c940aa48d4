using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Comms.Layouts;
using Comms.Preferences;

namespace Comms.Functions.Preferences;

/// <summary>
/// The library's layout (colours, logo, name) on the patron pages, without loosening their policy more than it takes:
/// the colours come in one inline style block allowed by its own SHA-256 hash (no 'unsafe-inline', no style sheet to
/// fetch), and a logo only from the exact https origin the library set (no referrer goes with it, so the page's
/// token does not). A page whose link did not verify gets no branding: nothing it shows comes from an unverified
/// library.
/// </summary>
public sealed partial class PatronPageBranding(LayoutStore layouts, UnsubscribeLinks links)
{
    /// <summary>The self-service page's library layout, when its link named a library that exists.</summary>
    public async Task<PageBrand?> ForAsync(SelfServiceView view, CancellationToken cancellationToken) =>
        view.LibraryId is { } id && view.LibraryName is { } name ? new PageBrand(name, await layouts.GetForSendingAsync(id, cancellationToken)) : null;

    /// <summary>The unsubscribe page's: its answer names the library only when the token verified and the library exists.</summary>
    public async Task<PageBrand?> ForAsync(UnsubscribeAnswer answer, string token, CancellationToken cancellationToken) =>
        answer.LibraryName is { } name && (links.Read(token)?.LibraryId ?? links.ReadContact(token)?.LibraryId) is { } id ? new PageBrand(name, await layouts.GetForSendingAsync(id, cancellationToken)) : null;

    /// <summary>The base policy plus exactly what the brand needs: its style block's hash and its logo's origin.</summary>
    public static string Policy(string basePolicy, PageBrand? brand)
    {
        if (brand is null)
        {
            return basePolicy;
        }

        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Css(brand.Layout))));
        var logo = LogoOrigin(brand.Layout) is { } origin ? $"; img-src {origin}" : string.Empty;
        return $"{basePolicy}; style-src 'sha256-{hash}'{logo}";
    }

    /// <summary>The style block for the page's head; empty without a brand.</summary>
    public static string Head(PageBrand? brand) => brand is null ? string.Empty : $"<style>{Css(brand.Layout)}</style>";

    /// <summary>A banner with the logo (the library's name as its text alternative) or the name.</summary>
    public static string Banner(PageBrand? brand)
    {
        if (brand is null)
        {
            return string.Empty;
        }

        var name = WebUtility.HtmlEncode(brand.LibraryName);
        return LogoOrigin(brand.Layout) is not null
            ? $"<header><img src=\"{WebUtility.HtmlEncode(brand.Layout.LogoUrl)}\" alt=\"{name}\"></header>\n"
            : $"<header><p>{name}</p></header>\n";
    }

    private static string Css(LibraryLayout layout)
    {
        var brand = Colour(layout.BrandColour, LibraryLayout.Default.BrandColour);
        var text = Colour(layout.BrandTextColour, LibraryLayout.Default.BrandTextColour);
        var link = Colour(layout.LinkColour, LibraryLayout.Default.LinkColour);
        return "body{margin:0;font-family:system-ui,sans-serif;line-height:1.5}"
            + $"header{{background:{brand};color:{text};padding:0.75rem 1rem}}header p{{margin:0;font-weight:bold}}header img{{max-height:3rem;max-width:100%}}"
            + $"main{{padding:1rem;max-width:40rem}}a{{color:{link}}}"
            + $"button{{background:{brand};color:{text};border:0;padding:0.5rem 1rem;font:inherit;border-radius:4px}}button:focus{{outline:3px solid {link};outline-offset:2px}}";
    }

    // The layout was validated when saved; checked again because it goes into a style the page's policy trusts.
    private static string Colour(string value, string fallback) => HexColour().IsMatch(value) ? value : fallback;

    private static string? LogoOrigin(LibraryLayout layout) =>
        Uri.TryCreate(layout.LogoUrl, UriKind.Absolute, out var logo) && logo.Scheme == Uri.UriSchemeHttps && logo.HostNameType == UriHostNameType.Dns
            ? logo.GetLeftPart(UriPartial.Authority)
            : null;

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex HexColour();
}

/// <summary>What a patron page is branded with: the library's name and layout.</summary>
public sealed record PageBrand(string LibraryName, LibraryLayout Layout);
