namespace Comms.Delivery;

/// <summary>
/// How a notice reaches a reader. A library's chain per scenario lists them in order (docs/channels.md); the next
/// one is tried only for a reader the one before could not reach.
/// </summary>
public enum NoticeChannel
{
    Email,
    Sms,
}
