using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.StaffPage;

/// <summary>
/// The staff web page: static files embedded in this assembly, served by the app itself so nothing is loaded
/// from outside it. Anonymous on purpose: the files hold no data; every API call the page makes carries the
/// library key, and in Azure App Service Authentication (Entra ID) fronts the whole app (docs/staff-page.md).
/// </summary>
public sealed class StaffPageFunctions(StaffPageAssets assets)
{
    public const string RoutePrefix = "staff";

    [Function(nameof(StaffPage))]
    public IActionResult StaffPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = RoutePrefix + "/{*path}")] HttpRequest request)
    {
        // The path is read from the request rather than a route parameter: an empty catch-all binds
        // differently in the Functions host and the dev host, and "/api/staff" must still find the page.
        var requestPath = request.Path.Value ?? string.Empty;
        var marker = "/" + RoutePrefix;
        var at = requestPath.IndexOf(marker, StringComparison.Ordinal);
        var rest = at < 0 ? string.Empty : requestPath[(at + marker.Length)..];
        if (rest.Length == 0)
        {
            // Relative module URLs ("js/app.js") resolve against the folder, so the page must end in "/".
            return new RedirectResult(requestPath + "/", permanent: false);
        }

        if (rest.TrimStart('/') == StaffPreviewFrame.Path)
        {
            StaffPreviewFrame.Apply(request.HttpContext.Response.Headers, request.Query["logo"].FirstOrDefault());
            return new FileContentResult(StaffPreviewFrame.Content, "text/html; charset=utf-8");
        }

        var asset = assets.Find(rest.TrimStart('/'));
        if (asset is null)
        {
            return new NotFoundResult();
        }

        StaffPageHeaders.Apply(request.HttpContext.Response.Headers);
        return new FileContentResult(asset.Content, asset.ContentType);
    }
}
