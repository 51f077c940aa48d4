using Comms.Functions.Http;
using Comms.Preferences;
using Comms.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Comms.Functions.Preferences;

/// <summary>
/// The self-service pages (anonymous: the signed link in a notice's footer is the credential) — a patron's (m1 token)
/// and a contact address's (m2, from an email listing several patrons), one route and one page — and the library's
/// revocation of a patron's links.
/// </summary>
public sealed class SelfServiceFunctions(
    SelfService selfService, ContactSelfService contactSelfService, PreferenceService preferences, CourtesyReplans replans, PatronPageBranding branding, LibraryAccess access)
{
    /// <summary>A form of a few dozen checkboxes; anything larger is not this page's.</summary>
    private const int MaxFormBytes = 16 * 1024;

    [Function(nameof(ShowPreferencesPage))]
    public async Task<IActionResult> ShowPreferencesPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "preferences/manage")] HttpRequest request)
    {
        var token = request.Query["token"].ToString();
        return await PageAsync(await ShowAsync(token, request.HttpContext.RequestAborted), token, request);
    }

    [Function(nameof(SavePreferencesPage))]
    public async Task<IActionResult> SavePreferencesPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "preferences/manage")] HttpRequest request,
        [DurableClient] DurableTaskClient? client = null)
    {
        var token = request.Query["token"].ToString();
        var form = request.HasFormContentType && request.ContentLength is > 0 and <= MaxFormBytes
            ? await request.ReadFormAsync(request.HttpContext.RequestAborted)
            : null;

        // Only the page's own form (it carries save=1) saves: any other POST must not read as "everything off".
        if (form is null || form["save"] != "1")
        {
            return await PageAsync(await ShowAsync(token, request.HttpContext.RequestAborted), token, request);
        }

        var on = form["on"].OfType<string>().ToList();
        if (UnsubscribeLinks.IsContactManageToken(token))
        {
            // A contact's page has the notices only: days, digest and language are the patrons' and the library system's.
            return await PageAsync(await contactSelfService.SaveAsync(token, on, request.HttpContext.RequestAborted), token, request);
        }

        var days = form.TryGetValue("preOverdueDaysBefore", out var posted) ? posted.ToString() : null;
        var delivery = form.TryGetValue("delivery", out var chosen) ? chosen.ToString() : null;
        var language = form.TryGetValue("language", out var picked) ? picked.ToString() : null;
        var saved = await selfService.SaveAsync(token, on, days, delivery, language, request.HttpContext.RequestAborted);
        if (saved.ReplanPatronId is { } patronId)
        {
            await replans.RaiseAsync(client, saved.LibraryId!, [patronId]);
        }

        return await PageAsync(saved, token, request);
    }

    private Task<SelfServiceView> ShowAsync(string token, CancellationToken cancellationToken) =>
        UnsubscribeLinks.IsContactManageToken(token) ? contactSelfService.ShowAsync(token, cancellationToken) : selfService.ShowAsync(token, cancellationToken);

    private async Task<IActionResult> PageAsync(SelfServiceView view, string token, HttpRequest request) =>
        SelfServicePage.For(view, token, request, await branding.ForAsync(view, request.HttpContext.RequestAborted));

    /// <summary>Every self-service link sent to this patron's addresses stops working (a lost phone, a shared inbox).</summary>
    [Function(nameof(RevokePreferenceLinks))]
    public async Task<IActionResult> RevokePreferenceLinks(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/patrons/{patronId}/preferences/revoke-links")] HttpRequest request,
        string libraryId,
        string patronId)
    {
        await access.AuthorizeAsync(request, libraryId);
        await preferences.RevokeLinksAsync(libraryId, patronId, PreferenceFunctions.Caller(request), request.HttpContext.RequestAborted);
        return new NoContentResult();
    }
}
