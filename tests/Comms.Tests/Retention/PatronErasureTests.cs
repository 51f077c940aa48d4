using System.Net;
using System.Text.Json;
using Comms.Accounts;
using Comms.Common;
using Comms.Contacts;
using Comms.EmailLog;
using Comms.Circulation;
using Comms.Storage;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Comms.Tests.Infrastructure.ApiClient;
using static Comms.Tests.Retention.RetentionTestData;

namespace Comms.Tests.Retention;

/// <summary>DELETE /libraries/{id}/patrons/{patronId} erases the patron from the email log and loan history.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class PatronErasureTests(EmulatorFixture emulators) : IAsyncLifetime
{
    private const string Parent = "parent.p1@home.example.org";

    private DevHostServer _host = null!;
    private string _key = null!;

    public async Task InitializeAsync()
    {
        _host = await DevHostServer.StartAsync(emulators);
        _key = await _host.Client.CreateLibraryAsync("lib");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task DeletePatron_WithLogRows_ErasesTheirRecipientsAndTextAndKeepsTheStatusRows()
    {
        // Arrange: p2 is p1's sibling with the same parent; "lib-b" has a patron p1 of its own.
        await PutPatronsAsync();
        var own = LogEntry("lib", Now, patronId: "p1", address: "p1@pupils.example.org");
        var toParent = LogEntry("lib", Now, providerMessageId: "msg-parent", patronId: "p1", address: Parent);
        var sibling = LogEntry("lib", Now, patronId: "p2", address: Parent);
        var otherLibrary = LogEntry("lib-b", Now, patronId: "p1", address: "p1@pupils.example.org");
        var log = _host.Services.GetRequiredService<EmailLogStore>();
        await log.AppendManyAsync([own, toParent, sibling, otherLibrary]);
        var legacy = LogEntry("lib", Now, patronId: "p1", address: "p1@pupils.example.org");
        await AppendWithoutPatronColumnAsync(legacy);

        // Act
        using var response = await Send(HttpMethod.Delete, "/api/libraries/lib/patrons/p1");

        // Assert
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var rows = (await log.QueryAsync("lib", new EmailLogQuery())).Items.ToDictionary(e => e.NoticeId);
        foreach (var erased in new[] { own, toParent, legacy }.Select(e => rows[e.NoticeId]))
        {
            Assert.Equal((null, null, null, null), (erased.Address, erased.RecipientName, erased.Subject, erased.Preview));
            Assert.NotNull(erased.ErasedAt);
            Assert.Equal("p1", erased.PatronId);
        }

        Assert.Equal(EmailStatus.Failed, rows[own.NoticeId].Status);
        Assert.Equal("550 [address]: mailbox unavailable", rows[own.NoticeId].Reason);
        Assert.Equal(sibling, rows[sibling.NoticeId]);
        Assert.Equal([otherLibrary], (await log.QueryAsync("lib-b", new EmailLogQuery())).Items);
        Assert.Empty((await log.QueryAsync("lib", new EmailLogQuery { Address = "p1@pupils.example.org" })).Items);
        using var get = await Send(HttpMethod.Get, "/api/libraries/lib/patrons/p1");
        await get.AssertProblemAsync(404);
    }

    [Fact]
    public async Task DeletePatron_ThenADeliveryReport_UpdatesTheStatusAndTheRowStaysErased()
    {
        // Arrange
        await PutPatronsAsync();
        var log = _host.Services.GetRequiredService<EmailLogStore>();
        var sent = LogEntry("lib", Now, providerMessageId: "msg-1", patronId: "p1", address: Parent);
        await log.AppendManyAsync([sent]);
        using var deleted = await Send(HttpMethod.Delete, "/api/libraries/lib/patrons/p1");

        // Act
        var updated = await log.UpdateByMessageIdAsync("msg-1", Parent, EmailStatus.Bounced, "550 parent.p1@home.example.org unknown");
        var again = await _host.Services.GetRequiredService<EmailLogRetention>().ErasePatronAsync("lib", "p1", [Parent], Now);

        // Assert: the erased row has no address to match the report's on, so the message id alone finds it.
        var row = Assert.Single((await log.QueryAsync("lib", new EmailLogQuery())).Items);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(1, updated);
        Assert.Equal((EmailStatus.Bounced, (string?)null, "550 [address] unknown"), (row.Status, row.Address, row.Reason));
        Assert.NotNull(row.ErasedAt);
        Assert.Equal(0, again);
    }

    [Fact]
    public async Task DeletePatron_WithLoansAndAResetWindow_DeletesReturnedLoansAndTheWindowAndKeepsLoansStillOut()
    {
        // Arrange
        await PutPatronsAsync();
        var loans = _host.Services.GetRequiredService<LoanStore>();
        await loans.TryInsertAsync(Loan("lib", "returned", "p1", Now.AddDays(-3)));
        await loans.TryInsertAsync(Loan("lib", "still-out", "p1", returnedAt: null));
        await loans.TryInsertAsync(Loan("lib", "siblings", "p2", Now.AddDays(-3)));
        await _host.Services.GetRequiredService<PasswordResetThrottle>().AcquireAsync("lib", "p1");

        // Act
        using var response = await Send(HttpMethod.Delete, "/api/libraries/lib/patrons/p1");

        // Assert
        var tables = _host.Services.GetRequiredService<CommsTables>();
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Null(await loans.GetAsync("lib", "returned"));
        Assert.NotNull(await loans.GetAsync("lib", "still-out"));
        Assert.NotNull(await loans.GetAsync("lib", "siblings"));
        Assert.Equal(1, await CountAsync(tables, "PatronLoans", InPartition("lib|p1")));
        Assert.Equal(0, await CountAsync(tables, "PasswordResetWindows"));
    }

    private async Task PutPatronsAsync()
    {
        var sibling = Samples.Patron("p2") with
        {
            Contacts = [new Contact { Role = ContactRole.Patron, Name = "Patron p2", Email = "p2@pupils.example.org" }, new Contact { Role = ContactRole.Parent, Name = "Parent", Email = Parent }],
        };
        foreach (var patron in new[] { Samples.Patron("p1"), sibling })
        {
            using var put = await Send(HttpMethod.Put, $"/api/libraries/lib/patrons/{patron.Id}", patron);
            put.EnsureSuccessStatusCode();
        }
    }

    /// <summary>A row as the log wrote it before it had a PatronId column: the patron is only inside the JSON.</summary>
    private async Task AppendWithoutPatronColumnAsync(EmailLogEntry entry)
    {
        var table = await _host.Services.GetRequiredService<CommsTables>().GetAsync(EmailLogStore.TableName);
        await table.AddEntityAsync(new EmailLogRow
        {
            PartitionKey = entry.LibraryId,
            RowKey = entry.Id,
            Status = entry.Status.ToString(),
            Scenario = entry.Scenario,
            AddressKey = EmailLogStore.AddressKey(entry.Address),
            Data = JsonSerializer.Serialize(entry, CommsJson.Options),
        });
    }

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, object? body = null) =>
        _host.Client.SendAsync(Request(method, path, body, libraryKey: _key));
}
