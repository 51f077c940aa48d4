using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace Comms.Retention;

/// <summary>
/// Section Comms:Retention: how long each kind of record is kept before the daily purge deletes it. The
/// reasons for each default are in docs/retention.md.
/// </summary>
public sealed partial class RetentionOptions : IValidatableObject
{
    public const string Section = "Comms:Retention";

    /// <summary>Six-field NCRONTAB for the purge timer (read by the trigger as %Comms:Retention:Schedule%): daily at 03:30 UTC.</summary>
    public string Schedule { get; set; } = "0 30 3 * * *";

    /// <summary>Email log rows (with their message-index rows) and blacklist audit rows: a school year plus a term.</summary>
    [Range(30, 3650, ErrorMessage = "Comms:Retention:EmailLogDays must be from 30 to 3650: staff answer questions about last month's notices from the log.")]
    public int EmailLogDays { get; set; } = 400;

    /// <summary>Delivery ledger rows and loan digests: beyond every retry and re-drive, after which a repeat would send again.</summary>
    [Range(7, 3650, ErrorMessage = "Comms:Retention:LedgerDays must be from 7 to 3650: a notice re-driven after its ledger row is gone is sent a second time.")]
    public int LedgerDays { get; set; } = 35;

    /// <summary>Returned loans and collected, cancelled or expired reservations.</summary>
    [Range(7, 3650, ErrorMessage = "Comms:Retention:ClosedRecordDays must be from 7 to 3650: late events about a closed loan or reservation are answered from its row.")]
    public int ClosedRecordDays { get; set; } = 90;

    /// <summary>Redacted copies of sent messages (what staff open from a log row): long enough for "what did it say?", short because they hold the text.</summary>
    [Range(1, 3650, ErrorMessage = "Comms:Retention:MessageCopyDays must be from 1 to 3650.")]
    public int MessageCopyDays { get; set; } = 30;

    /// <summary>A run stops after this long (inside the Functions timeout of 10 minutes); the next run carries on.</summary>
    [Range(10, 3600, ErrorMessage = "Comms:Retention:MaxRunSeconds must be from 10 to 3600 and below the function timeout.")]
    public int MaxRunSeconds { get; set; } = 480;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Schedule is null || !NcrontabShape().IsMatch(Schedule.Trim()))
        {
            yield return new ValidationResult(
                $"Comms:Retention:Schedule must be a six-field NCRONTAB expression (second minute hour day month weekday), such as '0 30 3 * * *'; it is '{Schedule}'.",
                [nameof(Schedule)]);
        }
    }

    // Only the shape: the Functions host parses the expression itself and the dev host with Cronos.
    [GeneratedRegex(@"^[0-9A-Za-z*/,?-]+( +[0-9A-Za-z*/,?-]+){5}$")]
    private static partial Regex NcrontabShape();
}
