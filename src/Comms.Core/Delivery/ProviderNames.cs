namespace Comms.Delivery;

/// <summary>The provider names libraries and configuration use (the same list the library validator accepts).</summary>
public static class ProviderNames
{
    public const string Ses = "Ses";
    public const string Acs = "Acs";
    public const string Smtp = "Smtp";
    public const string Pickup = "Pickup";

    public static IReadOnlyList<string> All { get; } = [Ses, Acs, Smtp, Pickup];
}
