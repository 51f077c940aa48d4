using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Comms.Webhooks;

/// <summary>
/// The signature the library system checks (the Standard Webhooks scheme): HMAC-SHA256 with the library's secret
/// over "{id}.{unix seconds}.{body}", sent as "webhook-signature: v1,{base64}" beside "webhook-id" and
/// "webhook-timestamp". The timestamp is signed, so a receiver that refuses old timestamps (say, over 5 minutes)
/// cannot be fed a captured request again; the id lets it drop repeats of an event it already has.
/// </summary>
public static class WebhookSigner
{
    public static string Sign(string secret, string id, long timestamp, string body)
    {
        var key = Encoding.UTF8.GetBytes(secret);
        var payload = Encoding.UTF8.GetBytes($"{id}.{timestamp.ToString(CultureInfo.InvariantCulture)}.{body}");
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, payload));
    }
}
