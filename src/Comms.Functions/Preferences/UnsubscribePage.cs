using System.Globalization;
using System.Net;
using Comms.Functions.Http;
using Comms.Preferences;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Comms.Functions.Preferences;

/// <summary>
/// The short plain pages of the unsubscribe link: no script, no style sheet, no external resource (but the library's
/// brand, <see cref="PatronPageBranding"/>), one form that posts back to the same address. Library names are HTML-encoded; the token is written only into the form's own
/// action, never into a log.
/// </summary>
public static class UnsubscribePage
{
    /// <summary>Nothing may load or run; the one form may only post back here.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// A person's browser (Accept: text/html) gets a page for every outcome; a mailbox provider's one-click POST gets
    /// the page on success and problem+json for a refusal, like every other endpoint of the API.
    /// </summary>
    /// <param name="brand">The library's layout for the page (<see cref="PatronPageBranding"/>); none for a link that did not verify.</param>
    public static IActionResult For(UnsubscribeAnswer answer, string token, HttpRequest request, PageBrand? brand = null)
    {
        var page = Html(answer, token, request.HttpContext.Response.Headers, brand);
        return page.StatusCode >= 400 && !WantsHtml(request)
            ? Problems.Problem(page.StatusCode!.Value, page.StatusCode == 403 ? "Forbidden" : "Not changed", Detail(answer.Outcome))
            : page;
    }

    public static bool WantsHtml(HttpRequest request) =>
        request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    /// <summary>The security headers of every patron-facing page: nothing loads, nothing frames it, nothing caches it.</summary>
    public static void Secure(IHeaderDictionary headers, string contentSecurityPolicy)
    {
        headers.ContentSecurityPolicy = contentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer"; // the token is in the page's address
        headers.CacheControl = "no-store";
        headers["X-Robots-Tag"] = "noindex";
    }

    private static string Detail(UnsubscribeOutcome outcome) => outcome switch
    {
        UnsubscribeOutcome.Mandatory => "The library makes this notice mandatory; it cannot be turned off. Nothing was changed.",
        UnsubscribeOutcome.Gone => "The link is for an address or account the library no longer holds. Nothing was changed.",
        _ => "The link is not valid or has expired. Nothing was changed.",
    };

    private static ContentResult Html(UnsubscribeAnswer answer, string token, IHeaderDictionary headers, PageBrand? brand)
    {
        Secure(headers, PatronPageBranding.Policy(ContentSecurityPolicy, brand));

        // The words in the reader's language where the engine has them (else English), and lang says which.
        var (language, t) = PreferenceTexts.For(answer.Language);
        var library = WebUtility.HtmlEncode(answer.LibraryName ?? "the library");
        var what = WebUtility.HtmlEncode(answer.Scenario is { } scenario ? t.Words(scenario).Title : "these");
        string Say(string text) => string.Format(CultureInfo.InvariantCulture, text, library, what);
        return answer.Outcome switch
        {
            UnsubscribeOutcome.Confirm => Page(200, WebUtility.HtmlEncode(t.UnsubscribeConfirmTitle), $"""
                <p>{Say(t.UnsubscribeConfirm)}</p>
                <form method="post" action="?token={WebUtility.UrlEncode(token)}">
                <input type="hidden" name="List-Unsubscribe" value="One-Click">
                <button type="submit">{WebUtility.HtmlEncode(t.UnsubscribeButton)}</button>
                </form>
                """, language, brand),
            UnsubscribeOutcome.Done => Page(200, WebUtility.HtmlEncode(t.UnsubscribedTitle), $"<p>{Say(t.Unsubscribed)}</p>", language, brand),
            UnsubscribeOutcome.Mandatory => Page(409, WebUtility.HtmlEncode(t.MandatoryTitle), $"<p>{Say(t.Mandatory)}</p>", language, brand),
            UnsubscribeOutcome.Gone => Page(404, WebUtility.HtmlEncode(t.GoneTitle), $"<p>{WebUtility.HtmlEncode(t.Gone)}</p>", language, brand),
            _ => Page(403, WebUtility.HtmlEncode(t.RefusedTitle), $"<p>{WebUtility.HtmlEncode(t.UnsubscribeRefused)}</p>", language),
        };
    }

    public static ContentResult Page(int status, string title, string body, string language = "en", PageBrand? brand = null) => new()
    {
        StatusCode = status,
        ContentType = "text/html; charset=utf-8",
        Content = $"""
            <!DOCTYPE html>
            <html lang="{WebUtility.HtmlEncode(language)}">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>{PatronPageBranding.Head(brand)}</head>
            <body>{PatronPageBranding.Banner(brand)}<main><h1>{title}</h1>
            {body}
            </main></body>
            </html>
            """,
    };
}
