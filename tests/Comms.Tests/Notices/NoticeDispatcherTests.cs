using System.Text.Json;
using Comms.Common;
using Comms.Contacts;
using Comms.EmailLog;
using Comms.Libraries;
using Comms.Notices;
using Comms.Scenarios;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Comms.Tests.Notices;

/// <summary>
/// The real dispatcher end to end: library rules → template → delivery pipeline → pickup folder (.eml on
/// disk) and the email log in Azurite.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class NoticeDispatcherTests(EmulatorFixture emulators) : IAsyncLifetime
{
    private static readonly DateTimeOffset Due = new(2026, 11, 20, 17, 0, 0, TimeSpan.Zero);
    private ServiceProvider _services = null!;
    private string _outbox = null!;

    public Task InitializeAsync()
    {
        _services = TestServices.Create(emulators, s => _outbox = s["Comms:Email:Pickup:Directory"]!);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task DispatchAsync_OverdueDigest_OneEmailPerChosenRoleListingEveryItem()
    {
        await CreateLibraryAsync(Samples.Library("lib"));
        await PutPatronAsync(Samples.Patron("p1") with
        {
            Contacts = [.. Samples.Patron("p1").Contacts, new Contact { Role = ContactRole.Teacher, Name = "Mr Chips", Email = "chips@school.example.org" }],
        });

        var result = await Dispatcher.DispatchAsync(Overdue("p1", "Dune", "Emma", "Ulysses"));
        var messages = Outbox();

        Assert.Equal(2, result.Sent);
        Assert.Equal(["p1@pupils.example.org", "parent.p1@home.example.org"], messages.Select(m => m.To.Mailboxes.Single().Address).Order(StringComparer.Ordinal));
        Assert.All(messages, m => Assert.Contains("Ulysses", m.HtmlBody, StringComparison.Ordinal));
        Assert.All(messages, m => Assert.Contains("Emma", m.TextBody, StringComparison.Ordinal));
        Assert.Contains(messages, m => m.HtmlBody!.Contains("Parent of p1", StringComparison.Ordinal));
        Assert.Equal(2, (await LogAsync()).Count(e => e.Status == EmailStatus.Sent));
    }

    [Fact]
    public async Task DispatchAsync_SameRequestTwice_SendsOnceAndLogsTheRepeatAsSkipped()
    {
        await CreateLibraryAsync(Samples.Library("lib"));
        await PutPatronAsync(Samples.Patron("p1"));

        await Dispatcher.DispatchAsync(Overdue("p1", "Dune"));
        var again = await Dispatcher.DispatchAsync(Overdue("p1", "Dune"));

        Assert.Equal(0, again.Sent);
        Assert.Equal(2, again.AlreadySent);
        Assert.Equal("sent", again.Outcome);
        Assert.Equal(2, Outbox().Count);
        Assert.Equal(2, (await LogAsync()).Count(e => e.Status == EmailStatus.Skipped));
    }

    [Theory]
    [InlineData("excluded")]
    [InlineData("optedOut")]
    [InlineData("disabled")]
    public async Task DispatchAsync_LibraryRulesSayNo_LogsSkippedAndSendsNothing(string rule)
    {
        var settings = new ScenarioSettings
        {
            Enabled = rule != "disabled",
            Roles = [ContactRole.Patron, ContactRole.Parent],
            ExcludedPatronGroups = rule == "excluded" ? ["Year 7"] : [],
        };
        await CreateLibraryAsync(Samples.Library("lib") with { Scenarios = new Dictionary<Scenario, ScenarioSettings> { [Scenario.Overdue] = settings } });
        await PutPatronAsync(Samples.Patron("p1") with { NoNotices = rule == "optedOut", NoNoticesReason = "deceased" });

        var result = await Dispatcher.DispatchAsync(Overdue("p1", "Dune"));

        Assert.Equal(2, result.Skipped);
        Assert.Empty(Outbox());
        Assert.All(await LogAsync(), e => Assert.Equal(EmailStatus.Skipped, e.Status));
    }

    [Fact]
    public async Task DispatchAsync_PatronWithoutContacts_LogsNoContactAndTheMandatoryNoticeGoesToPrint()
    {
        await CreateLibraryAsync(Samples.Library("lib"));
        await PutPatronAsync(Samples.Patron("p1") with { Contacts = [] });

        var result = await Dispatcher.DispatchAsync(Overdue("p1", "Dune"));

        // Overdue is mandatory: its default chain is email, SMS (no number here), then print.
        Assert.Equal(1, result.NoContact);
        Assert.Equal("sent", result.Outcome);
        Assert.Empty(Outbox());
        var log = await LogAsync();
        Assert.Equal(EmailStatus.NoContact, Assert.Single(log, e => e.Channel == Comms.Delivery.NoticeChannel.Email).Status);
        Assert.Equal(EmailStatus.Queued, Assert.Single(log, e => e.Channel == Comms.Delivery.NoticeChannel.Print).Status);
        Assert.Equal(2, log.Count);
    }

    [Fact]
    public async Task DispatchAsync_FrenchReader_DatesInFrenchWhateverTheTemplatesLanguage()
    {
        await CreateLibraryAsync(Samples.Library("lib"));
        await PutPatronAsync(Samples.Patron("p1") with { PreferredLanguage = "fr-FR" });

        await Dispatcher.DispatchAsync(Overdue("p1", "Dune"));

        Assert.All(Outbox(), m => Assert.Contains("vendredi 20 novembre 2026", m.TextBody, StringComparison.Ordinal));
        Assert.All(Outbox(), m => Assert.Contains("vendredi 20 novembre 2026", m.HtmlBody, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("en", "Europe/London", "en-GB")]
    [InlineData("en-NZ", "Pacific/Auckland", "en-NZ")]
    public async Task DispatchAsync_EnglishLibrary_DatesInTheLibrarysLocaleNotTheUsOne(string language, string timeZone, string expected)
    {
        await CreateLibraryAsync(Samples.Library("lib") with { DefaultLanguage = language, TimeZone = timeZone });
        await PutPatronAsync(Samples.Patron("p1") with { PreferredLanguage = "en" });
        var local = TimeZoneInfo.ConvertTime(Due, TimeZoneInfo.FindSystemTimeZoneById(timeZone));

        await Dispatcher.DispatchAsync(Overdue("p1", "Dune"));

        var date = local.ToString("D", System.Globalization.CultureInfo.GetCultureInfo(expected));
        Assert.NotEqual(local.ToString("D", System.Globalization.CultureInfo.GetCultureInfo("en-US")), date);
        Assert.All(Outbox(), m => Assert.Contains(date, m.TextBody, StringComparison.Ordinal));
    }

    [Fact]
    public async Task DispatchAsync_BccLibrary_OneMessageForTheHousehold()
    {
        await CreateLibraryAsync(Samples.Library("lib") with { BccMultipleRecipients = true });
        await PutPatronAsync(Samples.Patron("p1"));

        await Dispatcher.DispatchAsync(Overdue("p1", "Dune"));

        var message = Assert.Single(Outbox());
        Assert.Equal(2, message.Bcc.Mailboxes.Count());
    }

    [Fact]
    public async Task DispatchAsync_HostilePatronName_IsEscapedInHtmlAndSubjectStaysOneLine()
    {
        await CreateLibraryAsync(Samples.Library("lib"));
        await PutPatronAsync(Samples.Patron("p1") with
        {
            Name = "<script>alert(1)</script>",
            Contacts = [new Contact { Role = ContactRole.Patron, Name = "<b>Evil</b>", Email = "p1@pupils.example.org" }],
        });

        await Dispatcher.DispatchAsync(Overdue("p1", "<img src=x onerror=alert(1)>"));

        var message = Assert.Single(Outbox());
        Assert.DoesNotContain("<script>", message.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x", message.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", message.Subject!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DispatchAsync_PasswordReset_LinkInTheEmailOnlyAndOnlyToThePatron()
    {
        const string link = "https://opac.example.org/reset?token=TOPSECRET-123";
        await CreateLibraryAsync(Samples.Library("lib"));
        await PutPatronAsync(Samples.Patron("p1"));

        await Dispatcher.DispatchAsync(new NoticeRequest
        {
            LibraryId = "lib",
            Scenario = new ScenarioKey(Scenario.PasswordReset),
            SubjectRecordId = "reset-1",
            ScheduledFor = new DateOnly(2026, 11, 28),
            PatronId = "p1",
            PasswordReset = new PasswordResetFact(new Uri(link), DateTimeOffset.UtcNow.AddHours(1)),
        });

        var message = Assert.Single(Outbox());
        var log = await LogAsync();
        Assert.Equal("p1@pupils.example.org", message.To.Mailboxes.Single().Address);
        Assert.Contains("TOPSECRET-123", message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("TOPSECRET", JsonSerializer.Serialize(log, CommsJson.Options), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DispatchAsync_SupplierOrder_GoesToEveryOrderAddressWithLinesAndTotal()
    {
        await CreateLibraryAsync(Samples.Library("lib"));
        await _services.GetRequiredService<SupplierService>().UpsertAsync("lib", "books", Samples.Supplier("books") with { OrderEmails = ["a@books.example.com", "b@books.example.com"] });

        var result = await Dispatcher.DispatchAsync(new NoticeRequest
        {
            LibraryId = "lib",
            Scenario = new ScenarioKey(Scenario.SupplierOrder),
            SubjectRecordId = "PO-7",
            ScheduledFor = new DateOnly(2026, 11, 28),
            SupplierId = "books",
            Order = new OrderFact("PO-7", [new OrderLineFact("Emma", "9780141439587", 3, 7.99m), new OrderLineFact("Dune", null, 1, 10m)], "GBP", "1 High St", null),
        });

        Assert.Equal(2, result.Sent);
        var message = Outbox().First();
        Assert.Contains("PO-7", message.Subject, StringComparison.Ordinal);
        Assert.Contains("<table", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("33.97", message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DispatchAsync_SavedTemplateRendersPastTheBudget_LogsFailedAndSendsNothing()
    {
        await CreateLibraryAsync(Samples.Library("lib"));
        await PutPatronAsync(Samples.Patron("p1"));
        var templates = _services.GetRequiredService<Comms.Templates.TemplateService>();
        var created = await templates.CreateAsync("lib", new Comms.Templates.CreateTemplateRequest { CopyFrom = "default:overdue", Name = "Nested" });
        var depth = Comms.Templates.TemplateValidator.MaxSectionDepth;
        await templates.UpdateAsync("lib", created.Template.Id, new Comms.Templates.UpdateTemplateRequest
        {
            Name = "Nested", Active = true, UsedBy = ["overdue"], Language = "en",
            Subject = "Overdue", Html = "<p>x</p>",
            Text = string.Concat(Enumerable.Repeat("{{#items}}", depth)) + "{{title}}" + string.Concat(Enumerable.Repeat("{{/items}}", depth)),
        });

        var result = await Dispatcher.DispatchAsync(Overdue("p1", [.. Enumerable.Range(0, 10).Select(i => $"Book {i}")]));
        var log = await LogAsync();

        Assert.Equal(2, result.Failed);
        Assert.Empty(Outbox());
        Assert.All(log, e => Assert.Equal(EmailStatus.Failed, e.Status));
        Assert.All(log, e => Assert.Contains("steps", e.Reason, StringComparison.Ordinal));
    }

    private INoticeDispatcher Dispatcher => _services.GetRequiredService<INoticeDispatcher>();

    private Task CreateLibraryAsync(Library library) => _services.GetRequiredService<LibraryService>().CreateAsync(library);

    private Task PutPatronAsync(Patron patron) => _services.GetRequiredService<PatronService>().UpsertAsync("lib", patron.Id, patron);

    private static NoticeRequest Overdue(string patronId, params string[] titles) => new()
    {
        LibraryId = "lib",
        Scenario = new ScenarioKey(Scenario.Overdue),
        SubjectRecordId = $"digest-{patronId}",
        ScheduledFor = new DateOnly(2026, 11, 21),
        PatronId = patronId,
        Loans = [.. titles.Select((t, i) => new LoanFact($"loan-{i}", t, "Author", $"B{i:D4}", Due))],
    };

    private List<MimeMessage> Outbox() =>
        Directory.Exists(_outbox) ? [.. Directory.GetFiles(_outbox, "*.eml").Select(f => MimeMessage.Load(f))] : [];

    private async Task<IReadOnlyList<EmailLogEntry>> LogAsync() =>
        (await _services.GetRequiredService<EmailLogStore>().QueryAsync("lib", new EmailLogQuery { PageSize = 1000 })).Items;
}
