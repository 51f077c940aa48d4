using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Comms.Common;

namespace Comms.Storage;

/// <summary>
/// JSON documents larger than one Azure Table string property (64 KiB, i.e. 32K UTF-16 characters),
/// spread over Data00, Data01… in the same row. A row holds up to 1 MiB, which leaves room for two 64 KiB
/// template bodies and their subject; one row keeps a version's write atomic.
/// </summary>
public static class ChunkedJson
{
    /// <summary>Characters per property, under the 32K-character limit.</summary>
    public const int ChunkLength = 30_000;

    private const string Prefix = "Data";

    public static TableEntity ToEntity<T>(string partition, string rowKey, T document)
    {
        var json = JsonSerializer.Serialize(document, CommsJson.Options);
        var entity = new TableEntity(partition, rowKey);
        for (int i = 0, offset = 0; offset < json.Length || i == 0; i++, offset += ChunkLength)
        {
            entity[Name(i)] = json.Substring(offset, Math.Min(ChunkLength, json.Length - offset));
        }

        return entity;
    }

    public static T FromEntity<T>(TableEntity entity)
    {
        var parts = new List<string>();
        for (var i = 0; entity.TryGetValue(Name(i), out var part) && part is string text; i++)
        {
            parts.Add(text);
        }

        return JsonSerializer.Deserialize<T>(string.Concat(parts), CommsJson.Options)
            ?? throw new InvalidDataException($"Row {entity.PartitionKey}/{entity.RowKey} holds no document.");
    }

    private static string Name(int index) => Prefix + index.ToString("D2", CultureInfo.InvariantCulture);
}
