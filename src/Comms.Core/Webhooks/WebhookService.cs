using System.Security.Cryptography;
using Comms.Common;
using Comms.Outbox;
using Microsoft.Extensions.Options;

namespace Comms.Webhooks;

/// <summary>
/// Registers a library's status webhook. The signing secret is made here, shown once in the answer, and kept only
/// encrypted (the outbox's protection key), because the sender needs it back to sign; it never reaches a log.
/// Registering again replaces the endpoint and the secret.
/// </summary>
public sealed class WebhookService(WebhookStore store, NoticeProtector protector, IOptions<WebhookOptions> options, TimeProvider clock)
{
    public async Task<WebhookView> RegisterAsync(string libraryId, WebhookRequest request, CancellationToken cancellationToken = default)
    {
        var url = Validate(request.Url);
        var secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var subscription = new WebhookSubscription(url.AbsoluteUri, protector.Protect(Context(libraryId), secret), clock.GetUtcNow());
        await store.UpsertAsync(libraryId, subscription, cancellationToken);
        return new WebhookView(subscription.Url, subscription.CreatedAt, secret);
    }

    public async Task<WebhookView> GetAsync(string libraryId, CancellationToken cancellationToken = default) =>
        await store.GetAsync(libraryId, cancellationToken) is { } s
            ? new WebhookView(s.Url, s.CreatedAt)
            : throw new NotFoundException($"Library '{libraryId}' has no status webhook.");

    public async Task DeleteAsync(string libraryId, CancellationToken cancellationToken = default)
    {
        if (!await store.DeleteAsync(libraryId, cancellationToken))
        {
            throw new NotFoundException($"Library '{libraryId}' has no status webhook.");
        }
    }

    /// <summary>The secret to sign with, or null when it cannot be read (the protection key changed).</summary>
    internal string? SecretOf(string libraryId, WebhookSubscription subscription) => protector.Unprotect(Context(libraryId), subscription.ProtectedSecret);

    private static string Context(string libraryId) => "webhook/" + libraryId;

    private Uri Validate(string? url)
    {
        if (url is null || url.Length > 2000 || url.Any(char.IsControl) || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || !string.IsNullOrEmpty(uri.UserInfo)
            || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback && options.Value.AllowLoopbackHttp)))
        {
            throw RequestValidationException.For("url", "Give an absolute https URL of at most 2000 characters, without user name or password.");
        }

        return uri;
    }
}
