using System.ComponentModel.DataAnnotations;

namespace Comms.Print;

/// <summary>Section Comms:Print: when the daily print batches are made and how large one PDF may get.</summary>
public sealed class PrintOptions
{
    public const string Section = "Comms:Print";

    /// <summary>
    /// Six-field NCRONTAB for the batch timer (read by the trigger as %Comms:Print:BatchSchedule%): daily at 05:00 UTC,
    /// before libraries open in Europe, so the morning's batch holds the night's and yesterday's notices.
    /// </summary>
    [Required]
    public string BatchSchedule { get; set; } = "0 0 5 * * *";

    /// <summary>Pages (notices) per PDF; more waiting notices go into further batches of the same run.</summary>
    [Range(1, 2000, ErrorMessage = "Comms:Print:MaxPagesPerBatch must be from 1 to 2000: one PDF a printer takes in one go.")]
    public int MaxPagesPerBatch { get; set; } = 500;
}
