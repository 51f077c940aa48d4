using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace Comms.Delivery.Providers;

/// <summary>
/// A library's or the platform's SMTP relay through MailKit. A connection per message keeps failures local
/// to one message; the per-provider rate limiter keeps the relay inside its quota.
/// </summary>
public sealed class SmtpEmailProvider(IOptions<EmailOptions> options, TimeProvider clock) : IEmailProvider
{
    private readonly SmtpOptions _options = options.Value.Smtp;

    public string Name => ProviderNames.Smtp;

    /// <summary>SMTP has no idempotency key: a repeated DATA delivers again (the Message-ID stays the same).</summary>
    public bool IdempotentByMessageKey => false;

    public async Task<ProviderResult> SendAsync(OutgoingEmail email, CancellationToken cancellationToken = default)
    {
        var message = MimeMessages.Create(email, clock.GetUtcNow());
        using var client = new SmtpClient { Timeout = (int)TimeSpan.FromSeconds(Math.Max(1, _options.TimeoutSeconds)).TotalMilliseconds };
        try
        {
            await client.ConnectAsync(_options.Host ?? "localhost", _options.Port, SocketOptions(_options.TlsMode), cancellationToken);
            if (!string.IsNullOrEmpty(_options.User))
            {
                await client.AuthenticateAsync(_options.User, _options.Password ?? string.Empty, cancellationToken);
            }

            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
            return ProviderResult.Accepted(message.MessageId ?? email.MessageKey);
        }
        catch (SmtpCommandException e)
        {
            return Classify(e);
        }
        catch (AuthenticationException e)
        {
            return ProviderResult.Down($"SMTP authentication failed: {e.Message}", retryable: false);
        }
        catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or SmtpProtocolException or SocketException or IOException or ServiceNotConnectedException or SslHandshakeException)
        {
            return ProviderResult.Down($"SMTP relay unreachable: {e.Message}");
        }
        catch (TimeoutException e)
        {
            return ProviderResult.Down($"SMTP relay timed out: {e.Message}");
        }
    }

    private static ProviderResult Classify(SmtpCommandException e)
    {
        var code = (int)e.StatusCode;
        var reason = $"SMTP {code} {e.ErrorCode}: {e.Message}";
        if (code is >= 400 and < 500)
        {
            return ProviderResult.Transient(reason);
        }

        return e.ErrorCode switch
        {
            SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted => ProviderResult.Permanent(reason),
            _ => ProviderResult.Down(reason, retryable: false), // sender refused or protocol: the relay, not the recipient
        };
    }

    private static SecureSocketOptions SocketOptions(SmtpTlsMode mode) => mode switch
    {
        SmtpTlsMode.None => SecureSocketOptions.None,
        SmtpTlsMode.Implicit => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };
}
