using Azure.Data.Tables;
using Comms.Libraries;
using Comms.Storage;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Comms.Tests.Infrastructure.ApiClient;

namespace Comms.Tests.Security;

/// <summary>
/// Hostile input against every endpoint the app declares: never a 500, every rejection problem+json, and
/// nothing stored for the library (row counts of every library table unchanged).
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class BadInputCorpusTests(EmulatorFixture emulators, ITestOutputHelper output) : IAsyncLifetime
{
    private DevHostServer _host = null!;
    private string _key = null!;

    public static readonly IReadOnlyList<(string Name, string Body)> Bodies =
    [
        ("malformed", "{\"id\": "),
        ("array", "[]"),
        ("null", "null"),
        ("string", "\"hello\""),
        ("wrong types", "{\"id\": 5, \"name\": [], \"patronId\": {}, \"to\": 7, \"lines\": \"x\", \"loans\": 3}"),
        ("unknown enum", "{\"role\": \"dragon\", \"status\": \"exploded\", \"scenario\": \"lunch\"}"),
        ("lone surrogate", "{\"id\": \"\\ud800\", \"name\": \"\\udfff\"}"),
        ("bidi and zero-width", "{\"id\": \"p\\u202e1\", \"name\": \"\\u200b\\u2066x\"}"),
        ("CR/LF in header-bound fields", "{\"id\": \"p1\", \"name\": \"A\\r\\nBcc: x@evil.example\", \"to\": \"a@b.example\\r\\nBcc: c@d.example\", \"fromAddress\": \"a@b.example\\nX: y\"}"),
        ("deep nesting", new string('[', 5000) + new string(']', 5000)),
        ("huge", "{\"name\": \"" + new string('x', 2 * 1024 * 1024) + "\"}"),
        ("not JSON at all", "<xml>nope</xml>"),
    ];

    public static readonly IReadOnlyList<string> IdTricks = ["..%2F..%2Fetc", "%00", new string('a', 300), "%E2%80%AE", "x%0D%0Ay", "con"];

    public async Task InitializeAsync()
    {
        _host = await DevHostServer.StartAsync(emulators, HttpSurface.WithDurableEngine);
        _key = await _host.Client.CreateLibraryAsync("corpus");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task EveryEndpoint_HostileBodiesAndIds_NoServerErrorsProblemJsonAndNothingStored()
    {
        var before = await RowCountAsync();
        var failures = new List<string>();
        var requests = 0;
        // Deleting the library and rotating its key do exactly that whatever the body: they are not input
        // handlers, and running them would empty or lock out the library the corpus measures.
        foreach (var endpoint in HttpSurface.All.Where(e => e.Function is not ("DeleteLibrary" or "RotateLibraryKey")))
        {
            var attempts = new List<(string Why, string Path, string? Body)>();
            if (endpoint.TakesBody)
            {
                attempts.AddRange(Bodies.Select(b => (b.Name, endpoint.Path("corpus"), (string?)b.Body)));
            }

            attempts.AddRange(IdTricks.Where(_ => endpoint.Route.Contains('{', StringComparison.Ordinal) && endpoint.Route.Count(c => c == '{') > (endpoint.IsLibraryScoped ? 1 : 0))
                .Select(t => ($"id {t}", endpoint.Path("corpus", t), endpoint.TakesBody ? "{}" : null)));
            attempts.Add(("query junk", endpoint.Path("corpus") + "?pageSize=-1&from=yesterday&status=%00&continuationToken=" + new string('z', 3000), endpoint.TakesBody ? "{}" : null));

            foreach (var (why, path, body) in attempts)
            {
                requests++;
                using var response = await _host.Client.SendAsync(Request(new HttpMethod(endpoint.Method), path, body, libraryKey: _key));
                var status = (int)response.StatusCode;
                var type = response.Content.Headers.ContentType?.MediaType;
                // A NUL in the path never reaches the app: the web server answers 400 itself, as Azure's front end does.
                if (why == "id %00" && status == 400)
                {
                    continue;
                }

                if (status >= 500 || (status >= 400 && type != "application/problem+json") || (status is >= 200 and < 300 && endpoint.TakesBody))
                {
                    failures.Add($"{endpoint} [{why}] → {status} {type}");
                }
            }
        }

        var after = await RowCountAsync();
        output.WriteLine($"Bad-input corpus: {HttpSurface.All.Count} endpoints, {requests} requests, {failures.Count} failures; rows before {before}, after {after}");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(before, after);

        // The key still works, so no rejection above was a mere 403 from a key the corpus had lost.
        using var check = await _host.Client.SendAsync(Request(HttpMethod.Get, "/api/libraries/corpus", libraryKey: _key));
        check.EnsureSuccessStatusCode();
    }

    [Theory]
    [InlineData("GET", "/api/no/such/route", 404)]
    [InlineData("GET", "/api/libraries/corpus/no-such-thing", 404)]
    [InlineData("DELETE", "/api/libraries/corpus/templates/preview", 405)]
    [InlineData("PATCH", "/api/libraries/corpus/patrons/p1", 405)]
    [InlineData("GET", "/api/libraries/corpus/templates/t1/versions/99999999999", 400)]
    [InlineData("GET", "/api/libraries/corpus/templates/t1/versions/0", 400)]
    [InlineData("GET", "/api/libraries/corpus/templates/t1/versions/two", 400)]
    public async Task RoutingAnswers_UnmatchedRouteWrongMethodOrBadVersion_HaveAProblemJsonBody(string method, string path, int expected)
    {
        using var response = await _host.Client.SendAsync(Request(new HttpMethod(method), path, null, libraryKey: _key));

        var problem = await response.AssertProblemAsync(expected);
        Assert.False(string.IsNullOrWhiteSpace(problem["title"]?.GetValue<string>()));
    }

    private async Task<int> RowCountAsync()
    {
        var tables = _host.Services.GetRequiredService<CommsTables>();
        var count = 0;
        foreach (var name in LibraryDataPurge.TablesPartitionedByLibrary)
        {
            var table = await tables.GetAsync(name);
            await foreach (var _ in table.QueryAsync<TableEntity>(e => e.PartitionKey == "corpus", select: ["RowKey"]))
            {
                count++;
            }
        }

        return count;
    }
}
