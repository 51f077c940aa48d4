using Comms.Functions.Http;
using Comms.Security;
using Comms.Templates;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.Templates;

/// <summary>Renders a saved template or a draft for staff to check; nothing is sent.</summary>
public sealed class TemplatePreviewFunctions(TemplatePreviewService previews, LibraryAccess access)
{
    [Function(nameof(PreviewTemplate))]
    public async Task<IActionResult> PreviewTemplate(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/templates/preview")] HttpRequest request,
        string libraryId)
    {
        await access.AuthorizeAsync(request, libraryId);
        var body = await RequestBody.ReadJsonAsync<PreviewRequest>(request, TemplateFunctions.MaxTemplateBodyBytes, request.HttpContext.RequestAborted);
        return new OkObjectResult(await previews.PreviewAsync(libraryId, body, request.HttpContext.RequestAborted));
    }
}
