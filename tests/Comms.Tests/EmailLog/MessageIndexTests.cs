using Azure.Data.Tables;
using Comms.EmailLog;
using Comms.Storage;
using Comms.Tests.Infrastructure;
using Comms.Tests.Retention;
using Microsoft.Extensions.DependencyInjection;

namespace Comms.Tests.EmailLog;

/// <summary>The provider-message index in its bucketed layout, beside rows written in the layout before it.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class MessageIndexTests(EmulatorFixture emulators)
{
    [Fact]
    public async Task FindAsync_MessageIdsSharingAPrefix_EachFindsOnlyItsOwnRows()
    {
        await using var services = TestServices.Create(emulators);
        var index = new MessageIndex(services.GetRequiredService<CommsTables>());
        var plain = RetentionTestData.LogEntry("lib", DateTimeOffset.UtcNow, "msg-1");
        var piped = RetentionTestData.LogEntry("lib", DateTimeOffset.UtcNow, "msg-1|x");

        await index.AddAsync([plain, piped]);

        Assert.Equal([("lib", plain.Id)], await index.FindAsync("msg-1"));
        Assert.Equal([("lib", piped.Id)], await index.FindAsync("msg-1|x"));
    }

    [Fact]
    public async Task UpdateAndPurge_RowIndexedInTheLayoutBeforeBuckets_AreFoundAndDeleted()
    {
        // Arrange: a log row whose index row was written before buckets (partition = the message id).
        await using var services = TestServices.Create(emulators);
        var tables = services.GetRequiredService<CommsTables>();
        var entry = RetentionTestData.LogEntry("lib", DateTimeOffset.UtcNow.AddDays(-1), "legacy-msg") with { ProviderMessageId = null };
        await services.GetRequiredService<EmailLogStore>().AppendManyAsync([entry]);
        var indexTable = await tables.GetAsync(MessageIndex.TableName);
        await indexTable.AddEntityAsync(new TableEntity("legacy-msg", "lib|" + entry.Id) { ["LibraryId"] = "lib", ["EntryId"] = entry.Id });

        // Act
        var updated = await services.GetRequiredService<EmailLogStore>().UpdateByMessageIdAsync("legacy-msg", null, EmailStatus.Bounced, "mailbox full");
        var deleted = await new MessageIndex(tables).DeleteAsync(entry with { ProviderMessageId = "legacy-msg" });

        // Assert
        Assert.Equal(1, updated);
        Assert.True(deleted);
        Assert.Equal(0, await RetentionTestData.CountAsync(tables, MessageIndex.TableName));
    }
}
