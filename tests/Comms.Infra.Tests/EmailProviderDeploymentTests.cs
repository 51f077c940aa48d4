using System.Diagnostics;
using System.Text.Json.Nodes;
using Comms.Infra.Tests.Infrastructure;

namespace Comms.Infra.Tests;

/// <summary>
/// What `azd up` gives the app for each provider choice, evaluated offline from the compiled Bicep and
/// infra/main.parameters.json. A deployment the app cannot start with (SES without a verified sender) must
/// stop with a message saying what to set, both in the preprovision hook and in the template itself.
/// </summary>
[Collection(CompiledMainTemplateCollection.Name)]
public sealed class EmailProviderDeploymentTests(CompiledMainTemplate compiled)
{
    public static TheoryData<string, string> SesWithoutSender => new()
    {
        { "Ses", "" },
        { "Acs", "Ses" },
        { "Ses", "Acs" },
    };

    [Theory]
    [MemberData(nameof(SesWithoutSender))]
    public void AzdUp_SesWithoutPlatformSender_TemplateFailsNamingTheSetting(string provider, string failover)
    {
        // Arrange
        var environment = Environment(provider, failover, sender: null);

        // Act
        var failure = Assert.Throws<ArmFailException>(() => AzdDeployment.AppSettings(compiled.Template, environment));

        // Assert
        Assert.Contains("azd env set EMAIL_PLATFORM_SENDER", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SesWithoutSender))]
    public void PreprovisionHook_SesWithoutPlatformSender_RefusesNamingTheSetting(string provider, string failover)
    {
        // Act
        var (exitCode, error) = RunHook(Environment(provider, failover, sender: null));

        // Assert
        Assert.Equal(1, exitCode);
        Assert.Contains("azd env set EMAIL_PLATFORM_SENDER", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Acs", "", null)]
    [InlineData("Ses", "", "notices@mail.example.org")]
    [InlineData("Ses", "Acs", "notices@mail.example.org")]
    [InlineData("Acs", "Ses", "notices@mail.example.org")]
    public void PreprovisionHook_WorkingChoice_Passes(string provider, string failover, string? sender)
    {
        // Act
        var (exitCode, error) = RunHook(Environment(provider, failover, sender));

        // Assert
        Assert.True(exitCode == 0, error);
    }

    [Fact]
    public void PreprovisionHook_IsDeclaredInAzureYaml()
    {
        // Act
        var azureYaml = File.ReadAllText(RepositoryRoot.File("azure.yaml"));

        // Assert
        Assert.Contains("preprovision:", azureYaml, StringComparison.Ordinal);
        Assert.Contains("./infra/hooks/check-email-settings.sh", azureYaml, StringComparison.Ordinal);
    }

    [Fact]
    public void AzdUp_AcsAlone_SendsFromTheManagedDomainWithNoSeparateAcsSender()
    {
        // Act
        var settings = AzdDeployment.AppSettings(compiled.Template, Environment("Acs", "", sender: null));

        // Assert: DoNotReply@ the managed domain, which only Azure knows; no SES anywhere.
        Assert.IsType<ArmUnknown>(settings["Comms__Email__PlatformSender"]);
        Assert.Equal(string.Empty, settings["Comms__Email__Acs__Sender"]);
        Assert.Equal(string.Empty, settings["Comms__Email__Ses__AccessKeyId"]);
        Assert.Equal("False", settings["Comms__Suppression__Ses__Enabled"]);
    }

    [Fact]
    public void AzdUp_SesAlone_SendsFromTheGivenSenderWithoutAcs()
    {
        // Act
        var settings = AzdDeployment.AppSettings(compiled.Template, Environment("Ses", "", "notices@mail.example.org"));

        // Assert
        Assert.Equal("notices@mail.example.org", settings["Comms__Email__PlatformSender"]);
        Assert.Equal(string.Empty, settings["Comms__Email__Acs__Endpoint"]);
        Assert.Equal(string.Empty, settings["Comms__Email__Acs__Sender"]);
        // A Key Vault reference built from the vault's URI, which only Azure knows (never empty with SES).
        Assert.IsType<ArmUnknown>(settings["Comms__Email__Ses__SecretAccessKey"]);
    }

    [Theory]
    [InlineData("Ses", "Acs")]
    [InlineData("Acs", "Ses")]
    public void AzdUp_SesPairedWithAcs_EachProviderHasASenderItCanSendFrom(string provider, string failover)
    {
        // Act
        var settings = AzdDeployment.AppSettings(compiled.Template, Environment(provider, failover, "notices@mail.example.org"));

        // Assert: SES sends from the verified sender, ACS from DoNotReply@ its managed domain (known in Azure).
        Assert.Equal("notices@mail.example.org", settings["Comms__Email__PlatformSender"]);
        Assert.IsType<ArmUnknown>(settings["Comms__Email__Acs__Sender"]);
    }

    [Fact]
    public void AzdUp_PairedWithAnAcsSenderSet_UsesIt()
    {
        // Arrange
        var environment = Environment("Ses", "Acs", "notices@mail.example.org");
        environment["EMAIL_ACS_SENDER"] = "notices@acs.example.org";

        // Act
        var settings = AzdDeployment.AppSettings(compiled.Template, environment);

        // Assert
        Assert.Equal("notices@acs.example.org", settings["Comms__Email__Acs__Sender"]);
    }

    [Fact]
    public void AzdUp_SuppressionListsAndTopicArns_ComeFromTheAzdEnvironment()
    {
        // Arrange: a portal edit would be wiped by the next `azd provision`, so they must be azd values.
        var environment = Environment("Ses", "Acs", "notices@mail.example.org");
        environment["ACS_SUPPRESSION_LISTS"] = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Communication/emailServices/e/domains/d/suppressionLists/l";
        environment["SES_NOTIFICATION_TOPIC_ARNS"] = "arn:aws:sns:eu-west-1:123456789012:ses-bounces";

        // Act
        var settings = AzdDeployment.AppSettings(compiled.Template, environment);

        // Assert
        Assert.Equal(environment["ACS_SUPPRESSION_LISTS"], settings["Comms__Suppression__Acs__SuppressionLists"]);
        Assert.Equal(environment["SES_NOTIFICATION_TOPIC_ARNS"], settings["Comms__Suppression__Sns__TopicArns"]);
    }

    [Fact]
    public void EmailService_SuppressionLists_AppIdentityMayReadAndRemoveOnlyThere()
    {
        // Arrange
        var roleDefinition = ArmTemplate.Single(compiled.Template, "Microsoft.Authorization/roleDefinitions");
        var actions = (roleDefinition.Properties["permissions"]?[0]?["actions"] as JsonArray ?? []).Select(action => (string?)action).ToList();
        var assignment = ArmTemplate.OfType(compiled.Template, "Microsoft.Authorization/roleAssignments")
            .Single(role => ((string?)role.Properties["roleDefinitionId"] ?? string.Empty).Contains("roleDefinitions", StringComparison.Ordinal)
                && ((string?)role.Resource["scope"] ?? string.Empty).Contains("emailServices", StringComparison.OrdinalIgnoreCase)
                && !((string?)role.Properties["roleDefinitionId"] ?? string.Empty).Contains("subscriptionResourceId", StringComparison.Ordinal));

        // Assert: reads and deletes addresses on suppression lists, nothing that sends, writes or deletes a list.
        Assert.Contains("Microsoft.Communication/EmailServices/Domains/SuppressionLists/SuppressionListAddresses/read", actions);
        Assert.Contains("Microsoft.Communication/EmailServices/Domains/SuppressionLists/SuppressionListAddresses/delete", actions);
        Assert.DoesNotContain(actions, action => action!.EndsWith("/write", StringComparison.OrdinalIgnoreCase) || action == "*");
        Assert.DoesNotContain(actions, action => action!.EndsWith("SuppressionLists/delete", StringComparison.OrdinalIgnoreCase));
        Assert.NotNull(assignment);
    }

    private static Dictionary<string, string> Environment(string provider, string failover, string? sender)
    {
        var environment = AzdDeployment.NewEnvironment();
        environment["EMAIL_PROVIDER"] = provider;
        environment["EMAIL_FAILOVER_PROVIDER"] = failover;
        if (sender is not null)
        {
            environment["EMAIL_PLATFORM_SENDER"] = sender;
        }

        return environment;
    }

    private static (int ExitCode, string Error) RunHook(IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("sh") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = RepositoryRoot.Path };
        start.ArgumentList.Add(RepositoryRoot.File("infra", "hooks", "check-email-settings.sh"));
        foreach (var name in new[] { "EMAIL_PROVIDER", "EMAIL_FAILOVER_PROVIDER", "EMAIL_PLATFORM_SENDER" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error.GetAwaiter().GetResult());
    }
}
