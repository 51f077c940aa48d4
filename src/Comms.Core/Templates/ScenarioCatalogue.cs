using Comms.Scenarios;

namespace Comms.Templates;

/// <summary>Every scenario's model and sample data, in code so a new scenario cannot ship without them.</summary>
public static class ScenarioCatalogue
{
    private const ModelSections Reader = ModelSections.Patron | ModelSections.Recipient;

    private static readonly Dictionary<Scenario, ScenarioDefinition> Definitions = new ScenarioDefinition[]
    {
        new(Scenario.PreOverdue, "Due soon", "A reminder a few days before items are due back.",
            Reader | ModelSections.Items | ModelSections.Patrons, now => Loans(now, 3, 3)),
        new(Scenario.Overdue, "Overdue", "Items are past their due date.",
            Reader | ModelSections.Items | ModelSections.Patrons, now => Loans(now, -5, -2)),
        new(Scenario.Escalation, "Overdue escalation", "Items are still overdue; sent at each escalation level the library sets.",
            Reader | ModelSections.Items | ModelSections.Escalation | ModelSections.Patrons, now => Loans(now, -14, -21)),
        new(Scenario.Recall, "Recall", "Another reader needs an item back before its due date.",
            Reader | ModelSections.Items | ModelSections.Recall, now => Loans(now, 10, 12) with
            {
                Recall = new RecallFacts { Reason = "Another reader has reserved this item.", NewDueDate = now.AddDays(4) },
            }),
        new(Scenario.ReservationRequested, "Reservation placed", "Confirms a reservation was placed.",
            Reader | ModelSections.Reservation, now => Reservation(now, 14)),
        new(Scenario.ReservationReady, "Reservation ready", "A reserved item is waiting at the pickup desk.",
            Reader | ModelSections.Reservation, now => Reservation(now, 7)),
        new(Scenario.ReservationExpiring, "Reservation expiring", "A reserved item will go back to the shelf soon.",
            Reader | ModelSections.Reservation, now => Reservation(now, 2)),
        new(Scenario.ReservationExpired, "Reservation expired", "A reserved item was not collected in time.",
            Reader | ModelSections.Reservation, now => Reservation(now, -1)),
        new(Scenario.ReservationCancelled, "Reservation cancelled", "A reservation was cancelled.",
            Reader | ModelSections.Reservation, now => Reservation(now, 5) with
            {
                Reservation = Reservation(now, 5).Reservation! with { Reason = "The item was withdrawn from stock." },
            }),
        new(Scenario.LoanReceipt, "Loan receipt", "What was just borrowed and when it is due.",
            Reader | ModelSections.Items, now => Loans(now, 21, 21)),
        new(Scenario.PasswordReset, "Password reset", "A link to choose a new password; only ever sent to the patron.",
            Reader | ModelSections.Reset, now => new TemplateData
            {
                Reset = new ResetFacts { Link = "https://catalogue.example.org/reset?token=sample-token", ExpiresAt = now.AddHours(1) },
            }),
        new(Scenario.SupplierOrder, "Supplier order", "A purchase order sent to a supplier's order address.",
            ModelSections.Recipient | ModelSections.Order, _ => SampleOrder()),
        new(Scenario.CurrentLoansReport, "Current loans", "Everything the patron has on loan now.",
            Reader | ModelSections.Items, now => Loans(now, 6, -1)),
        new(Scenario.DeclaredLost, "Declared lost", "The end of the ladder: overdue items are now charged as lost, with each item's replacement cost and fee.",
            Reader | ModelSections.Charges, now => Charges(now, -42, null, null, null)),
        new(Scenario.LostItemReturned, "Lost item returned", "An item declared lost came back; the library system adjusted the charge.",
            Reader | ModelSections.Charges, now => Charges(now, -50, 2.50m, null, null) with
            {
                Charges = Charges(now, -50, 2.50m, null, null).Charges! with { Lines = [Charges(now, -50, null, null, null).Charges!.Lines[0]] },
            }),
        new(Scenario.PaymentReceived, "Payment received", "Thanks the patron for a payment and says what is still owed.",
            Reader | ModelSections.Charges, now => Charges(now, -50, null, 21.99m, 5.00m)),
        new(Scenario.AutoRenewal, "Automatic renewals", "One digest a day of the library system's automatic renewals: what was renewed until when, and what was not and why.",
            Reader | ModelSections.Renewals, SampleRenewals),
        new(Scenario.CheckInReceipt, "Check-in receipt", "What was just returned, one receipt per check-in session.",
            Reader | ModelSections.Items, now => Loans(now, 2, -1)),
        new(Scenario.DueDateShortened, "Due date shortened", "The library system brought a loan's due date forward; the items show the date they were due before.",
            Reader | ModelSections.Items | ModelSections.Recall, now => Loans(now, 21, 21) with
            {
                Items = [Loans(now, 21, 21).Items![0]],
                Recall = new RecallFacts { Reason = "The library closes for refurbishment.", NewDueDate = now.AddDays(7) },
            }),
        new(Scenario.Welcome, "Welcome", "Welcomes a new member of the library.",
            Reader, _ => new TemplateData()),
        new(Scenario.CardExpiring, "Card expiring", "The patron's library card expires soon; sent the library's number of days before.",
            Reader | ModelSections.Card, now => new TemplateData { Card = new CardFacts { ExpiresAt = now.AddDays(30) } }),
    }.ToDictionary(d => d.Scenario);

