using System.Net;
using System.Net.Sockets;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Grpc.Internal;

namespace Comms.DevHost.Durable;

public static class DurableEngineExtensions
{
    /// <summary>
    /// The engine (sidecar), then the worker running the app's orchestrators and activities, and the
    /// DurableTaskClient that HTTP functions' [DurableClient] parameters receive. The sidecar is registered
    /// first so it is listening when the worker connects.
    /// </summary>
    public static IServiceCollection AddDurableEngine(this IServiceCollection services, IEnumerable<FunctionEntry> functions, ServedFunctions served)
    {
        var port = FreeLoopbackPort();
        var address = $"http://127.0.0.1:{port}";
        services.AddOptions<DurableEngineOptions>().BindConfiguration(DurableEngineOptions.Section);
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<DurableSidecar>(sp, port));
        services.AddHostedService(sp => sp.GetRequiredService<DurableSidecar>());

        services.AddDurableTaskWorker(builder =>
        {
            builder.UseGrpc(o =>
            {
                o.Address = address;
                // The preview sidecar sends no keep-alive traffic; without this the worker reconnects every 2 minutes idle.
                o.SetSilentDisconnectTimeout(TimeSpan.Zero);
            });
            builder.Configure(o =>
            {
                // Azure Storage queue messages can stay invisible up to 7 days; fewer chunks mean fewer history events.
                o.MaximumTimerInterval = TimeSpan.FromDays(6);
                o.Concurrency.MaximumConcurrentActivityWorkItems = 100;
                o.Concurrency.MaximumConcurrentOrchestrationWorkItems = 100;
            });
            builder.AddTasks(registry => FunctionTasks.Register(registry, functions));
        });
        foreach (var function in FunctionTasks.Durable(functions))
        {
            served.Add(new ServedFunction(function.Name, function.Trigger));
        }

        services.AddDurableTaskClient(builder =>
        {
            builder.UseGrpc(address);
            builder.RegisterDirectly();
        });
        return services;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
