using System.Text.Json;

namespace Comms.Common;

/// <summary>Reading Event Grid events that reach the app through a storage queue (delivery reports, SMS replies).</summary>
public static class QueuedEvents
{
    /// <summary>
    /// The queue trigger decodes base64 by default; should a message still arrive encoded (messageEncoding
    /// "none" with a base64 writer), decode it here rather than drop it.
    /// </summary>
    public static BinaryData Unwrap(BinaryData message)
    {
        var text = message.ToString().Trim();
        if (text.StartsWith('{') || text.StartsWith('['))
        {
            return message;
        }

        var bytes = new byte[text.Length];
        return Convert.TryFromBase64String(text, bytes, out var written) ? BinaryData.FromBytes(bytes.AsMemory(0, written)) : message;
    }

    /// <summary>A string property of an event's data, or null when it is missing or not a string.</summary>
    public static string? ReadString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
