using Comms.Acquisitions;
using Comms.Functions.Http;
using Comms.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.Acquisitions;

/// <summary>Purchase orders emailed to suppliers: idempotent per order number, with an explicit re-send.</summary>
public sealed class SupplierOrderFunctions(SupplierOrderService orders, LibraryAccess access)
{
    private const long MaxOrderBytes = 1024 * 1024;

    [Function(nameof(PlaceSupplierOrder))]
    public async Task<IActionResult> PlaceSupplierOrder(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/orders")] HttpRequest request,
        string libraryId)
    {
        await access.AuthorizeAsync(request, libraryId);
        var order = await RequestBody.ReadJsonAsync<SupplierOrder>(request, MaxOrderBytes, request.HttpContext.RequestAborted);
        var (stored, result) = await orders.PlaceAsync(libraryId, order, request.HttpContext.RequestAborted);
        return new AcceptedResult($"/api/libraries/{libraryId}/orders/{stored.Order.OrderNumber}", new OrderAnswer(stored, result));
    }

    [Function(nameof(GetSupplierOrder))]
    public async Task<IActionResult> GetSupplierOrder(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "libraries/{libraryId}/orders/{orderNumber}")] HttpRequest request,
        string libraryId,
        string orderNumber)
    {
        await access.AuthorizeAsync(request, libraryId);
        return new OkObjectResult(await orders.GetAsync(libraryId, orderNumber, request.HttpContext.RequestAborted));
    }

    [Function(nameof(ResendSupplierOrder))]
    public async Task<IActionResult> ResendSupplierOrder(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/orders/{orderNumber}/resend")] HttpRequest request,
        string libraryId,
        string orderNumber)
    {
        await access.AuthorizeAsync(request, libraryId);
        var (stored, result) = await orders.ResendAsync(libraryId, orderNumber, request.HttpContext.RequestAborted);
        return new AcceptedResult($"/api/libraries/{libraryId}/orders/{stored.Order.OrderNumber}", new OrderAnswer(stored, result));
    }

    /// <summary>The stored order and the notice that carries it to the supplier.</summary>
    public sealed record OrderAnswer(StoredSupplierOrder Order, Comms.Outbox.QueuedNotice Notice);
}
