using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Comms.Delivery.Providers;

/// <summary>
/// Signs each request with the ACS access key: HMAC-SHA256 over
/// "{METHOD}\n{path and query}\n{x-ms-date};{host};{x-ms-content-sha256}" (Azure Communication Services,
/// "Sign an HTTP request with HMAC"). The date and body hash travel as headers because they are signed.
/// </summary>
public sealed class AcsHmacPolicy(byte[] accessKey, TimeProvider clock) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        var contentHash = Convert.ToBase64String(SHA256.HashData(ReadBody(request.Content)));
        var date = clock.GetUtcNow().ToString("r", CultureInfo.InvariantCulture);
        var uri = request.Uri.ToUri();
        var host = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port.ToString(CultureInfo.InvariantCulture)}";
        var stringToSign = StringToSign(request.Method.Method, uri.PathAndQuery, date, host, contentHash);

        request.Headers.SetValue("x-ms-date", date);
        request.Headers.SetValue("x-ms-content-sha256", contentHash);
        request.Headers.SetValue("Authorization", $"HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={Sign(accessKey, stringToSign)}");
    }

    public static string StringToSign(string method, string pathAndQuery, string date, string host, string contentHash) =>
        $"{method.ToUpperInvariant()}\n{pathAndQuery}\n{date};{host};{contentHash}";

    public static string Sign(byte[] key, string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));

    private static byte[] ReadBody(RequestContent? content)
    {
        if (content is null)
        {
            return [];
        }

        using var buffer = new MemoryStream();
        content.WriteTo(buffer, CancellationToken.None);
        return buffer.ToArray();
    }
}
