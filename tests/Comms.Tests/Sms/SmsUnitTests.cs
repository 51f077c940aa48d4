using Comms.Common;
using Comms.Delivery;
using Comms.Scenarios;
using Comms.Sms;

namespace Comms.Tests.Sms;

public sealed class SmsUnitTests
{
    [Theory]
    [InlineData(0, SmsEncoding.Gsm7, 0)]
    [InlineData(160, SmsEncoding.Gsm7, 1)]
    [InlineData(161, SmsEncoding.Gsm7, 2)]
    [InlineData(306, SmsEncoding.Gsm7, 2)]
    [InlineData(307, SmsEncoding.Gsm7, 3)]
    public void Measure_PlainLetters_Gsm7With160Then153PerSegment(int length, SmsEncoding encoding, int segments)
    {
        var measured = SmsText.Measure(new string('a', length));

        Assert.Equal(new SmsLength(encoding, length, segments), measured);
    }

    [Fact]
    public void Measure_ExtensionCharacters_CountTwoSeptetsEach()
    {
        // 80 euro signs are 160 septets: still one message; one more letter makes two.
        Assert.Equal(new SmsLength(SmsEncoding.Gsm7, 160, 1), SmsText.Measure(new string('€', 80)));
        Assert.Equal(new SmsLength(SmsEncoding.Gsm7, 161, 2), SmsText.Measure(new string('€', 80) + "a"));
    }

    [Theory]
    [InlineData("Żółć", 4, 1)]
    [InlineData("Ready to collect ✓", 18, 1)]
    public void Measure_OutsideTheGsmAlphabet_Ucs2(string text, int units, int segments)
    {
        Assert.Equal(new SmsLength(SmsEncoding.Ucs2, units, segments), SmsText.Measure(text));
    }

    [Fact]
    public void Measure_Ucs2_70Then67PerSegment()
    {
        Assert.Equal(1, SmsText.Measure(new string('ł', 70)).Segments);
        Assert.Equal(2, SmsText.Measure(new string('ł', 71)).Segments);
        Assert.Equal(3, SmsText.Measure(new string('ł', 135)).Segments);
    }

    [Fact]
    public void Bound_TooLong_CutToMaxSegmentsStayingGsm7()
    {
        var bounded = SmsText.Bound(new string('a', 5000));

        var length = SmsText.Measure(bounded);
        Assert.Equal(SmsEncoding.Gsm7, length.Encoding);
        Assert.True(length.Segments <= SmsText.MaxSegments);
        Assert.EndsWith("...", bounded, StringComparison.Ordinal);
    }

    [Fact]
    public void Bound_SurrogatePairs_NeverSplit()
    {
        var bounded = SmsText.Bound(string.Concat(Enumerable.Repeat("📚", 1000)));

        Assert.True(SmsText.Measure(bounded).Segments <= SmsText.MaxSegments);
        Assert.False(char.IsHighSurrogate(bounded[^4]), bounded[^6..]);
    }

    [Theory]
    [InlineData("+447700900123", true)]
    [InlineData("+12025550123", true)]
    [InlineData("+1234567", true)]
    [InlineData("+123456789012345", true)]
    [InlineData("+1234567890123456", false)]
    [InlineData("447700900123", false)]
    [InlineData("+44 7700 900123", false)]
    [InlineData("+0447700900123", false)]
    [InlineData("+44-7700", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void PhoneNumber_IsValid_OnlyE164(string? value, bool valid) => Assert.Equal(valid, PhoneNumber.IsValid(value));

    [Theory]
    [InlineData("2026-06-01T20:59:00Z", null)]
    [InlineData("2026-06-01T21:00:00Z", "2026-06-02T08:00:00Z")]
    [InlineData("2026-06-02T03:00:00Z", "2026-06-02T08:00:00Z")]
    [InlineData("2026-06-02T08:00:00Z", null)]
    public void EndIfQuiet_WindowAcrossMidnight_EndsNextMorning(string now, string? end)
    {
        var quiet = new QuietHours { Start = new TimeOnly(21, 0), End = new TimeOnly(8, 0) };

        Assert.Equal(end is null ? null : DateTimeOffset.Parse(end, System.Globalization.CultureInfo.InvariantCulture), quiet.EndIfQuiet("UTC", DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void EndIfQuiet_InTheLibrarysZone_EndsAtLocalTimeAcrossTheClockChange()
    {
        // London, the night the clocks go forward (29 March 2026, 01:00 GMT becomes 02:00 BST): 22:30 local on the 28th
        // is quiet, and 08:00 local on the 29th is 07:00 UTC.
        var quiet = new QuietHours();

        var end = quiet.EndIfQuiet("Europe/London", new DateTimeOffset(2026, 3, 28, 22, 30, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 3, 29, 7, 0, 0, TimeSpan.Zero), end);
    }

    [Fact]
    public void EndIfQuiet_StartEqualsEnd_NeverQuiet()
    {
        var none = new QuietHours { Start = new TimeOnly(0, 0), End = new TimeOnly(0, 0) };

        Assert.Null(none.EndIfQuiet("UTC", new DateTimeOffset(2026, 1, 1, 3, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData(Scenario.Overdue, true)]
    [InlineData(Scenario.Escalation, true)]
    [InlineData(Scenario.Recall, true)]
    [InlineData(Scenario.DeclaredLost, true)]
    [InlineData(Scenario.PasswordReset, false)]
    [InlineData(Scenario.ReservationReady, false)]
    [InlineData(Scenario.LoanReceipt, false)]
    public void ChannelChain_Default_MandatoryScenariosWithAnSmsTextFallBackToSmsThenPrint(Scenario scenario, bool fallsBack)
    {
        var library = Samples.Library("chain");

        Assert.Equal(fallsBack ? [NoticeChannel.Email, NoticeChannel.Sms, NoticeChannel.Print] : [NoticeChannel.Email], ChannelChain.For(library, scenario));
    }

    [Fact]
    public void ChannelChain_LibrarySetting_Wins()
    {
        var library = Samples.Library("chain") with
        {
            Scenarios = new Dictionary<Scenario, Comms.Libraries.ScenarioSettings>
            {
                [Scenario.ReservationReady] = new() { Channels = [NoticeChannel.Email, NoticeChannel.Sms] },
                [Scenario.Overdue] = new() { Channels = [NoticeChannel.Email] },
            },
        };

        Assert.True(ChannelChain.FallsBackToSms(library, Scenario.ReservationReady));
        Assert.False(ChannelChain.FallsBackToSms(library, Scenario.Overdue));
    }

    [Fact]
    public void SmsTemplates_EveryShippedText_RendersFromTheScenarioSampleInOneOrTwoGsmSegments()
    {
        var renderer = new Comms.Templates.TemplateRenderer();
        foreach (var scenario in SmsTemplates.Scenarios)
        {
            var model = Comms.Templates.SampleReaders.Model(new ScenarioKey(scenario), DateTimeOffset.UtcNow);

            var sms = SmsTemplates.Render(renderer, SmsTemplates.DefaultFor(scenario), model);

            Assert.DoesNotContain("{{", sms.Text, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', sms.Text);
            Assert.Contains("STOP", sms.Text, StringComparison.Ordinal);
            Assert.InRange(sms.Length.Segments, 1, 2);
        }
    }
}
