using Comms.Functions.Http;
using Comms.Security;
using Comms.Sms.Texts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.Sms;

/// <summary>A library's own SMS texts per scenario and language: read, save (a version each), versions, roll back, back to shipped.</summary>
public sealed class SmsTextFunctions(SmsTextService texts, LibraryAccess access)
{
    /// <summary>A 2,000-character text, JSON-escaped at its worst (\uXXXX), fits with room to spare.</summary>
    private const int MaxBodyBytes = 16 * 1024;

    [Function(nameof(ListSmsTexts))]
    public async Task<IActionResult> ListSmsTexts(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "libraries/{libraryId}/sms/texts")] HttpRequest request,
        string libraryId)
    {
        await access.AuthorizeAsync(request, libraryId);
        return new OkObjectResult(await texts.ListAsync(libraryId, Language(request), request.HttpContext.RequestAborted));
    }

    [Function(nameof(GetSmsText))]
    public async Task<IActionResult> GetSmsText(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "libraries/{libraryId}/sms/texts/{scenario}")] HttpRequest request,
        string libraryId,
        string scenario)
    {
        await access.AuthorizeAsync(request, libraryId);
        return new OkObjectResult(await texts.GetAsync(libraryId, scenario, Language(request), request.HttpContext.RequestAborted));
    }

    [Function(nameof(SaveSmsText))]
    public async Task<IActionResult> SaveSmsText(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "libraries/{libraryId}/sms/texts/{scenario}")] HttpRequest request,
        string libraryId,
        string scenario)
    {
        await access.AuthorizeAsync(request, libraryId);
        var body = await RequestBody.ReadJsonAsync<SaveSmsTextRequest>(request, MaxBodyBytes, request.HttpContext.RequestAborted);
        return new OkObjectResult(await texts.SaveAsync(libraryId, scenario, body, request.HttpContext.RequestAborted));
    }

    /// <summary>Back to the shipped text (recorded as a version); the library's earlier texts stay in the history.</summary>
    [Function(nameof(RevertSmsText))]
    public async Task<IActionResult> RevertSmsText(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "libraries/{libraryId}/sms/texts/{scenario}")] HttpRequest request,
        string libraryId,
        string scenario)
    {
        await access.AuthorizeAsync(request, libraryId);
        return new OkObjectResult(await texts.RevertAsync(libraryId, scenario, Language(request), request.HttpContext.RequestAborted));
    }

    [Function(nameof(ListSmsTextVersions))]
    public async Task<IActionResult> ListSmsTextVersions(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "libraries/{libraryId}/sms/texts/{scenario}/versions")] HttpRequest request,
        string libraryId,
        string scenario)
    {
        await access.AuthorizeAsync(request, libraryId);
        return new OkObjectResult(await texts.ListVersionsAsync(libraryId, scenario, Language(request), request.HttpContext.RequestAborted));
    }

    [Function(nameof(RollbackSmsText))]
    public async Task<IActionResult> RollbackSmsText(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/sms/texts/{scenario}/rollback")] HttpRequest request,
        string libraryId,
        string scenario)
    {
        await access.AuthorizeAsync(request, libraryId);
        var body = await RequestBody.ReadJsonAsync<SmsTextRollbackRequest>(request, MaxBodyBytes, request.HttpContext.RequestAborted);
        return new OkObjectResult(await texts.RollbackAsync(libraryId, scenario, body, request.HttpContext.RequestAborted));
    }

    /// <summary>The optional ?language= (validated by the service); absent or empty: the library's default language.</summary>
    private static string? Language(HttpRequest request) =>
        request.Query.TryGetValue("language", out var value) && !string.IsNullOrEmpty(value.ToString()) ? value.ToString() : null;
}
