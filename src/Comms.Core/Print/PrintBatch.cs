namespace Comms.Print;

public enum PrintBatchState
{
    /// <summary>Items are being gathered and the PDF written; a batch left here by a crash is finished by the next run.</summary>
    Building,

    /// <summary>The PDF is stored and may be downloaded.</summary>
    Ready,

    /// <summary>Staff confirmed it was printed; its items' log rows read Printed.</summary>
    Printed,
}

/// <summary>One PDF of printed notices, one page each, for a library (or one of its branches).</summary>
public sealed record PrintBatch
{
    public required string Id { get; init; }
    public required string LibraryId { get; init; }
    public string? Branch { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required PrintBatchState State { get; init; }
    public int ItemCount { get; init; }
    public int PageCount { get; init; }
    public DateTimeOffset? PrintedAt { get; init; }

    /// <summary>Who confirmed the printing: "admin" or the library key's id (never the key).</summary>
    public string? PrintedBy { get; init; }
}
