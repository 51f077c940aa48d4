namespace Comms.DevHost.Durable;

/// <summary>DevHost:Durable settings: the Azure Storage backend the dev host runs durable work on.</summary>
public sealed class DurableEngineOptions
{
    public const string Section = "DevHost:Durable";

    /// <summary>Off only for hosts that serve HTTP alone; durable functions then fail with a clear message.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Defaults to AzureWebJobsStorage, then Comms:Storage:ConnectionString, as the Functions host would.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Defaults to Comms:TaskHubName (host.json's hubName). Letters and digits only.</summary>
    public string? TaskHubName { get; set; }

    public int PartitionCount { get; set; } = 4;

    /// <summary>How long work held by a crashed process stays invisible; must exceed the longest activity.</summary>
    public TimeSpan QueueVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    public int MaxConcurrentWorkItems { get; set; } = 200;

    /// <summary>
    /// How long the partition and app leases last without renewal (blob leases allow 15 to 60 s). A process that
    /// dies holding them blocks durable work until they expire; a restart then takes them over within a third
    /// of this. Azure's defaults are 30 s (partitions) and 60 s (app lease).
    /// </summary>
    public TimeSpan LeaseInterval { get; set; } = TimeSpan.FromSeconds(30);
}
