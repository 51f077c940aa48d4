using Microsoft.Extensions.Configuration;

namespace Comms.Common;

/// <summary>
/// App Service replaces "@Microsoft.KeyVault(...)" (and App Configuration) references in app settings with
/// the secret before the app starts. When it cannot (no access to the vault, a wrong secret name), the app
/// receives the reference text itself. Used as a key it would sign every request with a public string and
/// fail with 403; used as the admin key it would be a guessable password. Such values are found here,
/// reported at start and in /api/health, and never used.
/// </summary>
public static class SecretReferences
{
    private static readonly string[] Prefixes = ["@Microsoft.KeyVault(", "@Microsoft.AppConfiguration("];

    public static bool IsUnresolved(string? value) =>
        value is not null && Prefixes.Any(prefix => value.TrimStart().StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

    /// <summary>App setting names (A__B, as set in Azure) whose value is an unresolved reference, in order.</summary>
    public static IReadOnlyList<string> UnresolvedSettings(IConfiguration configuration) =>
        [.. configuration.AsEnumerable()
            .Where(setting => IsUnresolved(setting.Value))
            .Select(setting => SettingName(setting.Key))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal)];

    /// <summary>What is wrong and what to check, naming the setting and never its value.</summary>
    public static string Problem(string settingName) =>
        $"{settingName} is an unresolved Key Vault reference: the platform could not read the secret, so it is not used. " +
        "Check that the secret exists under that name and that the app's identity has the Key Vault Secrets User role, then restart the app.";

    public static string SettingName(string configurationKey) => configurationKey.Replace(":", "__", StringComparison.Ordinal);
}
