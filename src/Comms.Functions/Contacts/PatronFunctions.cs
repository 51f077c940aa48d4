using System.Text;
using System.Text.Json;
using Comms.Common;
using Comms.Contacts;
using Comms.Functions.Http;
using Comms.Retention;
using Comms.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.Contacts;

/// <summary>Patrons and their contacts, one at a time or in bulk from the library system.</summary>
public sealed class PatronFunctions(PatronService patrons, PatronErasure erasure, LibraryAccess access)
{
    /// <summary>Ten thousand patrons with two contacts each are about 3 MB of JSON; leave room.</summary>
    public const long MaxImportBytes = 32L * 1024 * 1024;

    [Function(nameof(PutPatron))]
    public async Task<IActionResult> PutPatron(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "libraries/{libraryId}/patrons/{patronId}")] HttpRequest request,
        string libraryId,
        string patronId)
    {
        await access.AuthorizeAsync(request, libraryId);
        var patron = await RequestBody.ReadJsonAsync<Patron>(request, cancellationToken: request.HttpContext.RequestAborted);
        return new OkObjectResult(await patrons.UpsertAsync(libraryId, patronId, patron, request.HttpContext.RequestAborted));
    }

    [Function(nameof(GetPatron))]
    public async Task<IActionResult> GetPatron(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "libraries/{libraryId}/patrons/{patronId}")] HttpRequest request,
        string libraryId,
        string patronId)
    {
        await access.AuthorizeAsync(request, libraryId);
        return new OkObjectResult(await patrons.GetAsync(libraryId, patronId, request.HttpContext.RequestAborted));
    }

    /// <summary>Deletes the patron and erases them from the email log and loan history (docs/retention.md).</summary>
    [Function(nameof(DeletePatron))]
    public async Task<IActionResult> DeletePatron(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "libraries/{libraryId}/patrons/{patronId}")] HttpRequest request,
        string libraryId,
        string patronId)
    {
        await access.AuthorizeAsync(request, libraryId);
        await erasure.EraseAsync(libraryId, patronId, request.HttpContext.RequestAborted);
        return new NoContentResult();
    }

    [Function(nameof(ListPatrons))]
    public async Task<IActionResult> ListPatrons(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "libraries/{libraryId}/patrons")] HttpRequest request,
        string libraryId)
    {
        await access.AuthorizeAsync(request, libraryId);
        var (pageSize, token) = Paging.Read(request);
        return new OkObjectResult(await patrons.ListAsync(libraryId, pageSize, token, request.HttpContext.RequestAborted));
    }

    /// <summary>Bulk upsert from a JSON array or a CSV file (text/csv): all rows or none.</summary>
    [Function(nameof(ImportPatrons))]
    public async Task<IActionResult> ImportPatrons(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/patrons/import")] HttpRequest request,
        string libraryId)
    {
        await access.AuthorizeAsync(request, libraryId);
        var bytes = await RequestBody.ReadBoundedAsync(request, MaxImportBytes, request.HttpContext.RequestAborted);
        var parseErrors = new ValidationErrors();
        PatronCsvLines? lines = null;
        var rows = IsCsv(request)
            ? PatronCsv.Parse(new StringReader(Encoding.UTF8.GetString(bytes)), parseErrors, out lines)
            : ParseJsonArray(bytes);
        var imported = await patrons.ImportAsync(libraryId, rows, parseErrors, request.HttpContext.RequestAborted, lines is null ? null : lines.Field);
        return new OkObjectResult(new ImportResult(imported));
    }

    private static bool IsCsv(HttpRequest request) =>
        request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true;

    private static List<Patron> ParseJsonArray(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            throw RequestValidationException.For("body", "Send a JSON array of patrons, or CSV with Content-Type text/csv.");
        }

        return JsonSerializer.Deserialize<List<Patron>>(bytes, CommsJson.Options)
            ?? throw RequestValidationException.For("body", "Send a JSON array of patrons, not null.");
    }

    public sealed record ImportResult(int Imported);
}