    public static IReadOnlyCollection<ScenarioDefinition> All => Definitions.Values;

    public static ScenarioDefinition Get(Scenario scenario) =>
        Definitions.TryGetValue(scenario, out var definition)
            ? definition
            : throw new ArgumentOutOfRangeException(nameof(scenario), scenario, "No catalogue entry for this scenario.");

    private static TemplateData Loans(DateTimeOffset now, int firstDueInDays, int otherDueInDays)
    {
        LoanFacts[] items =
        [
            new LoanFacts { Title = "The Hobbit", Author = "J. R. R. Tolkien", Barcode = "30001234567890", DueDate = now.AddDays(firstDueInDays) },
            new LoanFacts { Title = "Matilda", Author = "Roald Dahl", Barcode = "30001234567891", DueDate = now.AddDays(otherDueInDays) },
            new LoanFacts { Title = "Wonder", Author = "R. J. Palacio", Barcode = "30001234567892", DueDate = now.AddDays(otherDueInDays) },
        ];

        // What a shared contact's email lists (household, class list, summary): the sample patron and two more.
        return new TemplateData
        {
            Items = items,
            Patrons =
            [
                new PatronFacts { Name = "Alex Morgan", Group = "Year 7", Items = items[..2] },
                new PatronFacts { Name = "Jo Morgan", Group = "Year 4", Items = [items[2]] },
                new PatronFacts
                {
                    Name = "Riley Chen",
                    Group = "Year 7",
                    Items = [new LoanFacts { Title = "Holes", Author = "Louis Sachar", Barcode = "30001234567893", DueDate = now.AddDays(otherDueInDays) }],
                },
            ],
        };
    }

    private static TemplateData Reservation(DateTimeOffset now, int pickupByInDays) => new()
    {
        Reservation = new ReservationFacts
        {
            Title = "The Lion, the Witch and the Wardrobe",
            Author = "C. S. Lewis",
            PickupLocation = "Main desk, ground floor",
            PickupBy = now.AddDays(pickupByInDays),
        },
    };

    private static TemplateData Charges(DateTimeOffset now, int dueInDays, decimal? remaining, decimal? paid, decimal? balance) => new()
    {
        Charges = new ChargeFacts
        {
            Lines =
            [
                new ChargeLineFacts { Title = "The Hobbit", Author = "J. R. R. Tolkien", Barcode = "30001234567890", DueDate = now.AddDays(dueInDays), ReplacementCost = 14.99m, Fee = 5.00m },
                new ChargeLineFacts { Title = "Matilda", Author = "Roald Dahl", Barcode = "30001234567891", DueDate = now.AddDays(dueInDays), ReplacementCost = 7.99m, Fee = 5.00m },
            ],
            Remaining = remaining,
            Paid = paid,
            Balance = balance,
        },
    };

    private static TemplateData SampleRenewals(DateTimeOffset now) => new()
    {
        Renewals = new RenewalFacts
        {
            Renewed =
            [
                new RenewedFacts { Title = "The Hobbit", Author = "J. R. R. Tolkien", Barcode = "30001234567890", DueDate = now.AddDays(21), PreviousDueDate = now, FinalRenewal = false },
                new RenewedFacts { Title = "Matilda", Author = "Roald Dahl", Barcode = "30001234567891", DueDate = now.AddDays(21), PreviousDueDate = now, FinalRenewal = true },
            ],
            NotRenewed =
            [
                new NotRenewedFacts { Title = "Wonder", Author = "R. J. Palacio", Barcode = "30001234567892", DueDate = now.AddDays(1), Reason = RenewalRefusal.Reserved },
            ],
        },
    };

    private static TemplateData SampleOrder() => new()
    {
        Order = new OrderFacts
        {
            Number = "PO-2026-0042",
            SupplierName = "Northern Books Ltd",
            Currency = "GBP",
            DeliveryAddress = "Riverside Library, 1 Quay Street, Riverside RV1 2AB",
            Lines =
            [
                new OrderLineFacts { Title = "Holes", Isbn = "9780747544593", Quantity = 2, UnitPrice = 7.99m },
                new OrderLineFacts { Title = "Skellig", Isbn = "9781444916089", Quantity = 1, UnitPrice = 6.99m },
            ],
        },
    };
}
