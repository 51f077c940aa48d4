using Comms.Infra.Tests.Infrastructure;

namespace Comms.Infra.Tests;

[Collection(CompiledMainTemplateCollection.Name)]
public sealed class AppSettingsTests(CompiledMainTemplate compiled)
{
    /// <summary>
    /// Local keys Flex Consumption does not take as app settings: the worker runtime lives in
    /// functionAppConfig.runtime, and AzureWebJobsStorage becomes its identity-based __ form.
    /// </summary>
    private static readonly HashSet<string> LocalOnly = ["FUNCTIONS_WORKER_RUNTIME", "AzureWebJobsStorage"];

    /// <summary>
    /// Azure keys with no local counterpart: the identity-based form of AzureWebJobsStorage and the Entra
    /// authentication of App Insights (local development sends no telemetry).
    /// </summary>
    private static readonly HashSet<string> AzureOnly =
    [
        "AzureWebJobsStorage__accountName",
        "AzureWebJobsStorage__credential",
        "AzureWebJobsStorage__clientId",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
    ];

    /// <summary>Endings of setting names that hold credentials; in Azure each is empty or a Key Vault reference.</summary>
    private static readonly string[] SecretSuffixes = ["Key", "KeyId", "Secret", "Password", "ConnectionString", "Token"];

    private IReadOnlyDictionary<string, string> Settings => FunctionAppSettings.FromTemplate(compiled.Template);

    [Fact]
    public void SampleKeys_AfterFlexConsumptionExceptions_AreAllSetByBicep()
    {
        // Arrange
        var expected = FunctionAppSettings.SampleKeys().Except(LocalOnly);

        // Act
        var missing = expected.Where(key => !Settings.ContainsKey(key)).Order(StringComparer.Ordinal).ToList();

        // Assert
        Assert.True(missing.Count == 0, $"Set in local.settings.sample.json but not by infra/app/api.bicep: {string.Join(", ", missing)}");
    }

    [Fact]
    public void BicepKeys_AfterAzureOnlySettings_AllAppearInSample()
    {
        // Arrange
        var sample = FunctionAppSettings.SampleKeys();

        // Act
        var extra = Settings.Keys.Except(AzureOnly).Where(key => !sample.Contains(key)).Order(StringComparer.Ordinal).ToList();

        // Assert
        Assert.True(extra.Count == 0, $"Set by Bicep but missing from local.settings.sample.json: {string.Join(", ", extra)}");
    }

    [Fact]
    public void LocalOnlyKeys_InTemplate_AreAbsent()
    {
        // Act
        var present = LocalOnly.Where(Settings.ContainsKey).ToList();

        // Assert
        Assert.Empty(present);
    }

    [Fact]
    public void Values_Everywhere_HoldNoStorageKeyOrSharedAccessSignature()
    {
        // Arrange
        string[] forbidden = ["AccountKey=", "accesskey=", "SharedAccessSignature=", "UseDevelopmentStorage", "DefaultEndpointsProtocol="];

        // Act
        var offending = Settings
            .Where(setting => forbidden.Any(marker => setting.Value.Contains(marker, StringComparison.OrdinalIgnoreCase)))
            .Select(setting => setting.Key)
            .ToList();

        // Assert
        Assert.Empty(offending);
    }

    [Fact]
    public void SecretSettings_InTemplate_AreEmptyOrKeyVaultReferences()
    {
        // Arrange: a secret is allowed only as '' or as an expression building @Microsoft.KeyVault(SecretUri=...).
        var secretSettings = Settings.Where(setting =>
            SecretSuffixes.Any(suffix => LastSegment(setting.Key).EndsWith(suffix, StringComparison.Ordinal)));

        // Act
        var literal = secretSettings
            .Where(setting => setting.Value.Length > 0 && !setting.Value.Contains("@Microsoft.KeyVault(SecretUri=", StringComparison.Ordinal))
            .Select(setting => $"{setting.Key} = {setting.Value}")
            .ToList();

        // Assert
        Assert.Contains(secretSettings, setting => setting.Key == "Comms__Security__PlatformAdminKey");
        Assert.Empty(literal);
    }

    [Fact]
    public void PlatformAdminKey_InTemplate_IsAlwaysAKeyVaultReference()
    {
        // Act
        var value = Settings["Comms__Security__PlatformAdminKey"];

        // Assert: not conditional; the app refuses to start without it.
        Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri=", value, StringComparison.Ordinal);
    }

    [Fact]
    public void HostStorage_InTemplate_UsesManagedIdentity()
    {
        // Act
        var settings = Settings;

        // Assert
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.NotEmpty(settings["AzureWebJobsStorage__accountName"]);
        Assert.NotEmpty(settings["AzureWebJobsStorage__clientId"]);
        Assert.Equal(string.Empty, settings["Comms__Storage__ConnectionString"]);
        Assert.NotEmpty(settings["Comms__Storage__TableServiceUri"]);
        Assert.NotEmpty(settings["Comms__Storage__ManagedIdentityClientId"]);
    }

    [Fact]
    public void ApplicationInsights_InTemplate_AuthenticatesWithEntraId()
    {
        // Act
        var authentication = Settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"];

        // Assert
        Assert.Contains("ClientId=", authentication, StringComparison.Ordinal);
        Assert.Contains("Authorization=AAD", authentication, StringComparison.Ordinal);
    }

    [Fact]
    public void AcsSettings_InTemplate_UseEndpointAndIdentityNotConnectionString()
    {
        // Act
        var settings = Settings;

        // Assert
        Assert.Equal(string.Empty, settings["Comms__Email__Acs__ConnectionString"]);
        Assert.NotEmpty(settings["Comms__Email__Acs__Endpoint"]);
        Assert.NotEmpty(settings["Comms__Email__Acs__ManagedIdentityClientId"]);
    }

    private static string LastSegment(string key)
    {
        var separator = key.LastIndexOf("__", StringComparison.Ordinal);
        return separator < 0 ? key : key[(separator + 2)..];
    }
}
