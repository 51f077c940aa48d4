using System.Net;
using DurableTask.AzureStorage;
using DurableTask.AzureStorage.Partitioning;
using DurableTask.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.Options;

namespace Comms.DevHost.Durable;

/// <summary>
/// The durable engine: the Durable Task gRPC sidecar (TaskHubGrpcServer) over AzureStorageOrchestrationService,
/// on its own HTTP/2-only Kestrel listener on loopback. The app's worker and client connect to it; the task
/// hub's tables, queues and blobs are the ones Durable Functions uses in Azure.
/// </summary>
public sealed class DurableSidecar(
    int port,
    IConfiguration configuration,
    IOptions<DurableEngineOptions> options,
    ILoggerFactory loggerFactory,
    DurableStorageClientOptions? clientOptions = null) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;
    private AzureStorageOrchestrationService? _service;

    public string Address => $"http://127.0.0.1:{port}";

    public string TaskHubName => options.Value.TaskHubName ?? configuration["Comms:TaskHubName"] ?? "CommsLocal";

    public AzureStorageOrchestrationServiceSettings Settings()
    {
        var o = options.Value;
        var lease = o.LeaseInterval < TimeSpan.FromSeconds(15) || o.LeaseInterval > TimeSpan.FromSeconds(60)
            ? throw new InvalidOperationException($"{DurableEngineOptions.Section}:LeaseInterval must be between 15 and 60 seconds (blob lease limits); it is {o.LeaseInterval}.")
            : o.LeaseInterval;
        var connection = o.ConnectionString ?? NonEmpty(configuration["AzureWebJobsStorage"]) ?? configuration["Comms:Storage:ConnectionString"]
            ?? throw new InvalidOperationException("Set AzureWebJobsStorage or Comms:Storage:ConnectionString for the durable engine.");
        return new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = clientOptions is null
                ? new StorageAccountClientProvider(connection)
                : new StorageAccountClientProvider(
                    StorageServiceClientProvider.ForBlob(connection, clientOptions.Blobs),
                    StorageServiceClientProvider.ForQueue(connection, clientOptions.Queues),
                    StorageServiceClientProvider.ForTable(connection, clientOptions.Tables)),
            TaskHubName = TaskHubName,
            WorkerId = Environment.MachineName + "-" + Environment.ProcessId,
            PartitionCount = o.PartitionCount,
            ControlQueueVisibilityTimeout = o.QueueVisibilityTimeout,
            WorkItemQueueVisibilityTimeout = o.QueueVisibilityTimeout,
            MaxQueuePollingInterval = o.MaxQueuePollingInterval,
            MaxConcurrentTaskOrchestrationWorkItems = o.MaxConcurrentWorkItems,
            MaxConcurrentTaskActivityWorkItems = o.MaxConcurrentWorkItems,
            LoggerFactory = loggerFactory,
            LeaseInterval = lease,
            LeaseRenewInterval = lease / 3,
            LeaseAcquireInterval = lease / 3,
            // The app lease's default acquire interval is 5 minutes: a process restarted after a crash would
            // find the dead process's lease still held and then wait that long before trying again.
            AppLeaseOptions = new AppLeaseOptions { LeaseInterval = lease, RenewInterval = lease / 3, AcquireInterval = lease / 3 },
        };
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _service = new AzureStorageOrchestrationService(Settings());
        await _service.CreateIfNotExistsAsync();

        // An empty builder: its one listener is the port below. A default one reads the appsettings.json of the
        // working folder (under `dotnet run` the project folder, holding the dev host's own Urls), and Kestrel
        // warns at every start that it overrides them.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRouting();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2));
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddGrpc();
        // The sidecar's dispatcher, unlike the Durable Task Framework's that the Functions host runs, does not drop a
        // start message the queue delivers again; the filter does (see DuplicateStartFilter).
        builder.Services.AddSingleton<IOrchestrationService>(new DuplicateStartFilter(_service, loggerFactory.CreateLogger<DuplicateStartFilter>()));
        builder.Services.AddSingleton<IOrchestrationServiceClient>(_service);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        _app = builder.Build();
        _app.MapGrpcService<TaskHubGrpcServer>();
        await _app.StartAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }

        if (_service is not null)
        {
            try
            {
                await _service.StopAsync(isForced: true);
            }
            catch (NullReferenceException)
            {
                // The service's lease manager exists only once a worker has started it; a host stopped
                // before any worker connected has nothing to stop.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
