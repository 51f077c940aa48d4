using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Comms.Suppression;
using Comms.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Comms.Tests.Suppression;

/// <summary>
/// Plays SNS: a key and self-signed certificate made in the test (nothing with a key is committed), the
/// certificate served as PEM from a local server, messages signed as SNS signs them (v1 SHA1, v2 SHA256),
/// and a SubscribeURL that records being visited.
/// </summary>
public sealed class SnsTestSigner : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RSA _key = RSA.Create(2048);
    private readonly string _pem;

    private SnsTestSigner(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
        var request = new CertificateRequest("CN=sns.test", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        _pem = certificate.ExportCertificatePem();
    }

    public Uri Endpoint { get; }
    public string CertificateUrl => new Uri(Endpoint, "cert.pem").ToString();
    public string SubscribeUrl => new Uri(Endpoint, "confirm?token=abc").ToString();
    public int Confirmations;
    public int CertificateDownloads;

    public static async Task<SnsTestSigner> StartAsync()
    {
        var port = NodeProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var signer = new SnsTestSigner(app, new Uri($"http://127.0.0.1:{port}/"));
        app.MapGet("/cert.pem", () =>
        {
            Interlocked.Increment(ref signer.CertificateDownloads);
            return Results.Text(signer._pem, "application/x-pem-file");
        });
        app.MapGet("/confirm", () =>
        {
            Interlocked.Increment(ref signer.Confirmations);
            return Results.Text("<ConfirmSubscriptionResponse/>", "text/xml");
        });
        await app.StartAsync();
        return signer;
    }

    /// <summary>Settings that make the app trust this signer's host over http.</summary>
    public void Trust(Dictionary<string, string?> settings)
    {
        settings["Comms:Suppression:Sns:TrustedHosts"] = "127.0.0.1";
        settings["Comms:Suppression:Sns:AllowHttp"] = "true";
    }

    public string Notification(object sesMessage, string version = "2", string? certificateUrl = null, DateTimeOffset? timestamp = null)
    {
        var message = new SnsMessage
        {
            Type = "Notification",
            MessageId = Guid.NewGuid().ToString(),
            TopicArn = "arn:aws:sns:eu-west-1:123456789012:ses-bounces",
            Subject = "Amazon SES Email Event Notification",
            Message = JsonSerializer.Serialize(sesMessage),
            Timestamp = (timestamp ?? DateTimeOffset.UtcNow).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            SignatureVersion = version,
            Signature = string.Empty,
            SigningCertUrl = certificateUrl ?? CertificateUrl,
        };
        return Serialize(Sign(message));
    }

    public string SubscriptionConfirmation(string? subscribeUrl = null)
    {
        var message = new SnsMessage
        {
            Type = "SubscriptionConfirmation",
            MessageId = Guid.NewGuid().ToString(),
            TopicArn = "arn:aws:sns:eu-west-1:123456789012:ses-bounces",
            Message = "You have chosen to subscribe to the topic.",
            Token = "abc",
            SubscribeUrl = subscribeUrl ?? SubscribeUrl,
            Timestamp = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            SignatureVersion = "1",
            Signature = string.Empty,
            SigningCertUrl = CertificateUrl,
        };
        return Serialize(Sign(message));
    }

    public static object Bounce(string bounceType, params string[] recipients) => new
    {
        notificationType = "Bounce",
        bounce = new { bounceType, bouncedRecipients = recipients.Select(r => new { emailAddress = r }).ToArray() },
        mail = new { messageId = "ses-" + Guid.NewGuid().ToString("N") },
    };

    public static object Complaint(params string[] recipients) => new
    {
        notificationType = "Complaint",
        complaint = new { complainedRecipients = recipients.Select(r => new { emailAddress = r }).ToArray() },
        mail = new { messageId = "ses-" + Guid.NewGuid().ToString("N") },
    };

    /// <summary>A complaint about a message the app sent (its SES message id), with the mailbox provider's feedback type.</summary>
    public static object ComplaintAbout(string messageId, string feedbackType, params string[] recipients) => new
    {
        notificationType = "Complaint",
        complaint = new { complaintFeedbackType = feedbackType, complainedRecipients = recipients.Select(r => new { emailAddress = r }).ToArray() },
        mail = new { messageId },
    };

    private SnsMessage Sign(SnsMessage message)
    {
        var hash = message.SignatureVersion == "1" ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
        var signature = _key.SignData(Encoding.UTF8.GetBytes(message.StringToSign()), hash, RSASignaturePadding.Pkcs1);
        return message with { Signature = Convert.ToBase64String(signature) };
    }

    private static string Serialize(SnsMessage m) => JsonSerializer.Serialize(new Dictionary<string, string?>
    {
        ["Type"] = m.Type,
        ["MessageId"] = m.MessageId,
        ["Token"] = m.Token,
        ["TopicArn"] = m.TopicArn,
        ["Subject"] = m.Subject,
        ["Message"] = m.Message,
        ["SubscribeURL"] = m.SubscribeUrl,
        ["Timestamp"] = m.Timestamp,
        ["SignatureVersion"] = m.SignatureVersion,
        ["Signature"] = m.Signature,
        ["SigningCertURL"] = m.SigningCertUrl,
    }.Where(kv => kv.Value is not null).ToDictionary());

    public async ValueTask DisposeAsync()
    {
        _key.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
