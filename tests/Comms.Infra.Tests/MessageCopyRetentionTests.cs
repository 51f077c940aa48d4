using Comms.Infra.Tests.Infrastructure;

namespace Comms.Infra.Tests;

/// <summary>
/// Redacted message copies expire in Azure by a storage lifecycle rule, and the app's daily purge deletes the same
/// blobs by the app setting: both must name the app's container and the same number of days (docs/message-copies.md).
/// </summary>
[Collection(CompiledMainTemplateCollection.Name)]
public sealed class MessageCopyRetentionTests(CompiledMainTemplate compiled)
{
    /// <summary>MessageCopyStore.ContainerName("Comms"): the app's default table prefix, lower-cased.</summary>
    private const string Container = "comms-message-copies";

    [Fact]
    public void LifecycleRule_MessageCopies_DeletesBlobsOfTheAppContainerByModificationAge()
    {
        // Act
        var policy = Assert.Single(ArmTemplate.OfType(compiled.Template, "Microsoft.Storage/storageAccounts/managementPolicies"));
        var rule = Assert.Single(policy.Properties["policy"]!["rules"]!.AsArray())!;
        var definition = rule["definition"]!;

        // Assert
        Assert.True((bool?)rule["enabled"]);
        Assert.Equal("Lifecycle", (string?)rule["type"]);
        Assert.Contains("blockBlob", definition["filters"]!["blobTypes"]!.AsArray().Select(n => (string?)n));
        var prefix = (string?)definition["filters"]!["prefixMatch"]![0];
        Assert.NotNull(prefix);
        Assert.Contains("messageCopiesContainerName", prefix, StringComparison.Ordinal);
        Assert.Equal(Container, (string?)policy.DeclaringTemplate["parameters"]!["messageCopiesContainerName"]!["defaultValue"]);
        Assert.Contains("messageCopyDays", (string?)definition["actions"]!["baseBlob"]!["delete"]!["daysAfterModificationGreaterThan"], StringComparison.Ordinal);
    }

    [Fact]
    public void AzdUp_MessageCopyDays_DefaultsTo30InTheAppAndTheRule()
    {
        // Arrange
        var environment = AzdDeployment.NewEnvironment();

        // Act
        var settings = AzdDeployment.AppSettings(compiled.Template, environment);
        var storageModule = ArmTemplate.AllResources(compiled.Template)
            .Single(r => r.Type == "Microsoft.Resources/deployments" && r.Name == "storage");
        var passed = storageModule.Properties["parameters"]!["messageCopyDays"]!["value"];

        // Assert: the module gets main's parameter, whose default is the app setting's.
        Assert.Equal("30", settings["Comms__Retention__MessageCopyDays"]);
        Assert.Equal("[parameters('messageCopyDays')]", (string?)passed);
        Assert.Equal(30, (int?)compiled.Template["parameters"]!["messageCopyDays"]!["defaultValue"]);
    }
}
