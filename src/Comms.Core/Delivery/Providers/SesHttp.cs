using Amazon;
using Comms.Common;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Signing;

namespace Comms.Delivery.Providers;

/// <summary>
/// One way to talk to the SES v2 REST API: an HttpClient signed by AWSSDK.Core's SigV4 handler (service "ses"),
/// shared by sending and by the suppression list calls so both use the same credentials and endpoint.
/// </summary>
internal static class SesHttp
{
    /// <summary>The app setting holding an unresolved Key Vault reference instead of an AWS key, if any.</summary>
    public static string? UnresolvedKey(SesOptions options) =>
        SecretReferences.IsUnresolved(options.AccessKeyId) ? "Comms__Email__Ses__AccessKeyId"
        : SecretReferences.IsUnresolved(options.SecretAccessKey) ? "Comms__Email__Ses__SecretAccessKey"
        : null;

    private sealed class RefuseHandler(string problem, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new HttpRequestException(problem);
    }

    public static HttpClient Create(SesOptions options)
    {
        var region = RegionEndpoint.GetBySystemName(options.Region ?? "us-east-1");
        AWSCredentials credentials = string.IsNullOrWhiteSpace(options.AccessKeyId)
            ? DefaultAWSCredentialsIdentityResolver.GetCredentials()
            : new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey);

        // Redirects must not be followed below the signer (they would arrive unsigned); SES does not redirect.
        var transport = new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        HttpMessageHandler signed = new SigV4SigningHandler(credentials, region, "ses", transport);
        if (UnresolvedKey(options) is { } setting)
        {
            // Nothing is ever signed with the text of a reference: every request stops before the signer.
            signed = new RefuseHandler(SecretReferences.Problem(setting), signed);
        }

        return new HttpClient(signed)
        {
            BaseAddress = options.ServiceUrl ?? new Uri($"https://email.{region.SystemName}.amazonaws.com"),
            Timeout = TimeSpan.FromSeconds(Math.Max(1, options.TimeoutSeconds)),
        };
    }
}
