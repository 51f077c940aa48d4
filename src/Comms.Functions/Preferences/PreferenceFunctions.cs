using Comms.Functions.Http;
using Comms.Preferences;
using Comms.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Comms.Functions.Preferences;

/// <summary>The library system reads and sets patrons' messaging preferences (docs/preferences.md).</summary>
public sealed class PreferenceFunctions(PreferenceService preferences, CourtesyReplans replans, LibraryAccess access)
{
    /// <summary>A thousand patrons with a few contacts each; the same budget as other bulk calls' small end.</summary>
    public const long MaxBulkBytes = 4L * 1024 * 1024;

    [Function(nameof(GetPreferences))]
    public async Task<IActionResult> GetPreferences(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "libraries/{libraryId}/patrons/{patronId}/preferences")] HttpRequest request,
        string libraryId,
        string patronId)
    {
        await access.AuthorizeAsync(request, libraryId);
        return new OkObjectResult(await preferences.GetAsync(libraryId, patronId, request.HttpContext.RequestAborted));
    }

    [Function(nameof(PutPreferences))]
    public async Task<IActionResult> PutPreferences(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "libraries/{libraryId}/patrons/{patronId}/preferences")] HttpRequest request,
        string libraryId,
        string patronId,
        [DurableClient] DurableTaskClient? client = null)
    {
        await access.AuthorizeAsync(request, libraryId);
        var input = await RequestBody.ReadJsonAsync<PreferencesInput>(request, cancellationToken: request.HttpContext.RequestAborted);
        var saved = await preferences.SetAsync(libraryId, patronId, input, Caller(request), request.HttpContext.RequestAborted);
        if (saved.CourtesyDaysChanged)
        {
            await replans.RaiseAsync(client, libraryId, [patronId]);
        }

        return new OkObjectResult(saved.View);
    }

    /// <summary>Up to 1000 patrons at once, all validated before any is written (Evergreen's batch opt-in).</summary>
    [Function(nameof(SetPreferencesInBulk))]
    public async Task<IActionResult> SetPreferencesInBulk(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/preferences/bulk")] HttpRequest request,
        string libraryId,
        [DurableClient] DurableTaskClient? client = null)
    {
        await access.AuthorizeAsync(request, libraryId);
        var input = await RequestBody.ReadJsonAsync<PreferencesBulkInput>(request, MaxBulkBytes, request.HttpContext.RequestAborted);
        var saved = await preferences.SetManyAsync(libraryId, input, Caller(request), request.HttpContext.RequestAborted);
        if (client is not null && saved.CourtesyDaysChanged.Count > 0)
        {
            // Up to 1000 patrons' ladders: one scheduling call here, the signals in the background (see the orchestration).
            await client.ScheduleNewOrchestrationInstanceAsync(
                nameof(CourtesyReplanOrchestration.CourtesyReplanOrchestrator), new CourtesyReplanRequest(libraryId, [.. saved.CourtesyDaysChanged]), CancellationToken.None);
        }

        return new OkObjectResult(new { updated = saved.Updated });
    }

    /// <summary>Who made a change, for the audit: the admin, or which library key (a hash prefix, never the key).</summary>
    internal static string Caller(HttpRequest request) =>
        !string.IsNullOrEmpty(request.Headers[LibraryAccess.AdminKeyHeader].ToString())
            ? "admin"
            : "key:" + ApiKeys.Hash(request.Headers[LibraryAccess.LibraryKeyHeader].ToString())[..12];
}
