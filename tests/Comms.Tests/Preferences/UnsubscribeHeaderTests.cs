using System.Globalization;
using Comms.Delivery;
using Comms.Notices;
using Comms.Preferences;
using Comms.Scenarios;
using Comms.Tests.Delivery;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MimeKit;
using static Comms.Tests.Delivery.DeliveryTestServices;

namespace Comms.Tests.Preferences;

/// <summary>
/// The RFC 8058 header pair and Auto-Submitted as each provider's wire carries them: the body SES was sent
/// (aws-ses-v2-local's store), the ACS request body (a signature-checking fake), the message an SMTP server received
/// and the pickup .eml. An optional notice has a signed link per recipient; a mandatory one has none.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class UnsubscribeHeaderTests(EmulatorFixture emulators)
{
    [Fact]
    public async Task Ses_OptionalAndMandatoryNotices_CarryTheRightHeadersInTheSentBody()
    {
        await using var services = Create(emulators, s => s["Comms:Email:Provider"] = "Ses");
        var lib = Unique("uses");
        await CreateLibraryAsync(services, lib);
        var sender = services.GetRequiredService<NoticeSender>();

        await sender.SendAsync(Optional(lib, "ann@ses.example.org"));
        await sender.SendAsync(Notice(lib, Unique("loan"), new NoticeRecipient("Ben", "ben@ses.example.org")));

        var stored = await SesStore.EmailsAsync(emulators.SesEndpoint, e => e.From.Contains($"desk@{lib}.example.org", StringComparison.Ordinal));
        var ann = Assert.Single(stored, e => e.To.Single().Contains("ann@", StringComparison.Ordinal));
        var ben = Assert.Single(stored, e => e.To.Single().Contains("ben@", StringComparison.Ordinal));
        AssertOptional(services, lib, "ann@ses.example.org", ann.Headers, ann.Text!);
        AssertMandatory(ben.Headers, ben.Text!, single: true);
    }

    [Fact]
    public async Task Acs_OptionalAndMandatoryNotices_CarryTheRightHeadersInTheRequestBody()
    {
        await using var acs = await AcsTestServer.StartAsync();
        await using var services = Create(emulators, s =>
        {
            s["Comms:Email:Provider"] = "Acs";
            s["Comms:Email:Acs:ConnectionString"] = acs.ConnectionString;
            s["Comms:Email:Acs:MessagesPerSecond"] = "0";
        });
        var lib = Unique("uacs");
        await CreateLibraryAsync(services, lib);
        var sender = services.GetRequiredService<NoticeSender>();

        await sender.SendAsync(Optional(lib, "ann@acs.example.org"));
        await sender.SendAsync(Notice(lib, Unique("loan"), new NoticeRecipient("Ben", "ben@acs.example.org")));

        var bodies = acs.Operations.Values.ToList();
        var ann = Assert.Single(bodies, b => b.GetProperty("recipients").GetProperty("to")[0].GetProperty("address").GetString() == "ann@acs.example.org");
        var ben = Assert.Single(bodies, b => b.GetProperty("recipients").GetProperty("to")[0].GetProperty("address").GetString() == "ben@acs.example.org");
        AssertOptional(services, lib, "ann@acs.example.org", Headers(ann), ann.GetProperty("content").GetProperty("plainText").GetString()!);
        AssertMandatory(Headers(ben), ben.GetProperty("content").GetProperty("plainText").GetString()!, single: true);
    }

    [Fact]
    public async Task Smtp_OptionalAndMandatoryNotices_CarryTheRightHeadersInTheReceivedMessage()
    {
        var port = NodeProcess.FreePort();
        var folder = Path.Combine(Path.GetTempPath(), "comms-smtp", Guid.NewGuid().ToString("N"));
        await using var sink = NodeProcess.Start("../tests/Comms.Tests/Delivery/smtp-sink.js", port.ToString(CultureInfo.InvariantCulture), folder);
        await sink.WaitForPortAsync(port, TimeSpan.FromSeconds(20));
        await using var services = Create(emulators, s =>
        {
            s["Comms:Email:Provider"] = "Smtp";
            s["Comms:Email:Smtp:Host"] = "127.0.0.1";
            s["Comms:Email:Smtp:Port"] = port.ToString(CultureInfo.InvariantCulture);
            s["Comms:Email:Smtp:TlsMode"] = "None";
        });
        var lib = Unique("usmtp");
        await CreateLibraryAsync(services, lib);
        var sender = services.GetRequiredService<NoticeSender>();

        await sender.SendAsync(Optional(lib, "ann@smtp.example.org"));
        await sender.SendAsync(Notice(lib, Unique("loan"), new NoticeRecipient("Ben", "ben@smtp.example.org")));

        var messages = await Task.WhenAll(Directory.GetFiles(folder, "*.eml").Select(f => MimeMessage.LoadAsync(f)));
        AssertMime(services, lib, messages, "ann@smtp.example.org", "ben@smtp.example.org");
    }

    [Fact]
    public async Task Pickup_OptionalAndMandatoryNotices_CarryTheRightHeadersInTheEml()
    {
        await using var services = Create(emulators);
        var lib = Unique("upick");
        await CreateLibraryAsync(services, lib);
        var sender = services.GetRequiredService<NoticeSender>();

        await sender.SendAsync(Optional(lib, "ann@pickup.example.org"));
        await sender.SendAsync(Notice(lib, Unique("loan"), new NoticeRecipient("Ben", "ben@pickup.example.org")));

        var directory = services.GetRequiredService<IOptions<EmailOptions>>().Value.Pickup.Directory;
        var messages = await Task.WhenAll(Directory.GetFiles(directory, "*.eml").Select(f => MimeMessage.LoadAsync(f)));
        AssertMime(services, lib, [.. messages.Where(m => m.From.Mailboxes.Single().Address == $"desk@{lib}.example.org")], "ann@pickup.example.org", "ben@pickup.example.org");
    }

    [Fact]
    public async Task Bcc_OneMessageForSeveralRecipients_HasNoUnsubscribeButIsAutoSubmitted()
    {
        await using var services = Create(emulators);
        var lib = Unique("ubcc");
        await CreateLibraryAsync(services, lib, l => l with { BccMultipleRecipients = true });

        await services.GetRequiredService<NoticeSender>().SendAsync(Optional(lib, "ann@bcc.example.org") with
        {
            Recipients = [new NoticeRecipient("Ann", "ann@bcc.example.org"), new NoticeRecipient("Ben", "ben@bcc.example.org")],
        });

        var directory = services.GetRequiredService<IOptions<EmailOptions>>().Value.Pickup.Directory;
        var messages = await Task.WhenAll(Directory.GetFiles(directory, "*.eml").Select(f => MimeMessage.LoadAsync(f)));
        var message = Assert.Single(messages, m => m.From.Mailboxes.Single().Address == $"desk@{lib}.example.org");
        AssertMandatory(HeadersOf(message), message.TextBody!, single: false);
    }

    /// <summary>A welcome notice (optional by default) about patron p-1.</summary>
    private static Notice Optional(string lib, string address) =>
        Notice(lib, Unique("welcome"), new NoticeRecipient("Ann", address)) with
        {
            Scenario = new ScenarioKey(Scenario.Welcome),
            Content = new RenderedEmail($"Welcome {lib}", "<html><body><p>Welcome</p></body></html>", "Welcome."),
        };

    private static void AssertMime(IServiceProvider services, string lib, IReadOnlyList<MimeMessage> messages, string optional, string mandatory)
    {
        var ann = Assert.Single(messages, m => m.To.Mailboxes.Single().Address == optional);
        var ben = Assert.Single(messages, m => m.To.Mailboxes.Single().Address == mandatory);
        AssertOptional(services, lib, optional, HeadersOf(ann), ann.TextBody!);
        Assert.Contains("Unsubscribe</a>", ann.HtmlBody!, StringComparison.Ordinal);
        AssertMandatory(HeadersOf(ben), ben.TextBody!, single: true);
    }

    private static void AssertOptional(IServiceProvider services, string lib, string address, IReadOnlyList<KeyValuePair<string, string>> headers, string text)
    {
        var link = Value(headers, "List-Unsubscribe");
        Assert.Equal("List-Unsubscribe=One-Click", Value(headers, "List-Unsubscribe-Post"));
        Assert.Equal("auto-generated", Value(headers, "Auto-Submitted"));
        Assert.StartsWith("<https://comms.test/api/preferences/unsubscribe?token=", link, StringComparison.Ordinal);
        Assert.EndsWith(">", link, StringComparison.Ordinal);
        var url = link[1..^1];
        Assert.Contains($"Unsubscribe: {url}", text, StringComparison.Ordinal);
        Assert.Contains("Your email preferences: https://comms.test/api/preferences/manage?token=m1.", text, StringComparison.Ordinal);
        var token = services.GetRequiredService<UnsubscribeLinks>().Read(url[(url.IndexOf("token=", StringComparison.Ordinal) + 6)..]);
        Assert.NotNull(token);
        Assert.Equal((lib, "p-1", Scenario.Welcome, UnsubscribeLinks.AddressHash(address)), (token.LibraryId, token.PatronId, token.Scenario, token.AddressHash));
    }

    private static void AssertMandatory(IReadOnlyList<KeyValuePair<string, string>> headers, string text)
    {
        Assert.Equal("auto-generated", Value(headers, "Auto-Submitted"));
        Assert.DoesNotContain(headers, h => h.Key.StartsWith("List-Unsubscribe", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("unsubscribe", text, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A mandatory notice about one patron still links to the reader's preferences page.</summary>
    private static void AssertMandatory(IReadOnlyList<KeyValuePair<string, string>> headers, string text, bool single)
    {
        AssertMandatory(headers, text);
        Assert.Equal(single, text.Contains("Your email preferences: https://comms.test/api/preferences/manage?token=m1.", StringComparison.Ordinal));
    }

    private static string Value(IReadOnlyList<KeyValuePair<string, string>> headers, string name) =>
        Assert.Single(headers, h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static List<KeyValuePair<string, string>> HeadersOf(MimeMessage message) =>
        [.. message.Headers.Select(h => new KeyValuePair<string, string>(h.Field, h.Value))];

    private static List<KeyValuePair<string, string>> Headers(System.Text.Json.JsonElement acsBody) =>
        [.. acsBody.GetProperty("headers").EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetString()!))];
}
