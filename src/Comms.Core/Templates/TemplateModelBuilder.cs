using System.Globalization;
using Comms.Common;
using Comms.Contacts;
using Comms.Libraries;
using Comms.Scenarios;

namespace Comms.Templates;

/// <summary>
/// Turns facts into the text a template shows: dates in the library's time zone and the reader's language,
/// days overdue counted in the library's calendar, order totals computed. Only the sections the scenario
/// declares are filled, so a template cannot rely on data its scenario never has.
/// </summary>
public static class TemplateModelBuilder
{
    public static TemplateModel Build(
        ScenarioKey key,
        Library library,
        string? language,
        PatronModel? patron,
        RecipientModel? recipient,
        TemplateData data,
        DateTimeOffset now,
        ContactShape? shape = null)
    {
        var sections = ScenarioCatalogue.Get(key.Scenario).Sections;
        var culture = Locales.For(language, library.DefaultLanguage, library.TimeZone);
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(library.TimeZone, out var z) ? z : TimeZoneInfo.Utc;
        var today = LocalDate(now, zone);

        var model = new TemplateModel
        {
            Library = new LibraryModel(library.Name, library.FromAddress),
            Patron = sections.HasFlag(ModelSections.Patron) ? patron : null,
            Recipient = sections.HasFlag(ModelSections.Recipient) ? recipient : null,
            Items = sections.HasFlag(ModelSections.Items) ? data.Items?.Select(i => Item(i, zone, culture, today)).ToList() : null,
            Reservation = sections.HasFlag(ModelSections.Reservation) && data.Reservation is { } r
                ? new ReservationModel(r.Title, r.Author ?? string.Empty, r.PickupLocation, r.PickupBy == default ? string.Empty : LongDate(r.PickupBy, zone, culture), r.Reason ?? string.Empty)
                : null,
            Order = sections.HasFlag(ModelSections.Order) && data.Order is { } o ? Order(o, culture) : null,
            Reset = sections.HasFlag(ModelSections.Reset) && data.Reset is { } reset
                ? new ResetModel(reset.Link, DateAndTime(reset.ExpiresAt, zone, culture))
                : null,
            Recall = sections.HasFlag(ModelSections.Recall) && data.Recall is { } recall
                ? new RecallModel(recall.Reason, recall.NewDueDate == default ? string.Empty : LongDate(recall.NewDueDate, zone, culture))
                : null,
            Escalation = sections.HasFlag(ModelSections.Escalation)
                ? new EscalationModel(Math.Max(1, key.Level).ToString(culture))
                : null,
            Charges = sections.HasFlag(ModelSections.Charges) && data.Charges is { } charges
                ? Charges(charges, MoneyText.CurrencyOf(library), zone, culture)
                : null,
            Renewals = sections.HasFlag(ModelSections.Renewals) && data.Renewals is { } renewals
                ? Renewals(renewals, zone, culture)
                : null,
            Card = sections.HasFlag(ModelSections.Card) && data.Card is { } card ? new CardModel(LongDate(card.ExpiresAt, zone, culture)) : null,
        };

        return sections.HasFlag(ModelSections.Patrons)
            ? RecipientCentred.Add(model, key, library, patron, data, shape, loan => Item(loan, zone, culture, today), culture)
            : model;
    }

    public static PatronModel PatronOf(Patron patron) => new(patron.Name, patron.Group ?? string.Empty);

    public static RecipientModel RecipientOf(Contact contact) => new(contact.Name, Role(contact.Role));

    /// <summary>Roles as templates show them: "patron", "parent", "head-of-school".</summary>
    public static string Role(ContactRole role) => CommsJson.Options.PropertyNamingPolicy!.ConvertName(role.ToString());

