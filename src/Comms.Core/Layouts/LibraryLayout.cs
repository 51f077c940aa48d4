namespace Comms.Layouts;

/// <summary>
/// The frame a library puts around every notice's content: logo, colours, address, footer and contact line.
/// Library data, not markup: every field is inserted HTML-escaped by <see cref="EmailLayout"/>.
/// </summary>
public sealed record LibraryLayout
{
    /// <summary>An https image shown in the header (with the library's name as its alt text); none shows the name only.</summary>
    public string? LogoUrl { get; init; }

    /// <summary>The header's background (#rrggbb).</summary>
    public string BrandColour { get; init; } = Default.BrandColour;

    /// <summary>The header's text, on <see cref="BrandColour"/>: at least 4.5:1 contrast with it.</summary>
    public string BrandTextColour { get; init; } = Default.BrandTextColour;

    /// <summary>Links in the content and footer, on the white page: at least 4.5:1 contrast with white.</summary>
    public string LinkColour { get; init; } = Default.LinkColour;

    /// <summary>Postal address, up to <see cref="LayoutValidator.MaxAddressLines"/> lines.</summary>
    public string? Address { get; init; }

    /// <summary>A closing line or two under the content (opening hours, a motto).</summary>
    public string? FooterText { get; init; }

    /// <summary>One line: how to reach the library ("Call 01234 567890 or ask at the desk").</summary>
    public string? ContactLine { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>What a library that never set a layout gets: the shipped defaults' own neutral colours, the name as header.</summary>
    public static class Default
    {
        public const string BrandColour = "#1f2933";
        public const string BrandTextColour = "#ffffff";
        public const string LinkColour = "#1a56db";
    }

    public static readonly LibraryLayout Neutral = new();
}
