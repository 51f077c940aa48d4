using System.Text.Json;
using System.Text.RegularExpressions;
using Comms.Infra.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using NCrontab;

namespace Comms.Infra.Tests;

/// <summary>
/// Every %setting% in host.json and in the app's trigger and binding attributes resolves, under the real
/// Functions host's rules, to a valid value: with local.settings.sample.json (func start) and with the app
/// settings `azd up` gives the function app for each provider choice, and with the dev host's own
/// appsettings.json (`dotnet run --project src/Comms.DevHost` resolves queue names and schedules the same way, and
/// stops with "The queue name setting … is not set" when one is missing). A token written "%A__B%" is not found
/// (the host looks up "A__B" where the setting is now "A:B"), so the task hub would never resolve.
/// </summary>
[Collection(CompiledMainTemplateCollection.Name)]
public sealed partial class HostTokenResolutionTests(CompiledMainTemplate compiled)
{
    /// <summary>Stands for a value only Azure knows at deployment (a resource output).</summary>
    private const string KnownOnlyInAzure = "<known only in Azure>";

    private const string DevHostSettings = "src/Comms.DevHost/appsettings.json";

    public static TheoryData<string> Configurations() =>
    [
        "local.settings.sample.json",
        DevHostSettings,
        "azd: EMAIL_PROVIDER=Acs",
        "azd: EMAIL_PROVIDER=Ses",
        "azd: EMAIL_PROVIDER=Ses, EMAIL_FAILOVER_PROVIDER=Acs",
        "azd: EMAIL_PROVIDER=Acs, EMAIL_FAILOVER_PROVIDER=Ses",
    ];

    [Fact]
    public void Values_InHostJsonAndBindings_IncludeHubNameSchedulesAndQueue()
    {
        // Act
        var kinds = HostTokens.All().Select(value => value.Kind).ToHashSet();

        // Assert: the walk finds what it must check, or the theory below checks nothing.
        Assert.Contains(HostValueKind.TaskHubName, kinds);
        Assert.Contains(HostValueKind.TimerSchedule, kinds);
        Assert.Contains(HostValueKind.QueueName, kinds);
        Assert.Contains(HostValueKind.Connection, kinds);
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void EveryHostValue_ResolvedAsTheHostDoes_IsValid(string configurationName)
    {
        // Arrange
        var configuration = HostTokens.FromEnvironmentVariables(Settings(configurationName));

        // Act
        var problems = HostTokens.All()
            // The dev host takes a trigger's storage from Comms:Storage:ConnectionString when the connection is unset.
            .Where(value => !(configurationName == DevHostSettings && value.Kind == HostValueKind.Connection))
            .Select(value => Check(value, configuration))
            .OfType<string>()
            .ToList();

        // Assert
        Assert.True(problems.Count == 0, $"With {configurationName}:\n{string.Join("\n", problems)}");
    }

    private IReadOnlyDictionary<string, string> Settings(string configurationName)
    {
        if (configurationName == "local.settings.sample.json")
        {
            using var sample = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.File("local.settings.sample.json")));
            return sample.RootElement.GetProperty("Values").EnumerateObject()
                .ToDictionary(property => property.Name, property => property.Value.GetString() ?? string.Empty);
        }

        if (configurationName == DevHostSettings)
        {
            // As environment variables: the same names with "__" for ":", which FromEnvironmentVariables reads back.
            return new ConfigurationBuilder().AddJsonFile(RepositoryRoot.File(DevHostSettings.Split('/'))).Build().AsEnumerable()
                .Where(pair => pair.Value is not null)
                .ToDictionary(pair => pair.Key.Replace(":", "__", StringComparison.Ordinal), pair => pair.Value!);
        }

        var environment = AzdDeployment.NewEnvironment();
        foreach (Match assignment in AzdAssignment().Matches(configurationName))
        {
            environment[assignment.Groups[1].Value] = assignment.Groups[2].Value;
        }

        environment["EMAIL_PLATFORM_SENDER"] = "notices@mail.example.org";
        return AzdDeployment.AppSettings(compiled.Template, environment)
            .ToDictionary(pair => pair.Key, pair => pair.Value is ArmUnknown ? KnownOnlyInAzure : pair.Value as string ?? string.Empty);
    }

    private static string? Check(HostValue value, IConfiguration configuration)
    {
        if (value.Kind == HostValueKind.Connection)
        {
            // A connection name is a section: a value (connection string) or children (identity-based: __accountName).
            var (name, missingNames) = HostTokens.Resolve(value.Value, configuration);
            var section = configuration.GetSection(name);
            return missingNames.Count == 0 && (section.Value is { Length: > 0 } || section.GetChildren().Any())
                ? null
                : $"{value.Where}: connection '{value.Value}' names no setting or section.";
        }

        var (resolved, missing) = HostTokens.Resolve(value.Value, configuration);
        if (missing.Count > 0)
        {
            return $"{value.Where}: '{value.Value}' names {string.Join(", ", missing)}, which the host does not find.";
        }

        if (resolved.Contains(KnownOnlyInAzure, StringComparison.Ordinal))
        {
            return $"{value.Where}: '{value.Value}' depends on a resource output; it must be set from a parameter.";
        }

        var valid = value.Kind switch
        {
            HostValueKind.TaskHubName => HubName().IsMatch(resolved),
            HostValueKind.TimerSchedule => CrontabSchedule.TryParse(resolved, new CrontabSchedule.ParseOptions { IncludingSeconds = true }) is not null,
            HostValueKind.QueueName => QueueName().IsMatch(resolved),
            _ => resolved.Length > 0,
        };
        return valid ? null : $"{value.Where}: '{value.Value}' resolves to '{resolved}', which is not a valid {value.Kind}.";
    }

    [GeneratedRegex(@"([A-Z_]+)=(\w+)")]
    private static partial Regex AzdAssignment();

    /// <summary>Azure Storage task hubs: a letter, then letters and digits, 3 to 45 characters.</summary>
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,44}$")]
    private static partial Regex HubName();

    /// <summary>Storage queue names: 3-63 lowercase letters, digits and single hyphens, no hyphen at either end.</summary>
    [GeneratedRegex("^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex QueueName();
}