    private static ItemModel Item(LoanFacts loan, TimeZoneInfo zone, CultureInfo culture, DateOnly today)
    {
        var due = LocalDate(loan.DueDate, zone);
        var overdue = Math.Max(0, today.DayNumber - due.DayNumber);
        return new ItemModel(loan.Title, loan.Author ?? string.Empty, loan.Barcode, LongDate(loan.DueDate, zone, culture), overdue.ToString("N0", culture), DayCounts.Format(overdue, culture));
    }

    private static OrderModel Order(OrderFacts order, CultureInfo culture)
    {
        var lines = order.Lines.Select(l => new OrderLineModel(
            l.Title,
            l.Isbn ?? string.Empty,
            l.Quantity.ToString(culture),
            Money(l.UnitPrice, culture),
            Money(l.UnitPrice * l.Quantity, culture))).ToList();
        var total = order.Lines.Sum(l => l.UnitPrice * l.Quantity);
        return new OrderModel(order.Number, order.SupplierName ?? string.Empty, lines, Money(total, culture), order.Currency, order.DeliveryAddress);
    }

    private static ChargesModel Charges(ChargeFacts charges, string currency, TimeZoneInfo zone, CultureInfo culture)
    {
        string Amount(decimal? amount) => amount is { } value ? MoneyText.Format(value, currency, culture) : string.Empty;
        var lines = charges.Lines.Select(l => new ChargeLineModel(
            l.Title,
            l.Author ?? string.Empty,
            l.Barcode,
            LongDate(l.DueDate, zone, culture),
            Amount(l.ReplacementCost),
            Amount(l.Fee),
            Amount((l.ReplacementCost ?? 0) + (l.Fee ?? 0)))).ToList();
        var total = charges.Lines.Count == 0 ? null : (decimal?)charges.Lines.Sum(l => (l.ReplacementCost ?? 0) + (l.Fee ?? 0));
        // Nothing left to pay is an empty amount, so {{^charges.balance}} can say so.
        static decimal? Owed(decimal? amount) => amount is 0 ? null : amount;
        return new ChargesModel(lines, lines.Count > 0 ? "true" : string.Empty, Amount(total), Amount(Owed(charges.Remaining)), Amount(charges.Paid), Amount(Owed(charges.Balance)), currency);
    }

    private static RenewalsModel Renewals(RenewalFacts renewals, TimeZoneInfo zone, CultureInfo culture)
    {
        static string Flag(bool value) => value ? "true" : string.Empty;
        var renewed = renewals.Renewed.Select(r => new RenewalItemModel(
            r.Title, r.Author ?? string.Empty, r.Barcode, LongDate(r.DueDate, zone, culture), LongDate(r.PreviousDueDate, zone, culture),
            Flag(true), Flag(r.FinalRenewal), string.Empty, string.Empty, string.Empty, string.Empty, string.Empty));
        var notRenewed = renewals.NotRenewed.Select(r => new RenewalItemModel(
            r.Title,
            r.Author ?? string.Empty,
            r.Barcode,
            LongDate(r.DueDate, zone, culture),
            LongDate(r.DueDate, zone, culture),
            string.Empty,
            string.Empty,
            Flag(true),
            CommsJson.Options.PropertyNamingPolicy!.ConvertName(r.Reason.ToString()),
            Flag(r.Reason == RenewalRefusal.TooManyRenewals),
            Flag(r.Reason == RenewalRefusal.Reserved),
            Flag(r.Reason == RenewalRefusal.PatronBlocked)));
        return new RenewalsModel(
            [.. renewed, .. notRenewed], Flag(renewals.Renewed.Count > 0), Flag(renewals.NotRenewed.Count > 0), Flag(renewals.Renewed.Any(r => r.FinalRenewal)));
    }

    private static string Money(decimal amount, CultureInfo culture) => amount.ToString("N2", culture);

    private static DateOnly LocalDate(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    private static string LongDate(DateTimeOffset instant, TimeZoneInfo zone, CultureInfo culture) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("D", culture);

    private static string DateAndTime(DateTimeOffset instant, TimeZoneInfo zone, CultureInfo culture) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("f", culture);
}
