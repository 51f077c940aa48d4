using Comms.Delivery;
using Comms.DevHost;
using Comms.DevHost.Local;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Comms.Tests.DevHost;

/// <summary>What a newcomer's first `dotnet run` depends on: where patron emails land, the environment, Node.js.</summary>
public sealed class LocalStartTests
{
    [Fact]
    public async Task PickupDirectory_Relative_IsTheRepositoryRootOutboxThatGitIgnores()
    {
        await using var app = Build(new() { ["Comms:Email:Pickup:Directory"] = "outbox" });

        var directory = app.Services.GetRequiredService<IOptions<EmailOptions>>().Value.Pickup.Directory;

        Assert.Equal(RepoPaths.File("outbox"), directory);
        Assert.Contains("outbox/", await File.ReadAllLinesAsync(RepoPaths.File(".gitignore")));
    }

    [Fact]
    public async Task PickupDirectory_Absolute_StaysAsConfigured()
    {
        var absolute = Path.Combine(Path.GetTempPath(), "comms-tests", "absolute-outbox");
        await using var app = Build(new() { ["Comms:Email:Pickup:Directory"] = absolute });

        Assert.Equal(absolute, app.Services.GetRequiredService<IOptions<EmailOptions>>().Value.Pickup.Directory);
    }

    [Fact]
    public async Task Environment_NoneSet_IsDevelopment()
    {
        await using var app = Build([]);

        var set = new[] { "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT" }.Select(Environment.GetEnvironmentVariable).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
        Assert.Equal(set ?? Environments.Development, app.Services.GetRequiredService<IHostEnvironment>().EnvironmentName);
    }

    [Theory]
    [InlineData("v20.20.2", 20)]
    [InlineData("v22.1.0", 22)]
    [InlineData("v8.17.0", 8)]
    [InlineData("not a version", 0)]
    public void ParseMajor_NodeVersionText_ReadsTheMajorVersion(string text, int expected) =>
        Assert.Equal(expected, NodeRuntime.ParseMajor(text));

    [Fact]
    public async Task RequireAsync_NodeOnThisMachine_IsAtLeastTheMinimum()
    {
        var major = await NodeRuntime.RequireAsync(CancellationToken.None);

        Assert.True(major >= NodeRuntime.MinimumMajor, $"node {major}");
    }

    private static Microsoft.AspNetCore.Builder.WebApplication Build(Dictionary<string, string?> settings) =>
        DevHostApp.Build([], b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Comms:Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["Comms:Security:PlatformAdminKey"] = TestServices.AdminKey,
            ["DevHost:Durable:Enabled"] = "false",
        }.Concat(settings).ToDictionary()));
}
