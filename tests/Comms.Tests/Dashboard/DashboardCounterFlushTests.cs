using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Azure.Data.Tables;
using Comms.EmailLog;
using Comms.Functions.Dashboard;
using Comms.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Comms.Tests.Dashboard;

/// <summary>The counts' flush never takes the host down: storage that does not answer is a warning, not a failed stop.</summary>
public sealed class DashboardCounterFlushTests
{
    [Fact]
    public async Task StopAsync_StorageThatNeverAnswers_StopsWithoutThrowing()
    {
        // A listener that accepts and never answers: each storage call ends in the client's network timeout, which
        // Azure.Core reports as a cancellation nobody asked for. It used to escape StopAsync (and, between ticks,
        // ExecuteAsync, which stops the host); a bench run lost its figures to it.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        // The kernel accepts the connection before this loop's continuation runs, so under load the stop can return
        // before the loop has seen it: the test waits for the first accept rather than reading a list at once.
        var held = new ConcurrentQueue<TcpClient>();
        var firstAccepted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    held.Enqueue(await silent.AcceptTcpClientAsync());
                    firstAccepted.TrySetResult();
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // The test ended.
            }
        });
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var clientOptions = new TableClientOptions();
        clientOptions.Retry.MaxRetries = 0;
        clientOptions.Retry.NetworkTimeout = TimeSpan.FromMilliseconds(300);
        var tables = new CommsTables(
            Options.Create(new StorageOptions
            {
                ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
                    + $"TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;",
                TablePrefix = "Silent",
            }),
            clientOptions);
        var flush = new DashboardCounterFlush(
            new EmailLogCounters(tables, TimeProvider.System, NullLogger<EmailLogCounters>.Instance), TimeProvider.System, NullLogger<DashboardCounterFlush>.Instance);
        await flush.StartAsync(CancellationToken.None);

        var stop = await Record.ExceptionAsync(() => flush.StopAsync(CancellationToken.None));

        Assert.Null(stop);
        // The flush did reach the silent storage (and so this test measured a timeout, not a flush with nothing to do).
        await firstAccepted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        foreach (var client in held)
        {
            client.Dispose();
        }
    }
}
