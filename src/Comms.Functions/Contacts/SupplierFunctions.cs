using Comms.Contacts;
using Comms.Functions.Http;
using Comms.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.Contacts;

/// <summary>Suppliers that receive purchase orders.</summary>
public sealed class SupplierFunctions(SupplierService suppliers, LibraryAccess access)
{
    [Function(nameof(PutSupplier))]
    public async Task<IActionResult> PutSupplier(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "libraries/{libraryId}/suppliers/{supplierId}")] HttpRequest request,
        string libraryId,
        string supplierId)
    {
        await access.AuthorizeAsync(request, libraryId);
        var supplier = await RequestBody.ReadJsonAsync<Supplier>(request, cancellationToken: request.HttpContext.RequestAborted);
        return new OkObjectResult(await suppliers.UpsertAsync(libraryId, supplierId, supplier, request.HttpContext.RequestAborted));
    }

    [Function(nameof(GetSupplier))]
    public async Task<IActionResult> GetSupplier(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "libraries/{libraryId}/suppliers/{supplierId}")] HttpRequest request,
        string libraryId,
        string supplierId)
    {
        await access.AuthorizeAsync(request, libraryId);
        return new OkObjectResult(await suppliers.GetAsync(libraryId, supplierId, request.HttpContext.RequestAborted));
    }

    [Function(nameof(DeleteSupplier))]
    public async Task<IActionResult> DeleteSupplier(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "libraries/{libraryId}/suppliers/{supplierId}")] HttpRequest request,
        string libraryId,
        string supplierId)
    {
        await access.AuthorizeAsync(request, libraryId);
        await suppliers.DeleteAsync(libraryId, supplierId, request.HttpContext.RequestAborted);
        return new NoContentResult();
    }

    [Function(nameof(ListSuppliers))]
    public async Task<IActionResult> ListSuppliers(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "libraries/{libraryId}/suppliers")] HttpRequest request,
        string libraryId)
    {
        await access.AuthorizeAsync(request, libraryId);
        var (pageSize, token) = Paging.Read(request);
        return new OkObjectResult(await suppliers.ListAsync(libraryId, pageSize, token, request.HttpContext.RequestAborted));
    }
}
