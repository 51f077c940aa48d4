using System.Globalization;
using Comms.Acquisitions;
using Comms.Contacts;
using Comms.Libraries;
using Comms.Scenarios;

namespace Comms.DevHost.Demo;

/// <summary>
/// What the demo posts, as a library system would: a school library whose ladder runs in demo days, three
/// readers (one with a parent, one with a teacher), a supplier, loans due in a few days, a recall, a
/// reservation and an order. Every kind of notice in <see cref="ExpectedScenarios"/> follows from it.
/// </summary>
public static class DemoLibrary
{
    /// <summary>Every scenario the demo's ladder sends, in the order they fall due.</summary>
    public static readonly IReadOnlyList<string> ExpectedScenarios =
    [
        "loan-receipt", "recall", "reservation-requested", "reservation-ready", "supplier-order",
        "pre-overdue", "reservation-expiring", "overdue", "reservation-expired", "escalation-1", "escalation-2",
    ];

    // In demo days: pre-overdue 2 days before due (day 2), overdue 1 after (day 5), escalations on days 6 and 7.
    public const int DueInDays = 4;
    public const int PickupByInDays = 5;

    /// <summary>A new id each run, so a demo never meets the loans and reservations of an earlier one in the same Azurite.</summary>
    public static string NewId(DateTimeOffset now) => "demo-" + now.ToString("MMdd-HHmmss", CultureInfo.InvariantCulture);

    public static Library Library(string id)
    {
        var scenarios = LibraryDefaults.Scenarios().ToDictionary(s => s.Key, s => s.Value);
        // A school: the class teacher hears about escalations too, beside the family.
        scenarios[Scenario.Escalation] = scenarios[Scenario.Escalation] with
        {
            Roles = [ContactRole.Patron, ContactRole.Parent, ContactRole.Teacher],
        };
        return new Library
        {
            Id = id,
            Name = "Riverside School Library (demo)",
            TimeZone = "UTC",
            FromAddress = "library@riverside.example.org",
            FromAddressVerified = true,
            DefaultLanguage = "en-GB",
            Timing = new NoticeTiming { PreOverdueDaysBefore = 2, OverdueGraceDays = 1, EscalationDaysAfterDue = [2, 3], ReservationExpiringDaysBefore = 2 },
            Scenarios = scenarios,
        };
    }

    public static IReadOnlyList<Patron> Patrons { get; } =
    [
        new()
        {
            Id = "ada",
            Name = "Ada Lovelace",
            Group = "Year 8",
            Contacts =
            [
                new() { Role = ContactRole.Patron, Name = "Ada Lovelace", Email = "ada@pupils.example.org" },
                new() { Role = ContactRole.Parent, Name = "Anne Lovelace", Email = "anne.lovelace@home.example.org" },
            ],
        },
        new()
        {
            Id = "ben",
            Name = "Ben Okafor",
            Group = "Year 8",
            Contacts =
            [
                new() { Role = ContactRole.Patron, Name = "Ben Okafor", Email = "ben@pupils.example.org" },
                new() { Role = ContactRole.Teacher, Name = "Ms Hopper", Email = "g.hopper@staff.example.org" },
            ],
        },
        new()
        {
            Id = "cal",
            Name = "Cal Reyes",
            Group = "Year 10",
            Contacts = [new() { Role = ContactRole.Patron, Name = "Cal Reyes", Email = "cal@pupils.example.org" }],
        },
    ];

    public static Supplier Supplier { get; } = new() { Id = "booksource", Name = "Booksource Ltd", OrderEmails = ["orders@booksource.example.com"] };

    public static SupplierOrder Order { get; } = new()
    {
        OrderNumber = "PO-DEMO-1",
        SupplierId = "booksource",
        Currency = "GBP",
        DeliveryAddress = "Riverside School Library, 1 River Road",
        Lines =
        [
            new() { Title = "The Hobbit", Isbn = "978-0-261-10221-7", Quantity = 2, UnitPrice = 8.99m },
            new() { Title = "Wonder", Isbn = "978-0-552-56597-4", Quantity = 1, UnitPrice = 7.99m },
        ],
    };
}
