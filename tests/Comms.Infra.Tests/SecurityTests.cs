using System.Text.Json.Nodes;
using Comms.Infra.Tests.Infrastructure;

namespace Comms.Infra.Tests;

[Collection(CompiledMainTemplateCollection.Name)]
public sealed class SecurityTests(CompiledMainTemplate compiled)
{
    /// <summary>Built-in roles the deployment must grant, by role definition id.</summary>
    public static TheoryData<string, string> RequiredRoles => new()
    {
        { "Storage Blob Data Owner", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b" },
        { "Storage Queue Data Contributor", "974c5e8b-45b9-4653-ba55-5f855dd0fb88" },
        { "Storage Table Data Contributor", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3" },
        { "Storage Queue Data Message Sender", "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a" },
        { "Key Vault Secrets User", "4633458b-17de-408a-b874-0445c86b69e6" },
        { "Monitoring Metrics Publisher", "3913510d-42f4-4e42-8a64-420c390055eb" },
        { "Communication and Email Service Owner", "09976791-48a7-449e-bb21-39d1a415f350" },
    };

    [Fact]
    public void StorageAccount_Properties_RefuseSharedKeysAndOldTls()
    {
        // Act
        var storage = ArmTemplate.Single(compiled.Template, "Microsoft.Storage/storageAccounts").Properties;

        // Assert
        Assert.False((bool?)storage["allowSharedKeyAccess"]);
        Assert.False((bool?)storage["allowBlobPublicAccess"]);
        Assert.True((bool?)storage["supportsHttpsTrafficOnly"]);
        Assert.Equal("TLS1_2", (string?)storage["minimumTlsVersion"]);
    }

    [Fact]
    public void StorageAccount_Children_IncludeDeploymentContainerAndEventQueues()
    {
        // Act
        var containers = ArmTemplate.OfType(compiled.Template, "Microsoft.Storage/storageAccounts/blobServices/containers");
        var queues = ArmTemplate.OfType(compiled.Template, "Microsoft.Storage/storageAccounts/queueServices/queues");
        var tableServices = ArmTemplate.OfType(compiled.Template, "Microsoft.Storage/storageAccounts/tableServices");

        // Assert
        Assert.Single(containers);
        Assert.Equal(2, queues.Count);
        Assert.Single(tableServices);
        Assert.Contains("email-delivery-events", compiled.Template["variables"]?.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("sms-inbound-events", compiled.Template["variables"]?.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void RoleAssignments_Names_AreGuids()
    {
        // Act
        var names = ArmTemplate.OfType(compiled.Template, "Microsoft.Authorization/roleAssignments").Select(role => role.Name).ToList();

        // Assert: guid(scope, principal, role) keeps names stable across redeploys and unique per grant.
        Assert.NotEmpty(names);
        Assert.All(names, name => Assert.StartsWith("[guid(", name, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(RequiredRoles))]
    public void RoleAssignments_RequiredRole_IsGranted(string roleName, string roleDefinitionId)
    {
        // Act
        var granted = ArmTemplate.OfType(compiled.Template, "Microsoft.Authorization/roleAssignments")
            .Select(role => role.ResolveVariableReference((string?)role.Properties["roleDefinitionId"]))
            .ToList();

        // Assert
        Assert.True(granted.Any(id => id.Contains(roleDefinitionId, StringComparison.OrdinalIgnoreCase)), $"{roleName} is not granted.");
    }

    [Fact]
    public void ApplicationInsights_LocalAuth_IsDisabled()
    {
        // Act
        var insights = ArmTemplate.Single(compiled.Template, "Microsoft.Insights/components").Properties;

        // Assert: ARM spells it DisableLocalAuth; read it regardless of case.
        var disableLocalAuth = insights.FirstOrDefault(pair => pair.Key.Equals("disableLocalAuth", StringComparison.OrdinalIgnoreCase)).Value;
        Assert.True((bool?)disableLocalAuth);
    }

    [Fact]
    public void KeyVault_Authorization_UsesRbac()
    {
        // Act
        var vault = ArmTemplate.Single(compiled.Template, "Microsoft.KeyVault/vaults").Properties;

        // Assert
        Assert.True((bool?)vault["enableRbacAuthorization"]);
    }

    [Fact]
    public void KeyVault_SesSecrets_AreWrittenOnlyWhenGiven()
    {
        // Act
        var secrets = ArmTemplate.OfType(compiled.Template, "Microsoft.KeyVault/vaults/secrets");
        var conditional = secrets.Where(secret => secret.Resource["condition"] is not null).ToList();

        // Assert: the admin key, the outbox protection key and the unsubscribe link key always; each SES secret only
        // when passed, so a redeploy never blanks one.
        Assert.Equal(5, secrets.Count);
        Assert.Equal(2, conditional.Count);
    }

    [Fact]
    public void CommunicationServices_LocalAuth_IsDisabled()
    {
        // Act
        var acs = ArmTemplate.Single(compiled.Template, "Microsoft.Communication/communicationServices").Properties;

        // Assert
        Assert.True((bool?)acs["disableLocalAuth"]);
        // linkedDomains is an expression (the custom domain joins once verified); it always starts with the managed one.
        Assert.Contains("AzureManagedDomain", acs["linkedDomains"]?.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void EmailDomains_Management_AzureManagedAlwaysCustomOnlyWhenNamed()
    {
        // Act
        var domains = ArmTemplate.OfType(compiled.Template, "Microsoft.Communication/emailServices/domains");
        var managed = domains.Where(domain => (string?)domain.Properties["domainManagement"] == "AzureManaged").ToList();
        var custom = domains.Where(domain => (string?)domain.Properties["domainManagement"] == "CustomerManaged").ToList();

        // Assert
        Assert.Single(managed);
        Assert.Null(managed[0].Resource["condition"]);
        Assert.Single(custom);
        Assert.NotNull(custom[0].Resource["condition"]);
    }

    [Fact]
    public void EventSubscriptions_Destinations_AreStorageQueuesWithTopicIdentity()
    {
        // Act: the email delivery reports, and the SMS number's replies (STOP) and delivery reports, each into its own queue.
        var subscriptions = ArmTemplate.OfType(compiled.Template, "Microsoft.EventGrid/systemTopics/eventSubscriptions").Select(s => s.Properties).ToList();
        var eventTypes = subscriptions.Select(s => s["filter"]?["includedEventTypes"]?.ToJsonString()).ToList();

        // Assert
        Assert.Equal(2, subscriptions.Count);
        Assert.Contains(eventTypes, t => t!.Contains("Microsoft.Communication.EmailDeliveryReportReceived", StringComparison.Ordinal));
        Assert.Contains(eventTypes, t => t!.Contains("Microsoft.Communication.SMSReceived", StringComparison.Ordinal)
            && t.Contains("Microsoft.Communication.SMSDeliveryReportReceived", StringComparison.Ordinal));
        Assert.All(subscriptions, subscription =>
        {
            var delivery = subscription["deliveryWithResourceIdentity"] as JsonObject;
            Assert.NotNull(delivery);
            Assert.Equal("SystemAssigned", (string?)delivery["identity"]?["type"]);
            Assert.Equal("StorageQueue", (string?)delivery["destination"]?["endpointType"]);
            Assert.NotNull(delivery["destination"]?["properties"]?["queueName"]);
        });
    }
}
