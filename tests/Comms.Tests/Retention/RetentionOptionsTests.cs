using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Comms.Functions.Retention;
using Comms.Retention;
using Comms.Tests.Infrastructure;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Comms.Tests.Retention;

/// <summary>Comms:Retention is checked when the app starts, so a bad value stops it with the setting's name.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class RetentionOptionsTests(EmulatorFixture emulators)
{
    [Fact]
    public async Task StartupValidation_Defaults_PassWithTheDocumentedValues()
    {
        // Arrange
        await using var services = TestServices.Create(emulators);

        // Act
        services.GetRequiredService<IStartupValidator>().Validate();
        var options = services.GetRequiredService<IOptions<RetentionOptions>>().Value;

        // Assert
        Assert.Equal((400, 35, 90, 480), (options.EmailLogDays, options.LedgerDays, options.ClosedRecordDays, options.MaxRunSeconds));
    }

    [Theory]
    [InlineData("EmailLogDays", "29")]
    [InlineData("EmailLogDays", "0")]
    [InlineData("LedgerDays", "6")]
    [InlineData("ClosedRecordDays", "-1")]
    [InlineData("MaxRunSeconds", "5")]
    [InlineData("Schedule", "daily")]
    [InlineData("Schedule", "30 3 * * *")]
    [InlineData("Schedule", "")]
    public async Task StartupValidation_BadSetting_FailsNamingTheSetting(string setting, string value)
    {
        // Arrange
        await using var services = TestServices.Create(emulators, s => s[$"{RetentionOptions.Section}:{setting}"] = value);
        var validator = services.GetRequiredService<IStartupValidator>();

        // Act
        var e = Assert.Throws<OptionsValidationException>(validator.Validate);

        // Assert
        Assert.Contains($"Comms:Retention:{setting}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SampleSettings_RetentionValues_AreTheOptionDefaultsAndTheTimerReadsTheSchedule()
    {
        // Arrange
        using var sample = JsonDocument.Parse(File.ReadAllText(RepoPaths.File("local.settings.sample.json")));
        var values = sample.RootElement.GetProperty("Values");
        var defaults = new RetentionOptions();

        // Act
        var trigger = typeof(PurgeExpiredRecordsFunction).GetMethod(nameof(PurgeExpiredRecordsFunction.PurgeExpiredRecords))!
            .GetParameters().Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).OfType<TimerTriggerAttribute>().Single();

        // Assert
        Assert.Equal("%Comms:Retention:Schedule%", trigger.Schedule);
        Assert.Equal(defaults.Schedule, values.GetProperty("Comms__Retention__Schedule").GetString());
        Assert.Equal(defaults.EmailLogDays.ToString(CultureInfo.InvariantCulture), values.GetProperty("Comms__Retention__EmailLogDays").GetString());
        Assert.Equal(defaults.LedgerDays.ToString(CultureInfo.InvariantCulture), values.GetProperty("Comms__Retention__LedgerDays").GetString());
        Assert.Equal(defaults.ClosedRecordDays.ToString(CultureInfo.InvariantCulture), values.GetProperty("Comms__Retention__ClosedRecordDays").GetString());
        Assert.Equal(defaults.MaxRunSeconds.ToString(CultureInfo.InvariantCulture), values.GetProperty("Comms__Retention__MaxRunSeconds").GetString());
    }
}
