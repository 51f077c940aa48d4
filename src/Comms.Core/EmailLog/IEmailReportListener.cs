namespace Comms.EmailLog;

/// <summary>
/// Told when a provider's report (delivered, bounced, complained, failed) changed a log row, after the row is written: the
/// outbox moves the notice's status on from "sent" with it.
/// </summary>
public interface IEmailReportListener
{
    Task ReportedAsync(EmailLogEntry entry, CancellationToken cancellationToken = default);
}
