using System.Text.Json.Nodes;
using Comms.Infra.Tests.Infrastructure;

namespace Comms.Infra.Tests;

[Collection(CompiledMainTemplateCollection.Name)]
public sealed class FunctionAppTests(CompiledMainTemplate compiled)
{
    private JsonObject Site => ArmTemplate.Single(compiled.Template, "Microsoft.Web/sites").Properties;

    [Fact]
    public void Plan_Sku_IsFlexConsumption()
    {
        // Act
        var plan = ArmTemplate.Single(compiled.Template, "Microsoft.Web/serverfarms").Resource;

        // Assert
        Assert.Equal("FC1", (string?)plan["sku"]?["name"]);
        Assert.Equal("FlexConsumption", (string?)plan["sku"]?["tier"]);
    }

    [Fact]
    public void Site_Transport_IsHttpsOnlyWithTls12()
    {
        // Act
        var site = Site;

        // Assert
        Assert.True((bool?)site["httpsOnly"]);
        Assert.Equal("1.2", (string?)site["siteConfig"]?["minTlsVersion"]);
        Assert.Equal("Disabled", (string?)site["siteConfig"]?["ftpsState"]);
    }

    [Fact]
    public void Site_Runtime_IsDotnetIsolated10()
    {
        // Act
        var runtime = Site["functionAppConfig"]?["runtime"];

        // Assert
        Assert.Equal("dotnet-isolated", (string?)runtime?["name"]);
        Assert.Equal("10.0", (string?)runtime?["version"]);
    }

    [Fact]
    public void Site_MaximumInstanceCount_ComesFromParameter()
    {
        // Act
        var maximum = (string?)Site["functionAppConfig"]?["scaleAndConcurrency"]?["maximumInstanceCount"];

        // Assert
        Assert.Equal("[parameters('maximumInstanceCount')]", maximum);
        Assert.NotNull(compiled.Template["parameters"]?["maximumInstanceCount"]);
    }

    [Fact]
    public void Site_DeploymentStorage_AuthenticatesWithUserAssignedIdentity()
    {
        // Act
        var storage = Site["functionAppConfig"]?["deployment"]?["storage"];

        // Assert
        Assert.Equal("blobContainer", (string?)storage?["type"]);
        Assert.Equal("UserAssignedIdentity", (string?)storage?["authentication"]?["type"]);
        Assert.NotNull(storage?["authentication"]?["userAssignedIdentityResourceId"]);
    }

    [Fact]
    public void Site_Identity_IsUserAssignedAndResolvesKeyVaultReferences()
    {
        // Act
        var site = ArmTemplate.Single(compiled.Template, "Microsoft.Web/sites");

        // Assert
        Assert.Equal("UserAssigned", (string?)site.Resource["identity"]?["type"]);
        Assert.NotNull(site.Properties["keyVaultReferenceIdentity"]);
    }

    [Fact]
    public void Site_Tags_NameTheAzdService()
    {
        // Act
        var tags = ArmTemplate.Single(compiled.Template, "Microsoft.Web/sites").Resource["tags"]?.ToJsonString();

        // Assert: azd deploy finds the app through this tag.
        Assert.Contains("azd-service-name", tags, StringComparison.Ordinal);
    }

    [Fact]
    public void BasicPublishingCredentials_FtpAndScm_AreDisallowed()
    {
        // Act
        var policies = ArmTemplate.OfType(compiled.Template, "Microsoft.Web/sites/basicPublishingCredentialsPolicies");

        // Assert
        Assert.Equal(2, policies.Count);
        Assert.All(policies, policy => Assert.False((bool?)policy.Properties["allow"]));
    }
}
