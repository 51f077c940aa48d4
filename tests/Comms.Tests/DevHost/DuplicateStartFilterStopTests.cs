using Comms.DevHost.Durable;
using Comms.Tests.Infrastructure;
using DurableTask.AzureStorage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Comms.Tests.DevHost;

/// <summary>
/// The sidecar stops its dispatcher from an ApplicationStopping callback, where an exception ends the process: a
/// CI run lost its test host to the Azure Storage service's NullReferenceException when a dev host was stopped
/// before its engine had started. Stopping through the filter must be quiet then, and still stop a started engine.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class DuplicateStartFilterStopTests(EmulatorFixture emulators)
{
    [Fact]
    public async Task Stop_BeforeAnyStart_DoesNothingAndDoesNotThrow()
    {
        var service = Service("StopNoStart");

        // The service itself throws here: the guard is what keeps the process alive.
        await Assert.ThrowsAsync<NullReferenceException>(() => service.StopAsync(isForced: true));
        var filter = new DuplicateStartFilter(service, NullLogger<DuplicateStartFilter>.Instance);

        await filter.StopAsync(isForced: true);
        await filter.StopAsync();
    }

    [Fact]
    public async Task Stop_WhileStarting_WaitsForTheStartThenStops()
    {
        var service = Service("StopWhileStarting");
        await service.CreateIfNotExistsAsync();
        var filter = new DuplicateStartFilter(service, NullLogger<DuplicateStartFilter>.Instance);

        var starting = filter.StartAsync();
        await filter.StopAsync(isForced: true);

        Assert.True(starting.IsCompletedSuccessfully);
    }

    private AzureStorageOrchestrationService Service(string hub) => new(new AzureStorageOrchestrationServiceSettings
    {
        StorageAccountClientProvider = new StorageAccountClientProvider(emulators.StorageConnectionString),
        TaskHubName = hub + Guid.NewGuid().ToString("N")[..8],
        WorkerId = "stop-test",
    });
}
