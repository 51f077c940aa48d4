using Comms.Preferences;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.Preferences;

/// <summary>
/// The one-click unsubscribe link of an optional notice (RFC 8058). Anonymous: the signed token is the only
/// credential, so no session, cookie or key is needed — a mailbox provider POSTs it on the reader's behalf.
/// </summary>
public sealed class UnsubscribeFunctions(Unsubscribe unsubscribe, PatronPageBranding branding)
{
    /// <summary>GET only shows the confirm page: mail scanners prefetch links, and a prefetch must change nothing.</summary>
    [Function(nameof(ConfirmUnsubscribe))]
    public async Task<IActionResult> ConfirmUnsubscribe(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "preferences/unsubscribe")] HttpRequest request)
    {
        var token = request.Query["token"].ToString();
        var answer = await unsubscribe.PreviewAsync(token, request.HttpContext.RequestAborted);
        return UnsubscribePage.For(answer, token, request, await branding.ForAsync(answer, token, request.HttpContext.RequestAborted));
    }

    /// <summary>
    /// The one-click POST (body <c>List-Unsubscribe=One-Click</c>, or the confirm page's button): turns the scenario
    /// off for this recipient. The body is not read: the signed token alone says what to change.
    /// </summary>
    [Function(nameof(Unsubscribe))]
    public async Task<IActionResult> Unsubscribe(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "preferences/unsubscribe")] HttpRequest request)
    {
        var token = request.Query["token"].ToString();
        var answer = await unsubscribe.ApplyAsync(token, request.HttpContext.RequestAborted);
        return UnsubscribePage.For(answer, token, request, await branding.ForAsync(answer, token, request.HttpContext.RequestAborted));
    }
}
