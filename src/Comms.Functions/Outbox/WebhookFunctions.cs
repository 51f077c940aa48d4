using Comms.Functions.Http;
using Comms.Security;
using Comms.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.Outbox;

/// <summary>A library's status webhook (register, read, remove) and the queue function that sends its events.</summary>
public sealed class WebhookFunctions(WebhookService webhooks, WebhookDelivery delivery, LibraryAccess access)
{
    public const string QueueSetting = "%" + WebhookOptions.Section + ":QueueName%";

    /// <summary>Registers (or replaces) the endpoint; the answer holds the signing secret, shown this once.</summary>
    [Function(nameof(PutWebhook))]
    public async Task<IActionResult> PutWebhook(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "libraries/{libraryId}/webhook")] HttpRequest request,
        string libraryId)
    {
        await access.AuthorizeAsync(request, libraryId);
        var body = await RequestBody.ReadJsonAsync<WebhookRequest>(request, 8 * 1024, request.HttpContext.RequestAborted);
        return new OkObjectResult(await webhooks.RegisterAsync(libraryId, body, request.HttpContext.RequestAborted));
    }

    [Function(nameof(GetWebhook))]
    public async Task<IActionResult> GetWebhook(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "libraries/{libraryId}/webhook")] HttpRequest request,
        string libraryId)
    {
        await access.AuthorizeAsync(request, libraryId);
        return new OkObjectResult(await webhooks.GetAsync(libraryId, request.HttpContext.RequestAborted));
    }

    [Function(nameof(DeleteWebhook))]
    public async Task<IActionResult> DeleteWebhook(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "libraries/{libraryId}/webhook")] HttpRequest request,
        string libraryId)
    {
        await access.AuthorizeAsync(request, libraryId);
        await webhooks.DeleteAsync(libraryId, request.HttpContext.RequestAborted);
        return new NoContentResult();
    }

    [Function(nameof(SendStatusEvent))]
    public Task SendStatusEvent([QueueTrigger(QueueSetting, Connection = "AzureWebJobsStorage")] BinaryData message, CancellationToken cancellationToken) =>
        delivery.DeliverAsync(message, cancellationToken);
}
