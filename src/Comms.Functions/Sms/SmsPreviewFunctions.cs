using Comms.Functions.Http;
using Comms.Security;
using Comms.Sms;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.Sms;

/// <summary>Renders a scenario's SMS text (shipped, or a draft) with its encoding and segment count; nothing is sent.</summary>
public sealed class SmsPreviewFunctions(SmsPreviewService previews, LibraryAccess access)
{
    private const int MaxBodyBytes = 16 * 1024;

    [Function(nameof(PreviewSms))]
    public async Task<IActionResult> PreviewSms(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/sms/preview")] HttpRequest request,
        string libraryId)
    {
        await access.AuthorizeAsync(request, libraryId);
        var body = await RequestBody.ReadJsonAsync<SmsPreviewRequest>(request, MaxBodyBytes, request.HttpContext.RequestAborted);
        return new OkObjectResult(await previews.PreviewAsync(libraryId, body, request.HttpContext.RequestAborted));
    }
}
