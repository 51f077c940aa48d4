using System.Text.Json;
using Comms.Common;
using Comms.Contacts;
using Comms.Libraries;
using Comms.Notices;
using Comms.Scenarios;
using Comms.Storage;

namespace Comms.Acquisitions;

/// <summary>
/// Sends an order to the supplier's order addresses once per order number. Posting the same order again
/// is safe (the delivery ledger sends nothing twice); a different order under the same number is a
/// conflict; an explicit re-send raises the revision and sends again.
/// </summary>
public sealed class SupplierOrderService(
    SupplierOrderStore orders,
    SupplierService suppliers,
    LibraryService libraries,
    Outbox.NoticeOutbox outbox,
    TimeProvider clock)
{
    public async Task<(StoredSupplierOrder Order, Outbox.QueuedNotice Notice)> PlaceAsync(string libraryId, SupplierOrder order, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        SupplierOrderValidator.Validate(order, errors);
        errors.ThrowIfAny();
        var library = await libraries.GetAsync(libraryId, cancellationToken);
        await suppliers.GetAsync(libraryId, order.SupplierId, cancellationToken);

        var stored = new StoredSupplierOrder(order, 0, clock.GetUtcNow());
        if (!await orders.TryInsertAsync(libraryId, stored, cancellationToken))
        {
            stored = (await orders.GetAsync(libraryId, order.OrderNumber, cancellationToken))!;
            if (!SameOrder(stored.Order, order))
            {
                throw new ConflictException($"Order '{order.OrderNumber}' was already placed with different content. Use a new order number, or re-send the original.");
            }
        }

        return (stored, await DispatchAsync(library, stored, cancellationToken));
    }

    public async Task<(StoredSupplierOrder Order, Outbox.QueuedNotice Notice)> ResendAsync(string libraryId, string orderNumber, CancellationToken cancellationToken = default)
    {
        var library = await libraries.GetAsync(libraryId, cancellationToken);
        var stored = (TableKeys.IsValidId(orderNumber) ? await orders.GetAsync(libraryId, orderNumber, cancellationToken) : null)
            ?? throw new NotFoundException($"Order '{orderNumber}' was not found.");
        stored = stored with { Revision = stored.Revision + 1 };
        await orders.TryReplaceAsync(libraryId, stored, cancellationToken);
        return (stored, await DispatchAsync(library, stored, cancellationToken));
    }

    public async Task<StoredSupplierOrder> GetAsync(string libraryId, string orderNumber, CancellationToken cancellationToken = default) =>
        (TableKeys.IsValidId(orderNumber) ? await orders.GetAsync(libraryId, orderNumber, cancellationToken) : null)
        ?? throw new NotFoundException($"Order '{orderNumber}' was not found.");

    private Task<Outbox.QueuedNotice> DispatchAsync(Library library, StoredSupplierOrder stored, CancellationToken cancellationToken)
    {
        var order = stored.Order;
        return outbox.EnqueueAsync(new NoticeRequest
        {
            LibraryId = library.Id,
            Scenario = new ScenarioKey(Scenario.SupplierOrder),
            SubjectRecordId = order.OrderNumber,
            ScheduledFor = LibraryClock.Today(library, stored.ReceivedAt),
            SupplierId = order.SupplierId,
            Revision = stored.Revision,
            Order = new OrderFact(
                order.OrderNumber,
                [.. order.Lines.Select(l => new OrderLineFact(l.Title, l.Isbn, l.Quantity, l.UnitPrice))],
                order.Currency,
                order.DeliveryAddress,
                order.Notes),
        }, cancellationToken);
    }

    private static bool SameOrder(SupplierOrder a, SupplierOrder b) =>
        JsonSerializer.Serialize(a, CommsJson.Options) == JsonSerializer.Serialize(b, CommsJson.Options);
}
