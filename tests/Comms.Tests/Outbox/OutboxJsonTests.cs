using System.Collections;
using System.Reflection;
using System.Text.Json;
using Comms.Notices;
using Comms.Outbox;
using Comms.Scenarios;
using Microsoft.Extensions.Options;

namespace Comms.Tests.Outbox;

/// <summary>
/// The requests the library system's calls queue (check-in receipt, declared lost, lost item returned, payment,
/// welcome, shortened due date) are stored encrypted as JSON and read back by the background attempt. A fact field
/// the JSON dropped would vanish from the email without any error, so each request is filled in every field its
/// facts have (checked by reflection: a new field fails here until a sample sets it) and must come back equal.
/// </summary>
public sealed class OutboxJsonTests
{
    private static readonly DateTimeOffset At = new(2030, 6, 7, 16, 0, 0, TimeSpan.FromHours(2));

    private static readonly LoanFact FullLoan = new("l1", "Dune", "Frank Herbert", "39001", At, ReplacementCost: 14.99m, Fee: 5m);

    public static TheoryData<string, NoticeRequest> Requests() => new()
    {
        { "check-in receipt", Request(Scenario.CheckInReceipt) with { Loans = [FullLoan, FullLoan with { LoanId = "l2", Title = "Emma" }] } },
        { "declared lost", Request(Scenario.DeclaredLost) with { Loans = [FullLoan] } },
        { "lost item returned", Request(Scenario.LostItemReturned) with { Loans = [FullLoan], Charge = new ChargeFact(Remaining: 5m, Paid: 0.01m, Balance: 1234.56m) } },
        { "payment received", Request(Scenario.PaymentReceived) with { Loans = [FullLoan], Charge = new ChargeFact(Remaining: 0.5m, Paid: 19.99m, Balance: 0m) } },
        { "welcome", Request(Scenario.Welcome) },
        { "due date shortened", Request(Scenario.DueDateShortened) with { Loans = [FullLoan], Recall = new RecallFact("Needed for a course reserve", At.AddDays(-21)) } },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void ProtectedJson_EveryFactFieldOfAQueuedRequest_ReadsBackEqual(string what, NoticeRequest request)
    {
        // Arrange: the sample really fills every field of the facts it carries.
        foreach (var fact in new object?[] { request.Charge, request.Recall }.Concat(request.Loans))
        {
            if (fact is not null)
            {
                AssertEveryPropertySet(fact, what);
            }
        }

        var protector = new NoticeProtector(Options.Create(new OutboxOptions { ProtectionKey = new string('k', 40) }));
        var context = NoticeOutbox.ProtectionContext(request.LibraryId, NoticeOutbox.IdOf(request));

        // Act: exactly what NoticeOutbox stores and OutboxDelivery reads back.
        var stored = protector.Protect(context, JsonSerializer.Serialize(request, OutboxJson.Options));
        var read = JsonSerializer.Deserialize<NoticeRequest>(protector.Unprotect(context, stored)!, OutboxJson.Options)!;

        // Assert
        AssertDeepEqual(request, read, what);
        Assert.Equal(NoticeOutbox.IdOf(request), NoticeOutbox.IdOf(read));
    }

    private static NoticeRequest Request(Scenario scenario) => new()
    {
        LibraryId = "north",
        Scenario = new ScenarioKey(scenario),
        SubjectRecordId = "record-1",
        ScheduledFor = new DateOnly(2030, 6, 7),
        PatronId = "p1",
    };

    private static void AssertEveryPropertySet(object fact, string what)
    {
        foreach (var property in fact.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.Name != "EqualityContract"))
        {
            Assert.True(property.GetValue(fact) is not null, $"{what}: the sample leaves {fact.GetType().Name}.{property.Name} unset, so the test would not see it dropped.");
        }
    }

    /// <summary>Property by property (records compare lists by reference), naming the path that differs.</summary>
    private static void AssertDeepEqual(object? expected, object? actual, string path)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{path}: expected {expected ?? "null"}, read back {actual ?? "null"}.");
            return;
        }

        var type = expected.GetType();
        if (type.IsPrimitive || type.IsEnum || expected is string or decimal or DateTimeOffset or DateOnly or Uri or ScenarioKey)
        {
            Assert.True(Equals(expected, actual), $"{path}: expected {expected}, read back {actual}.");
            if (expected is DateTimeOffset e)
            {
                Assert.Equal(e.Offset, ((DateTimeOffset)actual).Offset);
            }

            return;
        }

        if (expected is IEnumerable items)
        {
            var left = items.Cast<object?>().ToList();
            var right = ((IEnumerable)actual).Cast<object?>().ToList();
            Assert.True(left.Count == right.Count, $"{path}: {left.Count} items written, {right.Count} read back.");
            for (var i = 0; i < left.Count; i++)
            {
                AssertDeepEqual(left[i], right[i], $"{path}[{i}]");
            }

            return;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.Name != "EqualityContract" && p.GetIndexParameters().Length == 0))
        {
            AssertDeepEqual(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}");
        }
    }
}
