using Amazon;
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
    public static HttpClient Create(SesOptions options)
    {
        var region = RegionEndpoint.GetBySystemName(options.Region ?? "us-east-1");
        AWSCredentials credentials = string.IsNullOrWhiteSpace(options.AccessKeyId)
            ? DefaultAWSCredentialsIdentityResolver.GetCredentials()
            : new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey);

        // Redirects must not be followed below the signer (they would arrive unsigned); SES does not redirect.
        var transport = new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        return new HttpClient(new SigV4SigningHandler(credentials, region, "ses", transport))
        {
            BaseAddress = options.ServiceUrl ?? new Uri($"https://email.{region.SystemName}.amazonaws.com"),
            Timeout = TimeSpan.FromSeconds(Math.Max(1, options.TimeoutSeconds)),
        };
    }
}
