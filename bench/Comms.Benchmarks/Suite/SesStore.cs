using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Comms.Benchmarks.Suite;

/// <summary>
/// The emails aws-ses-v2-local has accepted for one library, read a little at a time: each poll asks only for what
/// arrived since a few seconds before the previous one (`/store?since=`, epoch seconds) and keeps each message once
/// by its id. Reading the whole store every second, as the figures used to, made the emulator serialise every email
/// again per poll, a cost that grew with the burst and was charged to the engine's drain.
/// </summary>
public sealed class SesStore(HttpClient ses, string library)
{
    private readonly Dictionary<string, (string To, string Subject)> _byMessageId = new(StringComparer.Ordinal);
    private long _since;

    public IReadOnlyCollection<(string To, string Subject)> Emails => _byMessageId.Values;

    /// <summary>Distinct (recipient, subject) pairs: one per notice that went out.</summary>
    public int Unique => _byMessageId.Values.Distinct().Count();

    /// <summary>Messages beyond the first for the same recipient and subject.</summary>
    public int Duplicates => _byMessageId.Count - Unique;

    public async Task PollAsync()
    {
        // The emulator stamps whole seconds; going back two covers a message stamped just before the last poll.
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var store = await ses.GetFromJsonAsync<JsonElement>(string.Create(CultureInfo.InvariantCulture, $"store?since={Math.Max(0, _since - 2)}"));
        _since = now;
        foreach (var email in store.GetProperty("emails").EnumerateArray())
        {
            var text = email.GetRawText();
            if (text.Contains(library, StringComparison.Ordinal))
            {
                _byMessageId.TryAdd(email.GetProperty("messageId").GetString()!, (email.GetProperty("destination").GetRawText(), email.GetProperty("subject").GetString() ?? ""));
            }
        }
    }
}
