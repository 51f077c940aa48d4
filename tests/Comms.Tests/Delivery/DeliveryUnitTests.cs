using System.Diagnostics;
using Comms.Delivery;
using Comms.Delivery.Providers;
using Microsoft.Extensions.Options;

namespace Comms.Tests.Delivery;

public sealed class DeliveryUnitTests
{
    [Fact]
    public async Task AcquireAsync_TenPerSecond_ThirtyMessagesTakeAboutTwoSeconds()
    {
        var options = Options.Create(new EmailOptions { Ses = new SesOptions { MessagesPerSecond = 10 } });
        using var limiters = new ProviderRateLimiters(options);
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < 30; i++)
        {
            using var lease = await limiters.AcquireAsync(ProviderNames.Ses, 1, CancellationToken.None);
        }

        // 10 from the full bucket at once, then 10 per second.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.7), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public void Next_RetryAfterLongerThanBackoff_WaitsForRetryAfter()
    {
        var options = new RetryOptions { BaseDelayMilliseconds = 100, MaxDelayMilliseconds = 1000 };

        var asked = RetryDelays.Next(options, 1, TimeSpan.FromSeconds(3), new Random(1));
        var capped = Enumerable.Range(1, 20).Select(a => RetryDelays.Next(options, a, null, new Random(a))).Max();

        Assert.Equal(TimeSpan.FromSeconds(3), asked);
        Assert.True(capped <= TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void OperationIdFor_SameKey_SameGuid()
    {
        Assert.Equal(AcsEmailProvider.OperationIdFor("abc"), AcsEmailProvider.OperationIdFor("abc"));
        Assert.NotEqual(AcsEmailProvider.OperationIdFor("abc"), AcsEmailProvider.OperationIdFor("abd"));
    }

    [Theory]
    [InlineData("aws.ses#MessageRejected", "MessageRejected")]
    [InlineData("SendingPausedException:http://internal.amazon.com/coral/com.amazonaws.sesv2/", "SendingPausedException")]
    [InlineData(null, "Unknown")]
    public void Normalize_SesErrorTypes_KeepsTheName(string? raw, string expected) =>
        Assert.Equal(expected, SesError.Normalize(raw));

    [Fact]
    public void Redact_ProviderReasonWithAddress_HidesIt() =>
        Assert.Equal("Rejected: [address] unknown", Redaction.Redact("Rejected: ann@example.org unknown"));

    [Fact]
    public void Validate_SesWithoutRegion_FailsAtStart()
    {
        var options = new EmailOptions { Provider = "Ses", Ses = new SesOptions { Region = null } };

        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();

        Assert.Contains(errors, e => e.ErrorMessage!.Contains("Region", StringComparison.Ordinal));
    }
}
