using Comms.Functions.Http;
using Comms.Suppression;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.Suppression;

/// <summary>
/// The HTTPS endpoint an SNS topic of SES bounce and complaint notifications is subscribed to. It needs no
/// library key (SNS cannot send one): the message signature is the authentication, plus the function key in Azure.
/// </summary>
public sealed class SesNotificationFunction(SnsNotificationHandler handler)
{
    [Function(nameof(ReceiveSesNotification))]
    public async Task<IActionResult> ReceiveSesNotification(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "ses/notifications")] HttpRequest request)
    {
        // SNS posts JSON as text/plain, so the body is read raw rather than through RequestBody.ReadJsonAsync.
        var body = await RequestBody.ReadBoundedAsync(request, 256 * 1024, request.HttpContext.RequestAborted);
        var (outcome, addresses) = await handler.HandleAsync(body, request.HttpContext.RequestAborted);
        return new OkObjectResult(new { outcome, addresses });
    }
}
