using System.Net;
using Comms.Preferences;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Comms.Functions.Preferences;

/// <summary>
/// The short plain pages of the unsubscribe link: no script, no style sheet, no external resource, one form that
/// posts back to the same address. Library names are HTML-encoded; the token is written only into the form's own
/// action, never into a log.
/// </summary>
public static class UnsubscribePage
{
    /// <summary>Nothing may load or run; the one form may only post back here.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static ContentResult For(UnsubscribeAnswer answer, string token, IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer"; // the token is in this page's address
        headers.CacheControl = "no-store";
        headers["X-Robots-Tag"] = "noindex";

        var library = WebUtility.HtmlEncode(answer.LibraryName ?? "the library");
        var what = WebUtility.HtmlEncode(answer.ScenarioTitle ?? "these");
        return answer.Outcome switch
        {
            UnsubscribeOutcome.Confirm => Page(200, "Unsubscribe?", $"""
                <p>Stop receiving <strong>{what}</strong> emails from {library} at this address? Other notices, such as overdue items, still come.</p>
                <form method="post" action="?token={WebUtility.UrlEncode(token)}">
                <input type="hidden" name="List-Unsubscribe" value="One-Click">
                <button type="submit">Unsubscribe</button>
                </form>
                """),
            UnsubscribeOutcome.Done => Page(200, "Unsubscribed", $"<p>You will no longer receive <strong>{what}</strong> emails from {library} at this address.</p>"),
            UnsubscribeOutcome.Mandatory => Page(409, "Cannot unsubscribe", $"<p>{library} must send <strong>{what}</strong> notices; they cannot be turned off. Please contact the library.</p>"),
            UnsubscribeOutcome.Gone => Page(404, "Nothing to change", "<p>This link is for an address or an account the library no longer holds. Nothing was changed.</p>"),
            _ => Page(403, "Link not valid", "<p>This unsubscribe link is not valid or has expired. Nothing was changed. Use the link in a recent email, or contact the library.</p>"),
        };
    }

    private static ContentResult Page(int status, string title, string body) => new()
    {
        StatusCode = status,
        ContentType = "text/html; charset=utf-8",
        Content = $"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title></head>
            <body><main><h1>{title}</h1>
            {body}
            </main></body>
            </html>
            """,
    };
}
