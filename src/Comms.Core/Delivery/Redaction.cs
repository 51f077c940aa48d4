using System.Text.RegularExpressions;

namespace Comms.Delivery;

/// <summary>Provider error texts sometimes quote the recipient; telemetry must never carry an address.</summary>
public static partial class Redaction
{
    public static string? Redact(string? text) => text is null ? null : Address().Replace(text, "[address]");

    [GeneratedRegex(@"[^\s<>""',;:()]+@[^\s<>""',;:()]+")]
    private static partial Regex Address();
}
