using System.Net;
using Comms.Notices;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Comms.Tests.Infrastructure.ApiClient;

namespace Comms.Tests.Acquisitions;

[Collection(EmulatorCollection.Name)]
public sealed class SupplierOrderApiTests(EmulatorFixture emulators) : IAsyncLifetime
{
    private readonly RecordingNoticeDispatcher _dispatcher = new();
    private DevHostServer _host = null!;
    private string _key = null!;

    public async Task InitializeAsync()
    {
        _host = await DevHostServer.StartAsync(emulators, services: s => s.AddSingleton<INoticeDispatcher>(_dispatcher));
        _key = await _host.Client.CreateLibraryAsync("lib");
        using var put = await _host.Client.SendAsync(Request(HttpMethod.Put, "/api/libraries/lib/suppliers/books", Samples.Supplier("books"), libraryKey: _key));
        put.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task PlaceSupplierOrder_SameOrderTwice_OneNoticeAnsweredBothTimes()
    {
        using var first = await Send("/api/libraries/lib/orders", Order("PO-1"));
        using var second = await Send("/api/libraries/lib/orders", Order("PO-1"));
        await _host.OutboxSettledAsync("lib");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal((await first.JsonAsync())["notice"]!["noticeId"]!.GetValue<string>(), (await second.JsonAsync())["notice"]!["noticeId"]!.GetValue<string>());
        var request = Assert.Single(_dispatcher.Requests);
        Assert.Equal("books", request.SupplierId);
        Assert.Equal(2, request.Order!.Lines.Count);
    }

    [Fact]
    public async Task PlaceSupplierOrder_DifferentContentSameNumber_Is409AndResendRaisesRevision()
    {
        using var first = await Send("/api/libraries/lib/orders", Order("PO-2"));
        using var changed = await Send("/api/libraries/lib/orders", Order("PO-2", quantity: 9));
        using var resent = await Send("/api/libraries/lib/orders/PO-2/resend", null);

        await _host.OutboxSettledAsync("lib");
        await changed.AssertProblemAsync(409);
        Assert.Equal(HttpStatusCode.Accepted, resent.StatusCode);
        // The outbox delivers queued notices concurrently, so the two may reach the dispatcher in either order.
        Assert.Equal([0, 1], _dispatcher.Requests.Select(r => r.Revision).Order());
    }

    public static TheoryData<string, string> BadOrders() => new()
    {
        { Order("PO-9", isbn: "978-0-00-000000-1"), "lines[0].isbn" },
        { Order("PO-9", quantity: 0), "lines[0].quantity" },
        { Order("PO-9", price: "12.345"), "lines[0].unitPrice" },
        { Order("PO-9", currency: "pounds"), "currency" },
        { Order("PO-9", lines: "[]"), "lines" },
        { Order("PO 9"), "orderNumber" },
        { Order("PO-9", price: "\"free\""), "lines[0].unitPrice" },
    };

    [Theory]
    [MemberData(nameof(BadOrders))]
    public async Task PlaceSupplierOrder_BadInput_Is400AndSendsNothing(string body, string field)
    {
        using var response = await Send("/api/libraries/lib/orders", body);
        using var stored = await Send("/api/libraries/lib/orders/PO-9", null, HttpMethod.Get);

        await response.AssertProblemAsync(400, field);
        await stored.AssertProblemAsync(404);
        Assert.Empty(_dispatcher.Requests);
    }

    [Fact]
    public async Task PlaceSupplierOrder_UnknownSupplier_Is404AndOtherLibrarysKeyIs403()
    {
        var otherKey = await _host.Client.CreateLibraryAsync("other");

        using var unknown = await Send("/api/libraries/lib/orders", Order("PO-3", supplier: "nobody"));
        using var foreign = await _host.Client.SendAsync(Request(HttpMethod.Post, "/api/libraries/lib/orders", Order("PO-4"), libraryKey: otherKey));
        using var foreignResend = await _host.Client.SendAsync(Request(HttpMethod.Post, "/api/libraries/lib/orders/PO-3/resend", libraryKey: otherKey));

        await _host.OutboxSettledAsync("lib");
        await unknown.AssertProblemAsync(404);
        await foreign.AssertProblemAsync(403);
        await foreignResend.AssertProblemAsync(403);
        Assert.Empty(_dispatcher.Requests);
    }

    private Task<HttpResponseMessage> Send(string path, string? body, HttpMethod? method = null) =>
        _host.Client.SendAsync(Request(method ?? HttpMethod.Post, path, body, libraryKey: _key));

    private static string Order(string number, int quantity = 2, string price = "12.50", string currency = "GBP", string isbn = "978-0-14-143951-8", string? lines = null, string supplier = "books")
    {
        lines ??= "[{\"title\": \"Pride and Prejudice\", \"isbn\": \"" + isbn + "\", \"quantity\": " + quantity + ", \"unitPrice\": " + price + "},"
            + " {\"title\": \"Emma\", \"quantity\": 1, \"unitPrice\": 7.99}]";
        return "{\"orderNumber\": \"" + number + "\", \"supplierId\": \"" + supplier + "\", \"currency\": \"" + currency
            + "\", \"deliveryAddress\": \"1 High St\", \"lines\": " + lines + "}";
    }
}
