using Comms.Common;

namespace Comms.Layouts;

/// <summary>The body of PUT …/layout: the whole layout as it should be. The three colours are required (GET gives the current ones), the rest optional.</summary>
public sealed record LayoutRequest
{
    public string? LogoUrl { get; init; }
    public string? BrandColour { get; init; }
    public string? BrandTextColour { get; init; }
    public string? LinkColour { get; init; }
    public string? Address { get; init; }
    public string? FooterText { get; init; }
    public string? ContactLine { get; init; }
}

/// <summary>
/// Checks a layout in full (every problem at once, by field) and gives it back normalised: colours as lower-case
/// "#rrggbb", line breaks as "\n", blank fields as none.
/// </summary>
public static class LayoutValidator
{
    public const int MaxLogoUrlLength = 500;
    public const int MaxAddressLength = 300;
    public const int MaxAddressLines = 6;
    public const int MaxFooterLength = 500;
    public const int MaxFooterLines = 6;
    public const int MaxContactLength = 200;

    /// <summary>The page behind the content: the header and links are checked against it.</summary>
    public const string PageColour = "#ffffff";

    public static LibraryLayout Validate(LayoutRequest request, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        var layout = Check(request, now, errors);
        errors.ThrowIfAny("The layout is not valid; nothing was saved.");
        return layout!;
    }

    /// <summary>Adds every problem to <paramref name="errors"/> (fields under <paramref name="prefix"/>); the layout when there is none.</summary>
    public static LibraryLayout? Check(LayoutRequest request, DateTimeOffset now, ValidationErrors errors, string prefix = "")
    {
        var before = new ValidationErrors();
        var layout = CheckFields(request, now, before);
        errors.AddRange(prefix, before);
        return before.IsEmpty ? layout : null;
    }

    private static LibraryLayout? CheckFields(LayoutRequest request, DateTimeOffset now, ValidationErrors errors)
    {
        var logo = LogoUrl(request.LogoUrl, errors);
        // Required, so an empty or stray body ("{}") changes nothing instead of resetting the library's colours.
        var brand = Colour(request.BrandColour, "brandColour", errors);
        var brandText = Colour(request.BrandTextColour, "brandTextColour", errors);
        var link = Colour(request.LinkColour, "linkColour", errors);
        if (brand is { } b && brandText is { } t && Contrast.Ratio(b, t) is var ratio && ratio < Contrast.MinimumRatio)
        {
            errors.Add("brandTextColour", $"Contrast with brandColour is {ratio:0.0}:1; at least {Contrast.MinimumRatio}:1 is needed so the header stays readable (WCAG AA).");
        }

        if (link is { } l && Contrast.TryParse(PageColour, out var page) && Contrast.Ratio(l, page) is var linkRatio && linkRatio < Contrast.MinimumRatio)
        {
            errors.Add("linkColour", $"Contrast with the white page is {linkRatio:0.0}:1; at least {Contrast.MinimumRatio}:1 is needed (WCAG AA).");
        }

        var address = Lines(request.Address, "address", MaxAddressLength, MaxAddressLines, errors);
        var footer = Lines(request.FooterText, "footerText", MaxFooterLength, MaxFooterLines, errors);
        var contact = Blank(request.ContactLine);
        Text.Optional(contact, "contactLine", MaxContactLength, errors);
        if (!errors.IsEmpty)
        {
            return null;
        }

        return new LibraryLayout
        {
            LogoUrl = logo,
            BrandColour = Contrast.Normalise(brand!.Value),
            BrandTextColour = Contrast.Normalise(brandText!.Value),
            LinkColour = Contrast.Normalise(link!.Value),
            Address = address,
            FooterText = footer,
            ContactLine = contact,
            UpdatedAt = now,
        };
    }

    private static string? LogoUrl(string? value, ValidationErrors errors)
    {
        value = Blank(value);
        if (value is null)
        {
            return null;
        }

        // https only: mail clients block or warn on http images, and the self-service page's CSP allows this one
        // https origin. No credentials in the URL: it is shown to every reader.
        if (value.Length > MaxLogoUrlLength)
        {
            errors.Add("logoUrl", $"At most {MaxLogoUrlLength} characters.");
        }
        else if (value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '"' or '\'' or '<' or '>' or '\\')
            || !Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || uri.Scheme != Uri.UriSchemeHttps
            || uri.UserInfo.Length > 0
            || uri.HostNameType is not (UriHostNameType.Dns))
        {
            errors.Add("logoUrl", "Use an https:// address of an image on a named host, without spaces, quotes or a user name (https://library.example.org/logo.png).");
        }

        return value;
    }

    private static (int R, int G, int B)? Colour(string? value, string field, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "Required: # and six (or three) hex digits, such as #1a56db.");
            return null;
        }

        if (Contrast.TryParse(value.Trim(), out var rgb))
        {
            return rgb;
        }

        errors.Add(field, "Use a hex colour: # and six (or three) hex digits, such as #1a56db.");
        return null;
    }

    /// <summary>Multi-line library text: \r\n and \r become \n; no other control characters; bounded length and lines.</summary>
    private static string? Lines(string? value, string field, int maxLength, int maxLines, ValidationErrors errors)
    {
        value = Blank(value)?.ReplaceLineEndings("\n");
        if (value is null)
        {
            return null;
        }

        if (value.Length > maxLength)
        {
            errors.Add(field, $"At most {maxLength} characters.");
        }

        if (value.Any(c => char.IsControl(c) && c != '\n') || value.Contains('\u2028', StringComparison.Ordinal) || value.Contains('\u2029', StringComparison.Ordinal))
        {
            errors.Add(field, "Control characters other than line breaks are not allowed.");
        }

        if (value.Split('\n').Length > maxLines)
        {
            errors.Add(field, $"At most {maxLines} lines.");
        }

        return value;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
