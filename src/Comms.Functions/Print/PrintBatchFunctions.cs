using Comms.Common;
using Comms.Functions.Http;
using Comms.Print;
using Comms.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.Print;

/// <summary>The library's print batches: make one now, list them, their items and PDF, and confirm printing (docs/channels.md).</summary>
public sealed class PrintBatchFunctions(PrintBatchService batches, LibraryAccess access)
{
    private const int MaxBodyBytes = 4 * 1024;

    /// <summary>
    /// Staff need not wait for the morning's timer: every waiting printed notice (of one branch, when the optional body
    /// names it) goes into a batch now. No body, or <c>{ "branch": "east" }</c>; nothing else is accepted, so a body
    /// or query meant for another endpoint is an error rather than a batch made by mistake.
    /// </summary>
    [Function(nameof(CreatePrintBatches))]
    public async Task<IActionResult> CreatePrintBatches(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/print/batches")] HttpRequest request,
        string libraryId)
    {
        await access.AuthorizeAsync(request, libraryId);
        if (request.Query.Count > 0)
        {
            throw RequestValidationException.For(request.Query.Keys.First(), "This endpoint takes no query parameters; name a branch in the body.");
        }

        var body = await RequestBody.ReadOptionalJsonAsync<CreatePrintBatchRequest>(request, MaxBodyBytes, request.HttpContext.RequestAborted) ?? new CreatePrintBatchRequest();
        body.Validate();
        var made = await batches.CreateAsync(libraryId, body.Branch, request.HttpContext.RequestAborted);
        return new OkObjectResult(new { batches = made });
    }

    [Function(nameof(ListPrintBatches))]
    public async Task<IActionResult> ListPrintBatches(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "libraries/{libraryId}/print/batches")] HttpRequest request,
        string libraryId)
    {
        await access.AuthorizeAsync(request, libraryId);
        var (pageSize, token) = Paging.Read(request);
        return new OkObjectResult(await batches.ListAsync(libraryId, pageSize, token, request.HttpContext.RequestAborted));
    }

    [Function(nameof(GetPrintBatch))]
    public async Task<IActionResult> GetPrintBatch(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "libraries/{libraryId}/print/batches/{batchId}")] HttpRequest request,
        string libraryId,
        string batchId)
    {
        await access.AuthorizeAsync(request, libraryId);
        return new OkObjectResult(await batches.GetAsync(libraryId, batchId, request.HttpContext.RequestAborted));
    }

    [Function(nameof(ListPrintBatchItems))]
    public async Task<IActionResult> ListPrintBatchItems(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "libraries/{libraryId}/print/batches/{batchId}/items")] HttpRequest request,
        string libraryId,
        string batchId)
    {
        await access.AuthorizeAsync(request, libraryId);
        return new OkObjectResult(new { items = await batches.ListItemsAsync(libraryId, batchId, request.HttpContext.RequestAborted) });
    }

    /// <summary>The batch's PDF, one page per notice; the patron data in it is why it is never cached.</summary>
    [Function(nameof(GetPrintBatchPdf))]
    public async Task<IActionResult> GetPrintBatchPdf(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "libraries/{libraryId}/print/batches/{batchId}/pdf")] HttpRequest request,
        string libraryId,
        string batchId)
    {
        await access.AuthorizeAsync(request, libraryId);
        var pdf = await batches.GetPdfAsync(libraryId, batchId, request.HttpContext.RequestAborted);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return new FileContentResult(pdf, "application/pdf") { FileDownloadName = $"print-{libraryId}-{batchId}.pdf" };
    }

    /// <summary>Staff confirm they printed the batch; its log rows read Printed. Audited on the batch, idempotent.</summary>
    [Function(nameof(MarkPrintBatchPrinted))]
    public async Task<IActionResult> MarkPrintBatchPrinted(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/print/batches/{batchId}/printed")] HttpRequest request,
        string libraryId,
        string batchId)
    {
        await access.AuthorizeAsync(request, libraryId);
        return new OkObjectResult(await batches.MarkPrintedAsync(libraryId, batchId, LibraryAccessExtensions.CallerOf(request), request.HttpContext.RequestAborted));
    }
}
