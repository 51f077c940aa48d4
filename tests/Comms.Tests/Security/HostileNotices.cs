using System.Globalization;
using Comms.Contacts;
using Comms.Libraries;
using Comms.Notices;
using Comms.Scenarios;
using Comms.Templates;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Comms.Tests.Security.HostileValues;

namespace Comms.Tests.Security;

/// <summary>
/// How a library sends: through which provider, one message per reader or one BCC message per household, from
/// its own verified address or from the platform sender, with the shipped default or a template showing every
/// variable. The four routes cover each provider, mode and template kind at least twice between them.
/// </summary>
public sealed record SafetyRoute(string LibraryId, string Provider, bool Bcc, bool Verified, bool EveryVariable);

/// <summary>What one dispatch sent and whom it was meant for.</summary>
public sealed record SentNotice(SafetyRoute Route, Library Library, IReadOnlyList<string> Recipients, bool Household, IReadOnlyList<RawEmail> Emails);

/// <summary>
/// The real app (TestServices) with a pickup folder and a real SMTP relay (smtp-sink.js), and for one scenario:
/// a library per route, its patron and supplier, and the hostile values of one payload in every field. The
/// library, patron and supplier are written to their stores directly: the services refuse line breaks in
/// names, but the dispatcher and the providers must stay safe for rows written before a rule existed.
/// </summary>
public sealed class HostileNotices : IAsyncDisposable
{
    public static readonly IReadOnlyList<SafetyRoute> Routes =
    [
        new("plain", "Pickup", Bcc: false, Verified: true, EveryVariable: false),
        new("household", "Pickup", Bcc: true, Verified: true, EveryVariable: true),
        new("relay", "Smtp", Bcc: false, Verified: false, EveryVariable: true),
        new("relayhousehold", "Smtp", Bcc: true, Verified: false, EveryVariable: false),
    ];

    public const string PlatformSender = "notices@comms.test";

