using Comms.Functions.Http;
using Comms.Notices;
using Comms.Security;
using Comms.Templates;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.Templates;

/// <summary>Sending a template by hand: a test to one address, or a chosen template to selected patrons.</summary>
public sealed class TemplateSendFunctions(TestSendService tests, ManualSendService manual, LibraryAccess access)
{
    [Function(nameof(TestSendTemplate))]
    public async Task<IActionResult> TestSendTemplate(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/templates/test-send")] HttpRequest request,
        string libraryId)
    {
        await access.AuthorizeAsync(request, libraryId);
        var body = await RequestBody.ReadJsonAsync<TestSendRequest>(request, TemplateFunctions.MaxTemplateBodyBytes, request.HttpContext.RequestAborted);
        var result = await tests.SendAsync(libraryId, body, request.HttpContext.RequestAborted);
        return new AcceptedResult((string?)null, result.Recipients);
    }

    /// <summary>One queued notice per patron (or the supplier), each with its status link.</summary>
    public sealed record ManualSendAnswer(IReadOnlyList<Comms.Outbox.QueuedNotice> Notices);

    [Function(nameof(ManualSend))]
    public async Task<IActionResult> ManualSend(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/notices/manual")] HttpRequest request,
        string libraryId)
    {
        await access.AuthorizeAsync(request, libraryId);
        var body = await RequestBody.ReadJsonAsync<ManualSendRequest>(request, cancellationToken: request.HttpContext.RequestAborted);
        var queued = await manual.SendAsync(libraryId, body, request.HttpContext.RequestAborted);
        return new AcceptedResult(queued.Count == 1 ? queued[0].Href : null, new ManualSendAnswer(queued));
    }
}
