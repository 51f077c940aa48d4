using Comms.Common;

namespace Comms.Notices;

/// <summary>
/// The most one notice may carry into the renderer. Every producer already bounds what it accepts (a checkout
/// session, an order, the text fields of each endpoint); these bounds are for the notices that gather records
/// (a digest, the current loans report) and a last check at the dispatcher, so no path can render an email
/// larger than providers accept (ACS: 10 MB per request by default) or than a reader can use.
/// </summary>
public static class NoticeLimits
{
    /// <summary>
    /// Loans or order lines listed in one email. At this many, with every text at its longest and made of
    /// characters that grow sixfold when escaped, the message is still a few MB (NoticeSizeLimitTests).
    /// </summary>
    public const int MaxItems = 500;

    /// <summary>
    /// Loans a head of school's summary may count (it lists at most <see cref="MaxItems"/> of them): a large school's
    /// whole morning. Beyond it, a patron's loans go to the head in an email of their own.
    /// </summary>
    public const int MaxSummaryItems = 20_000;

    /// <summary>The longest text any endpoint accepts for a fact a template shows (titles, authors, reasons, addresses).</summary>
    public const int MaxTextLength = 500;

    /// <summary>Throws a validation error naming each fact over a bound; reached only if a producer let one through.</summary>
    public static void Check(NoticeRequest request)
    {
        var errors = new ValidationErrors();
        // A head of school's summary counts a whole school's loans and lists at most MaxItems of them.
        var maxLoans = request.ContactDigest?.Shape == Contacts.ContactShape.Summary ? MaxSummaryItems : MaxItems;
        if (request.Loans.Count > maxLoans)
        {
            errors.Add("loans", $"A notice lists at most {maxLoans} loans; this one has {request.Loans.Count}.");
        }

        for (var i = 0; i < Math.Min(request.Loans.Count, MaxItems); i++)
        {
            var loan = request.Loans[i];
            CheckText(loan.Title, $"loans[{i}].title", errors);
            CheckText(loan.Author, $"loans[{i}].author", errors);
            CheckText(loan.Barcode, $"loans[{i}].barcode", errors);
        }

        if (request.ContactDigest is { } digest)
        {
            var max = digest.Shape == Contacts.ContactShape.Summary ? MaxSummaryItems : MaxItems;
            var count = digest.Patrons.Sum(p => p.Loans.Count);
            if (count > max)
            {
                errors.Add("contactDigest.patrons", $"A {digest.Shape.ToString().ToLowerInvariant()} email covers at most {max} loans; this one has {count}.");
            }
        }

        if (request.Reservation is { } reservation)
        {
            CheckText(reservation.Title, "reservation.title", errors);
            CheckText(reservation.Author, "reservation.author", errors);
            CheckText(reservation.PickupLocation, "reservation.pickupLocation", errors);
            CheckText(reservation.Reason, "reservation.reason", errors);
        }

        CheckText(request.Recall?.Reason, "recall.reason", errors);
        if (request.Order is { } order)
        {
            CheckOrder(order, errors);
        }

        errors.ThrowIfAny("The notice carries more than one email may hold.");
    }

    private static void CheckOrder(OrderFact order, ValidationErrors errors)
    {
        CheckText(order.OrderNumber, "order.orderNumber", errors);
        CheckText(order.Currency, "order.currency", errors);
        CheckText(order.DeliveryAddress, "order.deliveryAddress", errors);
        if (order.Lines.Count > MaxItems)
        {
            errors.Add("order.lines", $"An order email lists at most {MaxItems} lines; this one has {order.Lines.Count}.");
        }

        for (var i = 0; i < Math.Min(order.Lines.Count, MaxItems); i++)
        {
            CheckText(order.Lines[i].Title, $"order.lines[{i}].title", errors);
            CheckText(order.Lines[i].Isbn, $"order.lines[{i}].isbn", errors);
        }
    }

    private static void CheckText(string? value, string field, ValidationErrors errors)
    {
        if (value is { Length: > MaxTextLength })
        {
            errors.Add(field, $"At most {MaxTextLength} characters in a notice; this one has {value.Length}.");
        }
    }
}
