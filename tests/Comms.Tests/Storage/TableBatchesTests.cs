using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Comms.Storage;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Comms.Tests.Storage;

[Collection(EmulatorCollection.Name)]
public sealed class TableBatchesTests(EmulatorFixture emulators)
{
    [Fact]
    public async Task DeleteAllAsync_RowsOfSeveralPartitionsAndOneAlreadyGone_DeletesTheRestAndCountsThem()
    {
        // Arrange: 150 rows in "a" (two transactions), 3 in "b"; one row of "a" goes between the query and the delete.
        await using var services = TestServices.Create(emulators);
        var table = await services.GetRequiredService<CommsTables>().GetAsync("BatchTest");
        var rows = Enumerable.Range(0, 150).Select(i => new TableEntity("a", i.ToString("D3", CultureInfo.InvariantCulture)))
            .Concat(Enumerable.Range(0, 3).Select(i => new TableEntity("b", i.ToString(CultureInfo.InvariantCulture))))
            .ToList();
        foreach (var partition in rows.GroupBy(r => r.PartitionKey))
        {
            foreach (var chunk in partition.Chunk(CommsTables.BatchSize))
            {
                await table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)));
            }
        }

        await table.DeleteEntityAsync("a", "042", ETag.All);

        // Act
        var deleted = await TableBatches.DeleteAllAsync(table, Stream(rows));

        // Assert
        var left = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>())
        {
            left++;
        }

        Assert.Equal(152, deleted);
        Assert.Equal(0, left);
    }

    // System.Linq.Async and .NET 10 both declare ToAsyncEnumerable; a local stream avoids choosing.
    private static async IAsyncEnumerable<TableEntity> Stream(IEnumerable<TableEntity> rows)
    {
        foreach (var row in rows)
        {
            await Task.Yield();
            yield return row;
        }
    }
}
