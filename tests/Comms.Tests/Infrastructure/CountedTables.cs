using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Comms.Storage;
using Microsoft.Extensions.Options;

namespace Comms.Tests.Infrastructure;

/// <summary>
/// App tables on the emulator under a fresh prefix, with every request the table client sends counted: for tests
/// that hold a store to the number of round trips it promises.
/// </summary>
public sealed class CountedTables : HttpPipelinePolicy
{
    private int _count;

    private CountedTables()
    {
    }

    public CommsTables Tables { get; private set; } = null!;

    /// <summary>The prefix of these tables, for a second, uncounted client of the same tables (another instance).</summary>
    public string Prefix { get; private set; } = "";

    /// <summary>Requests sent since the last <see cref="Reset"/> (retries included).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <param name="also">Further policies on the same client, after the counter (e.g. a <see cref="HoldFirstRequestPolicy"/>).</param>
    public static CountedTables Create(EmulatorFixture emulators, params HttpPipelinePolicy[] also)
    {
        var counted = new CountedTables { Prefix = EmulatorFixture.NewTablePrefix() };
        var clientOptions = new TableClientOptions();
        clientOptions.AddPolicy(counted, HttpPipelinePosition.PerRetry);
        foreach (var policy in also)
        {
            clientOptions.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        }

        counted.Tables = new CommsTables(
            Options.Create(new StorageOptions { ConnectionString = emulators.StorageConnectionString, TablePrefix = counted.Prefix }),
            clientOptions);
        return counted;
    }

    public void Reset() => Interlocked.Exchange(ref _count, 0);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Interlocked.Increment(ref _count);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Interlocked.Increment(ref _count);
        return ProcessNextAsync(message, pipeline);
    }
}
