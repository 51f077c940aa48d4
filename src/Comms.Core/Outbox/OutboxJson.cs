using System.Text.Json;
using System.Text.Json.Serialization;
using Comms.Common;

namespace Comms.Outbox;

/// <summary>
/// The stored request's JSON: the app's shape, but with nulls written, because records with required
/// constructor parameters (an order line without an ISBN) must read back exactly as they were written.
/// </summary>
internal static class OutboxJson
{
    public static JsonSerializerOptions Options { get; } = new(CommsJson.Options) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };
}
