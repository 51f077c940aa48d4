using Comms.Accounts;
using Comms.Common;
using Comms.Functions.Durable;
using Comms.Functions.Http;
using Comms.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Comms.Functions.Accounts;

/// <summary>The library system reports a patron's card expiry date; the card's orchestration sends the reminder.</summary>
public sealed class CardFunctions(PatronCards cards, LibraryAccess access)
{
    [Function(nameof(SetPatronCard))]
    public async Task<IActionResult> SetPatronCard(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "libraries/{libraryId}/patrons/{patronId}/card")] HttpRequest request,
        string libraryId,
        string patronId,
        [DurableClient] DurableTaskClient client)
    {
        await access.AuthorizeAsync(request, libraryId);
        var cancellationToken = request.HttpContext.RequestAborted;
        var body = await RequestBody.ReadJsonAsync<PatronCardRequest>(request, cancellationToken: cancellationToken);
        var (card, changed) = await cards.SetAsync(libraryId, patronId, body, cancellationToken);
        var instanceId = CardExpiryOrchestration.InstanceId(libraryId, patronId);
        var instance = await client.GetInstanceAsync(instanceId, cancellationToken);
        if (instance is not { IsRunning: true } and not { RuntimeStatus: OrchestrationRuntimeStatus.Pending })
        {
            // Started from the stored date, so a repeat after a lost start repairs it.
            await client.ScheduleNewOrchestrationInstanceAsync(
                nameof(CardExpiryOrchestration.CardExpiryOrchestrator), new CardTrack(libraryId, patronId, card.ExpiresAt), new StartOrchestrationOptions(instanceId), cancellationToken);
        }
        else if (changed)
        {
            await InstanceEvents.RaiseAsync(client, instance, CardExpiryOrchestration.EventName, new CardEvent(card.ExpiresAt), cancellationToken);
        }

        return new OkObjectResult(new { card, changed });
    }

    [Function(nameof(GetPatronCard))]
    public async Task<IActionResult> GetPatronCard(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "libraries/{libraryId}/patrons/{patronId}/card")] HttpRequest request,
        string libraryId,
        string patronId,
        [DurableClient] DurableTaskClient client)
    {
        await access.AuthorizeAsync(request, libraryId);
        var card = await cards.GetAsync(libraryId, patronId, request.HttpContext.RequestAborted)
            ?? throw new NotFoundException($"Patron '{patronId}' has no card expiry date in library '{libraryId}'.");
        var instance = await client.GetInstanceAsync(CardExpiryOrchestration.InstanceId(libraryId, patronId), getInputsAndOutputs: true, request.HttpContext.RequestAborted);
        return new OkObjectResult(new { card, runtimeStatus = ReportedStatus.Of(instance), notices = instance?.ReadCustomStatusAs<CardNoticeStatus>() });
    }
}
