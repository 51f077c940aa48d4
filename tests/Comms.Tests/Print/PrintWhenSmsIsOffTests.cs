using Comms.Contacts;
using Comms.Delivery;
using Comms.EmailLog;
using Comms.Libraries;
using Comms.Notices;
using Comms.Scenarios;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Comms.Tests.Print;

/// <summary>With SMS off (Comms:Sms:Provider None), the chain's SMS step fails for every reader and print takes them.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class PrintWhenSmsIsOffTests(EmulatorFixture emulators)
{
    [Fact]
    public async Task Dispatch_SmsNotConfigured_SmsRowFailedAndTheReaderPrinted()
    {
        await using var services = TestServices.Create(emulators, s => s["Comms:Sms:Provider"] = "None");
        await services.GetRequiredService<LibraryService>().CreateAsync(Samples.Library("lib"));
        await services.GetRequiredService<PatronStore>().UpsertAsync("lib", new Patron
        {
            Id = "p1",
            Name = "Ada Lovelace",
            Contacts = [new Contact { Role = ContactRole.Patron, Name = "Ada Lovelace", Phone = "+447700900321", PostalAddress = "1 High Street\nLeeds" }],
        });

        var result = await services.GetRequiredService<INoticeDispatcher>().DispatchAsync(new NoticeRequest
        {
            LibraryId = "lib",
            Scenario = new ScenarioKey(Scenario.Overdue),
            SubjectRecordId = "loan-1",
            ScheduledFor = new DateOnly(2026, 12, 3),
            PatronId = "p1",
            Loans = [new LoanFact("loan-1", "Dune", null, null, DateTimeOffset.UtcNow.AddDays(-3))],
        });

        var log = (await services.GetRequiredService<EmailLogStore>().QueryAsync("lib", new EmailLogQuery { PageSize = 10 })).Items;
        Assert.Equal("sent", result.Outcome);
        Assert.Equal(EmailStatus.NoContact, Assert.Single(log, e => e.Channel == NoticeChannel.Email).Status);
        var sms = Assert.Single(log, e => e.Channel == NoticeChannel.Sms);
        Assert.Equal(EmailStatus.Failed, sms.Status);
        Assert.Contains("not configured", sms.Reason, StringComparison.Ordinal);
        var print = Assert.Single(log, e => e.Channel == NoticeChannel.Print);
        Assert.Equal((EmailStatus.Queued, "1 High Street, Leeds"), (print.Status, print.Address));
    }
}
