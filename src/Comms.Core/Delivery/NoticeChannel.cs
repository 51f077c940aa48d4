namespace Comms.Delivery;

/// <summary>
/// How a notice reaches a reader. A library's chain per scenario lists them in order (docs/channels.md); the next
/// one is tried only for a reader the one before could not reach.
/// </summary>
public enum NoticeChannel
{
    Email,
    Sms,

    /// <summary>
    /// The last resort: the notice is rendered onto a page of the library's daily print batch (a PDF staff print and
    /// post), for a reader neither email nor SMS reached (docs/channels.md).
    /// </summary>
    Print,
}