    private static readonly DateTimeOffset Due = new(2026, 11, 20, 17, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services;
    private readonly NodeProcess _relay;
    private readonly string _pickupFolder;
    private readonly string _relayFolder;
    private readonly Dictionary<string, TemplateContent> _templates = new(StringComparer.Ordinal);

    private HostileNotices(ScenarioKey key, ServiceProvider services, NodeProcess relay, string pickupFolder, string relayFolder)
    {
        Key = key;
        _services = services;
        _relay = relay;
        _pickupFolder = pickupFolder;
        _relayFolder = relayFolder;
    }

    public ScenarioKey Key { get; }

    public bool SupplierScenario => Key.Scenario == Scenario.SupplierOrder;

    /// <summary>Every variable the scenario's model has, as the catalogue lists them.</summary>
    public IReadOnlyList<string> ScenarioPaths => [.. ScenarioCatalogue.Get(Key.Scenario).Variables.Paths()];

    /// <summary>The template content a route's library sends for this scenario.</summary>
    public TemplateContent TemplateOf(SafetyRoute route) => _templates[route.LibraryId];

    public static async Task<HostileNotices> StartAsync(EmulatorFixture emulators, ScenarioKey key)
    {
        var port = NodeProcess.FreePort();
        var relayFolder = Path.Combine(Path.GetTempPath(), "comms-safety-relay", Guid.NewGuid().ToString("N"));
        var relay = NodeProcess.Start("../tests/Comms.Tests/Delivery/smtp-sink.js", port.ToString(CultureInfo.InvariantCulture), relayFolder);
        await relay.WaitForPortAsync(port, TimeSpan.FromSeconds(20));
        string pickupFolder = null!;
        var services = TestServices.Create(emulators, s =>
        {
            pickupFolder = s["Comms:Email:Pickup:Directory"]!;
            s["Comms:Email:PlatformSender"] = PlatformSender;
            s["Comms:Email:Smtp:Host"] = "127.0.0.1";
            s["Comms:Email:Smtp:Port"] = port.ToString(CultureInfo.InvariantCulture);
            s["Comms:Email:Smtp:TlsMode"] = "None";
            s["Comms:Email:Smtp:MessagesPerSecond"] = "0";
        });
        var notices = new HostileNotices(key, services, relay, pickupFolder, relayFolder);
        foreach (var route in Routes)
        {
            await notices.CreateLibraryAsync(route);
        }

        return notices;
    }

    /// <summary>Puts the payload into every field, dispatches through the real dispatcher and reads what the route's provider wrote.</summary>
    public async Task<SentNotice> DispatchAsync(SafetyRoute route, int payloadIndex)
    {
        var payload = Payloads[payloadIndex];
        var library = LibraryFor(route, LibraryName.ValueFor(payload));
        await _services.GetRequiredService<LibraryStore>().TryReplaceAsync(library);
        await _services.GetRequiredService<PatronStore>().UpsertAsync(route.LibraryId, PatronFor(payload));
        var supplier = SupplierFor(route, payload);
        await _services.GetRequiredService<SupplierStore>().UpsertAsync(route.LibraryId, supplier);

        var folder = route.Provider == "Smtp" ? _relayFolder : _pickupFolder;
        var before = Files(folder);
        await _services.GetRequiredService<INoticeDispatcher>().DispatchAsync(RequestFor(route, payload, payloadIndex));
        var written = Files(folder).Except(before).Order(StringComparer.Ordinal).Select(RawEmail.Load).ToList();

        var recipients = SupplierScenario ? [.. supplier.OrderEmails]
            : Key.Scenario == Scenario.PasswordReset || !route.Bcc ? ["p1@pupils.example.org"]
            : new[] { "p1@pupils.example.org", "parent.p1@home.example.org" };
        return new SentNotice(route, library, recipients, route.Bcc && recipients.Length > 1, written);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _relay.DisposeAsync();
    }

    private async Task CreateLibraryAsync(SafetyRoute route)
    {
        await _services.GetRequiredService<LibraryStore>().TryCreateAsync(LibraryFor(route, "Safety Library"));
        if (!route.EveryVariable)
        {
            _templates[route.LibraryId] = DefaultTemplates.For(Key.Scenario);
            return;
        }

        var (subject, html, text) = TemplateVariables.ShowingEvery([.. ScenarioPaths.Where(p => All.Any(f => f.Paths.Contains(p)))]);
        var templates = _services.GetRequiredService<TemplateService>();
        var copy = await templates.CreateAsync(route.LibraryId, new CreateTemplateRequest { CopyFrom = DefaultTemplates.IdFor(Key), Name = "Every variable" });
        var saved = await templates.UpdateAsync(route.LibraryId, copy.Template.Id, new UpdateTemplateRequest
        {
            Name = "Every variable",
            Active = true,
            UsedBy = [Key.ToString()],
            Language = DefaultTemplates.Language,
            Subject = subject,
            Html = html,
            Text = text,
        });
        _templates[route.LibraryId] = saved.Content;
    }

    private Library LibraryFor(SafetyRoute route, string name)
    {
        var roles = route.Bcc ? new[] { ContactRole.Patron, ContactRole.Parent } : [ContactRole.Patron];
        return Samples.Library(route.LibraryId) with
        {
            Name = name,
            Provider = route.Provider,
            BccMultipleRecipients = route.Bcc,
            FromAddressVerified = route.Verified,
            Scenarios = Enum.GetValues<Scenario>().ToDictionary(
                s => s,
                s => new ScenarioSettings { Roles = s == Scenario.PasswordReset ? [ContactRole.Patron] : roles }),
        };
    }

    private static Patron PatronFor(string payload) => new()
    {
        Id = "p1",
        Name = PatronName.ValueFor(payload),
        Group = PatronGroup.ValueFor(payload),
        Contacts =
        [
            new Contact { Role = ContactRole.Patron, Name = ContactName.ValueFor(payload), Email = "p1@pupils.example.org" },
            new Contact { Role = ContactRole.Parent, Name = ContactName.ValueFor(payload), Email = "parent.p1@home.example.org" },
        ],
    };

    private static Supplier SupplierFor(SafetyRoute route, string payload) => new()
    {
        Id = "s1",
        Name = SupplierName.ValueFor(payload),
        OrderEmails = route.Bcc ? ["orders@s1.example.com", "desk@s1.example.com"] : ["orders@s1.example.com"],
    };

    /// <summary>
    /// Every fact a notice can carry, whatever the scenario: values outside the scenario's model must not show
    /// either, so an overdue notice also carries a hostile reservation, order and reset link.
    /// </summary>
    private NoticeRequest RequestFor(SafetyRoute route, string payload, int payloadIndex) => new()
    {
        LibraryId = route.LibraryId,
        Scenario = Key,
        SubjectRecordId = $"safety-{payloadIndex}",
        ScheduledFor = new DateOnly(2026, 11, 21),
        PatronId = "p1",
        SupplierId = "s1",
        Loans = [new LoanFact("loan-1", LoanTitle.ValueFor(payload), LoanAuthor.ValueFor(payload), LoanBarcode.ValueFor(payload), Due, 14.99m, 5m)],
        Reservation = new ReservationFact("res-1", ReservationTitle.ValueFor(payload), ReservationAuthor.ValueFor(payload), PickupLocation.ValueFor(payload), Due, CancelReason.ValueFor(payload)),
        Recall = new RecallFact(RecallReason.ValueFor(payload), Due.AddDays(-3)),
        Order = new OrderFact(
            OrderNumber.ValueFor(payload),
            [new OrderLineFact(OrderLineTitle.ValueFor(payload), Isbn.ValueFor(payload), 2, 7.99m)],
            Currency.ValueFor(payload),
            DeliveryAddress.ValueFor(payload),
            OrderNotes.ValueFor(payload)),
        PasswordReset = new PasswordResetFact(new Uri(ResetLink.FixedValue!), Due.AddHours(1)),
        Charge = new ChargeFact(Remaining: 2.5m, Paid: 10m, Balance: 1m),
        CardExpiresAt = Due.AddDays(30),
        // One result, as every list here has one element: the safety test expects each shown value once.
        Renewals = [new RenewalResultFact("loan-1", LoanTitle.ValueFor(payload), LoanAuthor.ValueFor(payload), LoanBarcode.ValueFor(payload), Due.AddDays(14), Due, null, FinalRenewal: true)],
    };

    private static HashSet<string> Files(string folder) =>
        Directory.Exists(folder) ? [.. Directory.GetFiles(folder, "*.eml")] : [];
}
