using Comms.Circulation;
using Comms.Contacts;
using Comms.Storage;
using Comms.Tests.Infrastructure;

namespace Comms.Tests.Storage;

/// <summary>One read per row and unit of work inside a snapshot; fresh reads outside one and after a write.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class ReadSnapshotTests(EmulatorFixture emulators)
{
    [Fact]
    public async Task GetAsync_InsideASnapshot_ReadsThePatronOnceEvenWhenAskedTogether()
    {
        var (patrons, _, calls) = Stores();
        await patrons.UpsertAsync("lib", Patron("p1", "Ada"));
        calls.Reset();

        using (ReadSnapshot.Begin())
        {
            var together = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => patrons.GetAsync("lib", "p1")));
            var later = await patrons.GetAsync("lib", "p1");

            Assert.All(together, p => Assert.Equal("Ada", p!.Name));
            Assert.Equal("Ada", later!.Name);
        }

        Assert.Equal(1, calls.Count);
    }

    [Fact]
    public async Task GetAsync_OutsideASnapshotOrAfterIt_ReadsStorageEachTime()
    {
        var (patrons, _, calls) = Stores();
        await patrons.UpsertAsync("lib", Patron("p1", "Ada"));
        using (ReadSnapshot.Begin())
        {
            _ = await patrons.GetAsync("lib", "p1");
        }

        calls.Reset();

        _ = await patrons.GetAsync("lib", "p1");
        _ = await patrons.GetAsync("lib", "p1");

        Assert.Equal(2, calls.Count);
    }

    [Fact]
    public async Task GetAsync_AfterAWriteInTheSnapshot_ReadsTheNewRecord()
    {
        var (patrons, loans, _) = Stores();
        await patrons.UpsertAsync("lib", Patron("p1", "Ada"));
        var loan = new Loan { LibraryId = "lib", LoanId = "l1", PatronId = "p1", Title = "Dune", DueAt = DateTimeOffset.UtcNow, IssuedAt = DateTimeOffset.UtcNow };

        using var snapshot = ReadSnapshot.Begin();
        Assert.Equal("Ada", (await patrons.GetAsync("lib", "p1"))!.Name);
        Assert.Null(await loans.GetAsync("lib", "l1"));
        await patrons.UpsertAsync("lib", Patron("p1", "Ada Lovelace"));
        Assert.True(await loans.TryInsertAsync(loan));

        Assert.Equal("Ada Lovelace", (await patrons.GetAsync("lib", "p1"))!.Name);
        Assert.Equal("Dune", (await loans.GetAsync("lib", "l1"))!.Title);
    }

    [Fact]
    public async Task Begin_InsideAnAwaitedMethod_EndsWithIt()
    {
        var (patrons, _, calls) = Stores();
        await patrons.UpsertAsync("lib", Patron("p1", "Ada"));

        // As an activity does: the snapshot lives in the awaited method and is not the caller's afterwards.
        await ReadTwiceInASnapshotAsync(patrons);
        calls.Reset();
        _ = await patrons.GetAsync("lib", "p1");
        _ = await patrons.GetAsync("lib", "p1");

        Assert.Equal(2, calls.Count);
    }

    private static async Task ReadTwiceInASnapshotAsync(PatronStore patrons)
    {
        using var snapshot = ReadSnapshot.Begin();
        _ = await patrons.GetAsync("lib", "p1");
        _ = await patrons.GetAsync("lib", "p1");
    }

    private static Patron Patron(string id, string name) =>
        new() { Id = id, Name = name, Contacts = [new Contact { Role = ContactRole.Patron, Name = name, Email = $"{id}@example.org" }] };

    private (PatronStore Patrons, LoanStore Loans, CountedTables Calls) Stores()
    {
        var counted = CountedTables.Create(emulators);
        return (new PatronStore(counted.Tables), new LoanStore(counted.Tables), counted);
    }
}
