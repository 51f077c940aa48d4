using System.Net;
using Comms.Delivery;
using Comms.EmailLog;
using Comms.Tests.Delivery;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Comms.Tests.Delivery.DeliveryTestServices;

namespace Comms.Tests.Health;

/// <summary>
/// A Key Vault reference App Service could not resolve reaches the app as its own text. It must be named in
/// /api/health, and never used: not to sign an SES request, not as the admin key.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class UnresolvedSecretTests(EmulatorFixture emulators)
{
    private const string SecretReference = "@Microsoft.KeyVault(SecretUri=https://kv-abc123.vault.azure.net/secrets/ses-secret-access-key)";
    private const string AdminKeyReference = "@Microsoft.KeyVault(SecretUri=https://kv-abc123.vault.azure.net/secrets/platform-admin-key)";

    [Fact]
    public async Task Health_EverySettingResolved_Is200Healthy()
    {
        // Arrange
        await using var host = await DevHostServer.StartAsync(emulators);

        // Act
        using var response = await host.Client.GetAsync(new Uri("/api/health", UriKind.Relative));

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", (string?)(await response.JsonAsync())["status"]);
    }

    [Fact]
    public async Task Health_UnresolvedSesSecret_Is503NamingTheSettingWithoutItsValue()
    {
        // Arrange
        await using var host = await DevHostServer.StartAsync(emulators, s =>
        {
            s["Comms:Email:Ses:AccessKeyId"] = "AKIAEXAMPLE";
            s["Comms:Email:Ses:SecretAccessKey"] = SecretReference;
        });

        // Act
        using var response = await host.Client.GetAsync(new Uri("/api/health", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        // Assert
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("Comms__Email__Ses__SecretAccessKey", body, StringComparison.Ordinal);
        Assert.DoesNotContain("kv-abc123", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminCall_AdminKeyIsAnUnresolvedReference_TheReferenceTextIsRefused()
    {
        // Arrange: the reference text is guessable from the Bicep; it must not open the admin API.
        await using var host = await DevHostServer.StartAsync(emulators, s => s["Comms:Security:PlatformAdminKey"] = AdminKeyReference);

        // Act
        using var response = await host.Client.SendAsync(ApiClient.Request(HttpMethod.Post, "/api/libraries", Samples.Library(Unique("kv")), adminKey: AdminKeyReference));

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task SendAsync_SesSecretIsAnUnresolvedReference_NothingReachesSesAndTheLogNamesTheSetting()
    {
        // Arrange
        await using var services = Create(emulators, s =>
        {
            s["Comms:Email:Provider"] = "Ses";
            s["Comms:Email:Ses:AccessKeyId"] = "AKIAEXAMPLE";
            s["Comms:Email:Ses:SecretAccessKey"] = SecretReference;
        });
        var lib = Unique("kvses");
        await CreateLibraryAsync(services, lib);
        var loan = Unique("loan");

        // Act
        var result = await services.GetRequiredService<NoticeSender>().SendAsync(Notice(lib, loan, new NoticeRecipient("Ann", "ann@example.org")));

        // Assert
        var outcome = Assert.Single(result.Recipients);
        Assert.Equal(EmailStatus.Failed, outcome.Status);
        Assert.Contains("Comms__Email__Ses__SecretAccessKey is an unresolved Key Vault reference", outcome.Reason, StringComparison.Ordinal);
        Assert.Empty(await SesStore.EmailsAsync(emulators.SesEndpoint, e => e.Subject == $"Overdue: {loan}"));
    }
}
