using Comms.Common;
using Comms.Functions.Http;
using Comms.Security;
using Comms.Templates;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.Templates;

/// <summary>A library's templates: list, copy, edit (each save a version), versions, roll back.</summary>
public sealed class TemplateFunctions(TemplateService templates, LibraryAccess access)
{
    /// <summary>Two 64 KiB bodies, JSON-escaped, fit with room to spare; more is refused before parsing.</summary>
    public const long MaxTemplateBodyBytes = 512 * 1024;

    [Function(nameof(ListTemplates))]
    public async Task<IActionResult> ListTemplates(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "libraries/{libraryId}/templates")] HttpRequest request,
        string libraryId)
    {
        await access.AuthorizeAsync(request, libraryId);
        return new OkObjectResult(await templates.ListAsync(libraryId, request.HttpContext.RequestAborted));
    }

    [Function(nameof(CreateTemplate))]
    public async Task<IActionResult> CreateTemplate(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/templates")] HttpRequest request,
        string libraryId)
    {
        await access.AuthorizeAsync(request, libraryId);
        var body = await RequestBody.ReadJsonAsync<CreateTemplateRequest>(request, cancellationToken: request.HttpContext.RequestAborted);
        var created = await templates.CreateAsync(libraryId, body, request.HttpContext.RequestAborted);
        return new CreatedResult($"/api/libraries/{libraryId}/templates/{created.Template.Id}", created);
    }

    [Function(nameof(GetTemplate))]
    public async Task<IActionResult> GetTemplate(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "libraries/{libraryId}/templates/{templateId}")] HttpRequest request,
        string libraryId,
        string templateId)
    {
        await access.AuthorizeAsync(request, libraryId);
        return new OkObjectResult(await templates.GetAsync(libraryId, templateId, request.HttpContext.RequestAborted));
    }

    [Function(nameof(UpdateTemplate))]
    public async Task<IActionResult> UpdateTemplate(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "libraries/{libraryId}/templates/{templateId}")] HttpRequest request,
        string libraryId,
        string templateId)
    {
        await access.AuthorizeAsync(request, libraryId);
        var body = await RequestBody.ReadJsonAsync<UpdateTemplateRequest>(request, MaxTemplateBodyBytes, request.HttpContext.RequestAborted);
        return new OkObjectResult(await templates.UpdateAsync(libraryId, templateId, body, request.HttpContext.RequestAborted));
    }

    [Function(nameof(ListTemplateVersions))]
    public async Task<IActionResult> ListTemplateVersions(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "libraries/{libraryId}/templates/{templateId}/versions")] HttpRequest request,
        string libraryId,
        string templateId)
    {
        await access.AuthorizeAsync(request, libraryId);
        return new OkObjectResult(await templates.ListVersionsAsync(libraryId, templateId, request.HttpContext.RequestAborted));
    }

    [Function(nameof(GetTemplateVersion))]
    public async Task<IActionResult> GetTemplateVersion(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "libraries/{libraryId}/templates/{templateId}/versions/{version}")] HttpRequest request,
        string libraryId,
        string templateId,
        string version)
    {
        await access.AuthorizeAsync(request, libraryId);

        // Parsed here rather than by an {version:int} constraint, which answered a number beyond int with a bare 404.
        if (!int.TryParse(version, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            throw RequestValidationException.For("version", "Use a version number: a whole number from 1 up.");
        }

        return new OkObjectResult(await templates.GetVersionAsync(libraryId, templateId, number, request.HttpContext.RequestAborted));
    }

    /// <summary>Creates a new version with an old version's text; history is never rewritten.</summary>
    [Function(nameof(RollbackTemplate))]
    public async Task<IActionResult> RollbackTemplate(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/templates/{templateId}/rollback")] HttpRequest request,
        string libraryId,
        string templateId)
    {
        await access.AuthorizeAsync(request, libraryId);
        var body = await RequestBody.ReadJsonAsync<RollbackRequest>(request, cancellationToken: request.HttpContext.RequestAborted);
        return new OkObjectResult(await templates.RollbackAsync(libraryId, templateId, body.Version, request.HttpContext.RequestAborted));
    }
}
