using System.Text.Json;
using Comms.DevHost;
using Comms.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Comms.Tests.DevHost;

public sealed class FunctionsMetadataTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Fact]
    public async Task DevHost_EveryFunctionInTheBuildMetadata_IsServedWithTheSameTriggerRouteAndMethods()
    {
        var metadataPath = RepoPaths.File("src", "Comms.Functions", "bin", Configuration, "net10.0", "functions.metadata");
        using var metadata = JsonDocument.Parse(await File.ReadAllTextAsync(metadataPath));
        await using var app = DevHostApp.Build([], b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Comms:Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["Comms:Security:PlatformAdminKey"] = TestServices.AdminKey,
        }));
        var served = app.Services.GetRequiredService<ServedFunctions>().All.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .ToDictionary(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? e.DisplayName!, StringComparer.Ordinal);

        var names = new List<string>();
        foreach (var function in metadata.RootElement.EnumerateArray())
        {
            var name = function.GetProperty("name").GetString()!;
            names.Add(name);
            var trigger = function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
            Assert.True(served.TryGetValue(name, out var wired), $"{name} is in functions.metadata but the dev host does not serve it.");
            Assert.Equal(trigger.GetProperty("type").GetString(), wired.Trigger);
            if (wired.Trigger == "httpTrigger")
            {
                var route = trigger.GetProperty("route").GetString();
                var methods = trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToLowerInvariant()).Order().ToArray();
                Assert.Equal(route, wired.Route);
                Assert.Equal(methods, wired.Methods!.Order());
                Assert.Equal("/api/" + route, endpoints[name].RoutePattern.RawText);
                Assert.Equal(methods, endpoints[name].Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods.Select(m => m.ToLowerInvariant()).Order());
            }
            else if (wired.Trigger == "timerTrigger")
            {
                Assert.Equal(trigger.GetProperty("schedule").GetString(), wired.Schedule);
            }
        }

        Assert.Contains("LoanOrchestrator", names);
        Assert.Equal(names.Order(StringComparer.Ordinal), served.Keys.Order(StringComparer.Ordinal));
    }
}
