using Comms.Contacts;
using Comms.Templates;

namespace Comms.Notices;

/// <summary>Turns a request's facts into the template data the model builder formats.</summary>
public static class NoticeTemplateData
{
    public static TemplateData From(NoticeRequest request, Supplier? supplier) => new()
    {
        Items = request.Loans.Count == 0 ? null : [.. request.Loans.Select(Facts)],
        Patrons = request.ContactDigest is { } digest
            ? [.. digest.Patrons.Select(p => new PatronFacts { Name = p.Name, Group = p.Group, Items = [.. p.Loans.Select(Facts)], Listed = p.Listed })]
            : null,
        Levels = request.ContactDigest?.WeeklyLevels,
        Reservation = request.Reservation is { } r ? new ReservationFacts
        {
            Title = r.Title,
            Author = r.Author,
            PickupLocation = r.PickupLocation ?? string.Empty,
            PickupBy = r.PickupBy ?? default,
            Reason = r.Reason,
        } : null,
        Order = request.Order is { } o ? new OrderFacts
        {
            Number = o.OrderNumber,
            SupplierName = supplier?.Name,
            Currency = o.Currency,
            DeliveryAddress = o.DeliveryAddress ?? string.Empty,
            Lines = [.. o.Lines.Select(l => new OrderLineFacts { Title = l.Title, Isbn = l.Isbn, Quantity = l.Quantity, UnitPrice = l.UnitPrice })],
        } : null,
        Reset = request.PasswordReset is { } reset ? new ResetFacts { Link = reset.Link.AbsoluteUri, ExpiresAt = reset.ExpiresAt } : null,
        // The reason shows even when no return date came with the request (a recall raised before every recall had one).
        Recall = request.Recall is { } recall
            ? new RecallFacts { Reason = recall.Reason ?? string.Empty, NewDueDate = recall.NewDueAt ?? default }
            : null,
        // The listed loans with what is charged for them; only the charges scenarios' models show it.
        Charges = request.Loans.Count > 0 || request.Charge is not null ? new ChargeFacts
        {
            Lines = [.. request.Loans.Select(l => new ChargeLineFacts
            {
                Title = l.Title,
                Author = l.Author,
                Barcode = l.Barcode ?? string.Empty,
                DueDate = l.DueAt,
                ReplacementCost = l.ReplacementCost,
                Fee = l.Fee,
            })],
            Remaining = request.Charge?.Remaining,
            Paid = request.Charge?.Paid,
            Balance = request.Charge?.Balance,
        } : null,
        Card = request.CardExpiresAt is { } expires ? new CardFacts { ExpiresAt = expires } : null,
        Renewals = request.Renewals.Count == 0 ? null : new RenewalFacts
        {
            Renewed = [.. request.Renewals.Where(r => r.Refusal is null).Select(r => new RenewedFacts
            {
                Title = r.Title, Author = r.Author, Barcode = r.Barcode ?? string.Empty, DueDate = r.DueAt, PreviousDueDate = r.PreviousDueAt, FinalRenewal = r.FinalRenewal,
            })],
            NotRenewed = [.. request.Renewals.Where(r => r.Refusal is not null).Select(r => new NotRenewedFacts
            {
                Title = r.Title, Author = r.Author, Barcode = r.Barcode ?? string.Empty, DueDate = r.DueAt, Reason = r.Refusal!.Value,
            })],
        },
    };

    private static LoanFacts Facts(LoanFact loan) => new()
    {
        Title = loan.Title,
        Author = loan.Author,
        Barcode = loan.Barcode ?? string.Empty,
        DueDate = loan.DueAt,
    };
}
