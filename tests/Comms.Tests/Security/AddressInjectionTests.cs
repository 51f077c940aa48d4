using Comms.Contacts;
using Comms.EmailLog;
using Comms.Libraries;
using Comms.Notices;
using Comms.Scenarios;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Comms.Tests.Security;

/// <summary>
/// Addresses are patron and supplier data too. A stored one that carries a header or a second address is
/// refused as invalid for that recipient, and nothing is written for it. The services refuse such addresses,
/// so they are put straight into the stores, as a row written before a rule existed would be.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class AddressInjectionTests(EmulatorFixture emulators)
{
    [Theory]
    [InlineData("p1@pupils.example.org\r\nBcc: thief@evil.example")]
    [InlineData("p1@pupils.example.org\nSubject: spoofed")]
    [InlineData("p1@pupils.example.org, thief@evil.example")]
    [InlineData("Ann <p1@pupils.example.org>")]
    public async Task Dispatch_StoredAddressCarryingAHeaderOrASecondAddress_IsInvalidAndNothingIsWritten(string address)
    {
        string outbox = null!;
        await using var services = TestServices.Create(emulators, s => outbox = s["Comms:Email:Pickup:Directory"]!);
        await services.GetRequiredService<LibraryService>().CreateAsync(Samples.Library("lib"));
        await services.GetRequiredService<PatronStore>().UpsertAsync("lib", Samples.Patron("p1") with { Contacts = [new Contact { Role = ContactRole.Patron, Name = "Ann", Email = address }] });
        await services.GetRequiredService<SupplierStore>().UpsertAsync("lib", Samples.Supplier("s1") with { OrderEmails = [address] });
        var dispatcher = services.GetRequiredService<INoticeDispatcher>();
        var today = new DateOnly(2026, 11, 21);

        var overdue = await dispatcher.DispatchAsync(new NoticeRequest
        {
            LibraryId = "lib",
            Scenario = new ScenarioKey(Scenario.Overdue),
            SubjectRecordId = "loan-1",
            ScheduledFor = today,
            PatronId = "p1",
            Loans = [new LoanFact("loan-1", "Dune", null, null, DateTimeOffset.UtcNow.AddDays(-3))],
        });
        var order = await dispatcher.DispatchAsync(new NoticeRequest
        {
            LibraryId = "lib",
            Scenario = new ScenarioKey(Scenario.SupplierOrder),
            SubjectRecordId = "PO-1",
            ScheduledFor = today,
            SupplierId = "s1",
            Order = new OrderFact("PO-1", [new OrderLineFact("Holes", null, 1, 7.99m)], "GBP", "1 High St", null),
        });

        Assert.Equal(1, overdue.Suppressed);
        Assert.Equal((0, 1), (order.Sent, order.Suppressed));
        Assert.False(Directory.Exists(outbox) && Directory.EnumerateFiles(outbox).Any());
        var log = await services.GetRequiredService<EmailLogStore>().QueryAsync("lib", new EmailLogQuery { PageSize = 10 });
        Assert.Equal([EmailStatus.InvalidAddress, EmailStatus.InvalidAddress], log.Items.Where(e => e.Channel == Comms.Delivery.NoticeChannel.Email).Select(e => e.Status));

        // Overdue is mandatory, so the reader the email could not reach is printed (no number for SMS); the page is
        // addressed by post, never to the stored address.
        var print = Assert.Single(log.Items, e => e.Channel == Comms.Delivery.NoticeChannel.Print);
        Assert.Equal(EmailStatus.Queued, print.Status);
        Assert.Null(print.Address);
    }
}
