using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Comms.Common;
using Microsoft.Extensions.Options;

namespace Comms.Suppression;

/// <summary>
/// Checks that an SNS message was signed by SNS: the signing certificate must come from a trusted host over
/// https, and the RSA signature (SignatureVersion 1 = SHA1, 2 = SHA256, PKCS#1 v1.5) must match the message's
/// canonical string. Certificates are cached per URL, since SNS rotates them rarely.
/// </summary>
public sealed class SnsSignatureVerifier(IOptions<SuppressionOptions> options, IHttpClientFactory httpClients, TimeProvider clock)
{
    public const string HttpClientName = "sns";

    /// <summary>
    /// Older signed messages are refused, so a captured bounce cannot be replayed to blacklist an address again
    /// after staff removed it. SNS's own retries for HTTP endpoints end well inside this.
    /// </summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, Lazy<Task<X509Certificate2>>> _certificates = new(StringComparer.Ordinal);

    /// <summary>What a message that does not verify is told (403).</summary>
    public const string InvalidSignature =
        "The SNS message's signature is invalid: it does not verify against a certificate from a trusted SNS host, or the message is stale or from a topic not configured.";

    /// <summary>Throws <see cref="ForbiddenException"/> unless the message verifies.</summary>
    public async Task VerifyAsync(SnsMessage message, CancellationToken cancellationToken = default)
    {
        var hash = message.SignatureVersion switch
        {
            "1" => HashAlgorithmName.SHA1,
            "2" => HashAlgorithmName.SHA256,
            _ => throw new ForbiddenException(InvalidSignature),
        };
        if (!IsTrusted(message.SigningCertUrl) || !IsTopicAllowed(message.TopicArn) || !IsFresh(message.Timestamp))
        {
            throw new ForbiddenException(InvalidSignature);
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(message.Signature);
        }
        catch (FormatException)
        {
            throw new ForbiddenException(InvalidSignature);
        }

        var certificate = await CertificateAsync(message.SigningCertUrl, cancellationToken);
        using var rsa = certificate.GetRSAPublicKey() ?? throw new ForbiddenException(InvalidSignature);
        if (!rsa.VerifyData(Encoding.UTF8.GetBytes(message.StringToSign()), signature, hash, RSASignaturePadding.Pkcs1))
        {
            throw new ForbiddenException(InvalidSignature);
        }
    }

    /// <summary>https (unless the test-only AllowHttp is on) on a host of the trusted list.</summary>
    public bool IsTrusted(string? url)
    {
        var o = options.Value.Sns;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !(uri.Scheme == Uri.UriSchemeHttps || (o.AllowHttp && uri.Scheme == Uri.UriSchemeHttp)))
        {
            return false;
        }

        return o.TrustedHosts.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Any(h =>
            h.StartsWith('.') ? uri.Host.EndsWith(h, StringComparison.OrdinalIgnoreCase) : string.Equals(uri.Host, h, StringComparison.OrdinalIgnoreCase));
    }

    private bool IsFresh(string timestamp)
    {
        if (!DateTimeOffset.TryParse(timestamp, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at))
        {
            return false;
        }

        var age = clock.GetUtcNow() - at;
        return age <= MaxAge && age >= TimeSpan.FromMinutes(-5);
    }

    private bool IsTopicAllowed(string topicArn)
    {
        var topics = (options.Value.Sns.TopicArns ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return topics.Length == 0 || topics.Contains(topicArn, StringComparer.Ordinal);
    }

    private async Task<X509Certificate2> CertificateAsync(string url, CancellationToken cancellationToken)
    {
        var lazy = _certificates.GetOrAdd(url, u => new Lazy<Task<X509Certificate2>>(() => DownloadAsync(u)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or CryptographicException or TaskCanceledException)
        {
            // Do not cache a failure: the next message tries again.
            _certificates.TryRemove(new KeyValuePair<string, Lazy<Task<X509Certificate2>>>(url, lazy));
            throw new ForbiddenException(InvalidSignature);
        }
    }

    private async Task<X509Certificate2> DownloadAsync(string url)
    {
        var http = httpClients.CreateClient(HttpClientName);
        var bytes = await http.GetByteArrayAsync(new Uri(url));
        var text = Encoding.ASCII.GetString(bytes);
        return text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
            ? X509Certificate2.CreateFromPem(text)
            : X509CertificateLoader.LoadCertificate(bytes);
    }
}
