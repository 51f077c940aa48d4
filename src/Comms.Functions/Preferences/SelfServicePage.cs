using System.Net;
using System.Text;
using Comms.Functions.Http;
using Comms.Preferences;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Comms.Functions.Preferences;

/// <summary>
/// The patron's preferences page, rendered on the server: a real form of labelled checkboxes in a fieldset (keyboard
/// and screen readers need nothing more), mandatory notices shown checked and disabled with the reason, a viewport for
/// phones, and no script, no style sheet and no external resource at all — the strictest CSP there is, plus a form
/// that may only post back here. Every value from the library or the patron is HTML-encoded.
/// </summary>
public static class SelfServicePage
{
    public const string ContentSecurityPolicy = UnsubscribePage.ContentSecurityPolicy;

    public static IActionResult For(SelfServiceView view, string token, HttpRequest request)
    {
        UnsubscribePage.Secure(request.HttpContext.Response.Headers, ContentSecurityPolicy);
        if (view.Outcome is SelfServiceOutcome.Refused or SelfServiceOutcome.Gone)
        {
            var (status, title, text) = view.Outcome == SelfServiceOutcome.Refused
                ? (403, "Link not valid", "This link is not valid, has expired or was withdrawn. Open the link in your most recent email from the library.")
                : (404, "Nothing to show", "This link is for an address or an account the library no longer holds.");
            return UnsubscribePage.WantsHtml(request)
                ? UnsubscribePage.Page(status, title, $"<p>{text}</p>")
                : Problems.Problem(status, title, text + " Nothing was changed.");
        }

        var library = WebUtility.HtmlEncode(view.LibraryName);
        var body = new StringBuilder();
        body.Append(CultureInvariant($"<p>Hello {WebUtility.HtmlEncode(view.ReaderName)}. Choose which emails {library} sends you at this address.</p>\n"));
        if (view.Outcome == SelfServiceOutcome.Saved)
        {
            body.Append("<p role=\"status\"><strong>Your choices are saved.</strong></p>\n");
        }
        else if (view.Outcome == SelfServiceOutcome.Invalid)
        {
            body.Append("<p role=\"alert\"><strong>Nothing was saved: please correct the choice marked below.</strong></p>\n");
        }

        body.Append(CultureInvariant($"<form method=\"post\" action=\"?token={WebUtility.UrlEncode(token)}\">\n<fieldset>\n<legend>Emails from {library}</legend>\n"));
        foreach (var item in view.Switches!)
        {
            var id = "s-" + item.Name;
            var hint = item.Mandatory ? "The library always sends this." : item.Description;
            body.Append(CultureInvariant($"""
                <p><input type="checkbox" id="{id}" name="on" value="{item.Name}"{(item.On ? " checked" : string.Empty)}{(item.Mandatory ? " disabled" : string.Empty)} aria-describedby="{id}-hint">
                <label for="{id}">{WebUtility.HtmlEncode(item.Title)}</label>
                <br><small id="{id}-hint">{WebUtility.HtmlEncode(hint)}</small></p>

                """));
        }

        body.Append("</fieldset>\n");
        if (view.CourtesyDays is { } courtesy)
        {
            body.Append(CourtesyDaysField(courtesy, view.Errors));
        }

        if (view.Delivery is { } delivery)
        {
            body.Append(DeliveryField(delivery, view.Errors?.GetValueOrDefault("delivery")));
        }

        body.Append("<input type=\"hidden\" name=\"save\" value=\"1\">\n<button type=\"submit\">Save my choices</button>\n</form>\n");
        // The page's words are English today (docs/preferences.md), so it says so: lang names the text, not the reader.
        return UnsubscribePage.Page(view.Outcome == SelfServiceOutcome.Invalid ? 400 : 200, $"{library}: your email preferences", body.ToString());
    }

    /// <summary>Two native radios in a fieldset: a legend names the group for a screen reader.</summary>
    private static string DeliveryField(NoticeDelivery delivery, string[]? errors)
    {
        string Radio(NoticeDelivery value, string label) => CultureInvariant($"""
            <p><input type="radio" id="d-{PreferenceValidator.DeliveryName(value)}" name="delivery" value="{PreferenceValidator.DeliveryName(value)}"{(value == delivery ? " checked" : string.Empty)}>
            <label for="d-{PreferenceValidator.DeliveryName(value)}">{label}</label></p>

            """);

        var error = errors is { Length: > 0 } ? $"<p><small>{WebUtility.HtmlEncode(string.Join(" ", errors))}</small></p>\n" : string.Empty;
        return "<fieldset>\n<legend>When several items reach a reminder on the same day</legend>\n" + error
            + Radio(NoticeDelivery.Digest, "One email listing them all")
            + Radio(NoticeDelivery.PerItem, "One email per item")
            + "</fieldset>\n";
    }

    /// <summary>
    /// A select of the days the library allows (a select cannot hold a value outside them; a crafted post is refused
    /// with the message tied to the field by <c>aria-describedby</c>).
    /// </summary>
    private static string CourtesyDaysField(SelfServiceCourtesyDays courtesy, IReadOnlyDictionary<string, string[]>? errors)
    {
        var field = new StringBuilder();
        var error = errors?.GetValueOrDefault(CourtesyDays.Field) is { Length: > 0 } messages ? string.Join(" ", messages) : null;
        field.Append("<p><label for=\"days\">Days before the due date for the reminder</label>\n<br><select id=\"days\" name=\"preOverdueDaysBefore\" aria-describedby=\"days-hint\"");
        field.Append(error is null ? ">\n" : " aria-invalid=\"true\">\n");
        for (var days = courtesy.Min; days <= courtesy.Max; days++)
        {
            field.Append(CultureInvariant($"<option value=\"{days}\"{(days == courtesy.Days ? " selected" : string.Empty)}>{days}</option>\n"));
        }

        field.Append(CultureInvariant($"</select>\n<br><small id=\"days-hint\">{WebUtility.HtmlEncode(error ?? $"How many days before an item is due the \"due soon\" reminder comes: {courtesy.Min} to {courtesy.Max}.")}</small></p>\n"));
        return field.ToString();
    }

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);
}
