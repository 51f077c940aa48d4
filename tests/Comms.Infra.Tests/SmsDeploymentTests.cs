using Comms.Infra.Tests.Infrastructure;

namespace Comms.Infra.Tests;

/// <summary>
/// The SMS settings `azd up` gives the app: off until a number bought in the portal is set (Bicep cannot buy one), then
/// ACS through the managed identity with that number as the sender; a number without the Communication Service stops
/// the deployment with what to set.
/// </summary>
[Collection(CompiledMainTemplateCollection.Name)]
public sealed class SmsDeploymentTests(CompiledMainTemplate compiled)
{
    [Fact]
    public void AzdUp_NoSmsNumber_SmsProviderIsNone()
    {
        // Arrange
        var environment = AzdDeployment.NewEnvironment();

        // Act
        var settings = AzdDeployment.AppSettings(compiled.Template, environment);

        // Assert
        Assert.Equal("None", settings["Comms__Sms__Provider"]);
        Assert.Equal(string.Empty, settings["Comms__Sms__From"]);
        Assert.Equal("sms-inbound-events", settings["Comms__Sms__InboundQueueName"]);
    }

    [Fact]
    public void AzdUp_SmsNumberSet_AcsWithThatSenderAndTheManagedIdentity()
    {
        // Arrange
        var environment = AzdDeployment.NewEnvironment();
        environment["SMS_SENDER_NUMBER"] = "+18005550100";

        // Act
        var settings = AzdDeployment.AppSettings(compiled.Template, environment);

        // Assert
        Assert.Equal("Acs", settings["Comms__Sms__Provider"]);
        Assert.Equal("+18005550100", settings["Comms__Sms__From"]);
        Assert.Equal(string.Empty, settings["Comms__Sms__Acs__ConnectionString"]);
        Assert.NotEqual(string.Empty, settings["Comms__Sms__Acs__ManagedIdentityClientId"]);
    }

    [Fact]
    public void AzdUp_SmsNumberWithoutAcs_TemplateFailsNamingTheSetting()
    {
        // Arrange
        var environment = AzdDeployment.NewEnvironment();
        environment["EMAIL_PROVIDER"] = "Ses";
        environment["EMAIL_PLATFORM_SENDER"] = "notices@mail.example.org";
        environment["SMS_SENDER_NUMBER"] = "+18005550100";

        // Act
        var failure = Assert.Throws<ArmFailException>(() => AzdDeployment.AppSettings(compiled.Template, environment));

        // Assert
        Assert.Contains("SMS_SENDER_NUMBER", failure.Message, StringComparison.Ordinal);
    }
}
