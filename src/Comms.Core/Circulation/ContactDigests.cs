using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Comms.Common;
using Comms.Contacts;
using Comms.Libraries;
using Comms.Notices;
using Comms.Scenarios;
using Comms.Storage;
using Comms.Templates;

namespace Comms.Circulation;

/// <summary>
/// One email per shared contact (parent, teacher, head of school) and ladder step, listing every patron it is a
/// contact for. Like <see cref="LoanDigests"/>, without a collection window: each loan registers under each of
/// its patron's shared contacts when its step is planned; when the step fires, the first patron email to reach
/// a contact claims that contact's digest, builds it from the registrations (checking each patron's current
/// contacts, the library's rules and each loan's state) and sends it. A patron whose loans the claim does not
/// list (a contact or loan added after the claim) sends those to the contact in an email of its own.
/// See docs/circulation.md, "Contacts of many patrons".
/// </summary>
public sealed class ContactDigests(CommsTables tables, LoanStore loans, PatronStore patrons, WeeklySummaries weeklySummaries, TimeProvider clock)
{
    private const string TableName = "ContactDigests";
    private const string ClaimRow = "~claim";

    /// <summary>Claim data is split into rows of at most this many characters (a table string property holds 32K).</summary>
    private const int ClaimChunk = 30_000;

    /// <summary>A claim still being built after this long was left by a crashed worker: another patron's step takes it over.</summary>
    private static readonly TimeSpan TakeOverAfter = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The patron's contacts that hear about this step through their own digest: active, with a usable address,
    /// in a role the library sends the step to, and (teachers) from the library's class-list level.
    /// </summary>
    public static IReadOnlyList<SharedContact> SharedContacts(Library library, ScenarioKey key, Patron patron)
    {
        if (!TemplateKey.HasShapes(key.Scenario))
        {
            return [];
        }

        var settings = library.SettingsFor(key.Scenario);
        var shared = new List<SharedContact>();
        foreach (var contact in patron.Contacts)
        {
            if (!contact.Active || !settings.Roles.Contains(contact.Role) || ContactShapes.Of(contact.Role) is not { } shape
                || !EmailAddress.TryNormalize(contact.Email, out var address))
            {
                continue;
            }

            // A head of school who gets a weekly summary hears about the step there (WeeklySummaries).
            if (shape == ContactShape.Summary && settings.ContactDigests.SummaryWeekly)
            {
                continue;
            }

            if (shape == ContactShape.Class && settings.ContactDigests.ClassListFromLevel > 0
                && !(key.Scenario == Scenario.Escalation && key.Level >= settings.ContactDigests.ClassListFromLevel))
            {
                continue;
            }

            var addressKey = EmailAddress.Key(address);
            if (!shared.Any(s => s.Shape == shape && s.AddressKey == addressKey))
            {
                shared.Add(new SharedContact(shape, addressKey, address, contact.Name, contact.Role));
            }
        }

        return shared;
    }

    /// <summary>The patron's heads of school who get this step in a weekly summary instead of one email per step.</summary>
    public static IReadOnlyList<SharedContact> WeeklyHeads(Library library, ScenarioKey key, Patron patron)
    {
        var settings = library.SettingsFor(key.Scenario);
        if (!TemplateKey.HasShapes(key.Scenario) || !settings.ContactDigests.SummaryWeekly || !settings.Roles.Contains(ContactRole.HeadOfSchool))
        {
            return [];
        }

        var heads = new List<SharedContact>();
        foreach (var contact in patron.Contacts.Where(c => c.Active && c.Role == ContactRole.HeadOfSchool))
        {
            if (EmailAddress.TryNormalize(contact.Email, out var address) && !heads.Any(h => h.AddressKey == EmailAddress.Key(address)))
            {
                heads.Add(new SharedContact(ContactShape.Summary, EmailAddress.Key(address), address, contact.Name, contact.Role));
            }
        }

        return heads;
    }

    /// <summary>Registers the loan under each of its patron's shared contacts for the planned step.</summary>
    public async Task RegisterAsync(Library library, LoanTrack track, PlannedStep step, CancellationToken cancellationToken = default)
    {
        if (!ScenarioKey.TryParse(step.Step, out var key) || !TemplateKey.HasShapes(key.Scenario)
            || !library.SettingsFor(key.Scenario).Roles.Any(r => ContactShapes.Of(r) is not null))
        {
            return;
        }

        if (await patrons.GetAsync(track.LibraryId, track.PatronId, cancellationToken) is not { } patron)
        {
            return;
        }

        var table = await tables.GetAsync(TableName);
        var registration = JsonSerializer.Serialize(new Registration(track.PatronId, track.LoanId, track.DueAt), CommsJson.Options);
        await Task.WhenAll(SharedContacts(library, key, patron).Select(contact => table.UpsertEntityAsync(
            new JsonRow { PartitionKey = Partition(track.LibraryId, contact, step), RowKey = RowKey(track.PatronId, track.LoanId), Data = registration },
            TableUpdateMode.Replace,
            cancellationToken)));
    }

    /// <summary>Takes the loan out of its shared contacts' digests for a step it no longer reaches then (re-planned).</summary>
    public async Task UnregisterAsync(Library library, LoanTrack track, PlannedStep step, CancellationToken cancellationToken = default)
    {
        if (!ScenarioKey.TryParse(step.Step, out var key) || !TemplateKey.HasShapes(key.Scenario)
            || await patrons.GetAsync(track.LibraryId, track.PatronId, cancellationToken) is not { } patron)
        {
            return;
        }

        var table = await tables.GetAsync(TableName);
        await Task.WhenAll(SharedContacts(library, key, patron).Select(async contact =>
        {
            using var response = await table.DeleteEntityAsync(Partition(track.LibraryId, contact, step), RowKey(track.PatronId, track.LoanId), ETag.All, cancellationToken);
        }));
    }

    /// <summary>
    /// Sends what the patron's shared contacts hear about this step: the contact's digest when this patron's step
    /// claims it, and an email of its own for any of <paramref name="patronRequest"/>'s loans a claim does not list.
    /// </summary>
    public async Task<NoticeDispatchResult> SendAsync(
        Library library, LoanTrack track, PlannedStep step, NoticeRequest patronRequest, INoticeDispatcher dispatcher, CancellationToken cancellationToken = default)
    {
        if (!ScenarioKey.TryParse(step.Step, out var key) || await patrons.GetAsync(track.LibraryId, track.PatronId, cancellationToken) is not { } patron
            || NoticeAudienceResolver.SkipReasonFor(library.SettingsFor(key.Scenario), patron) is not null)
        {
            return NoticeDispatchResult.None; // The patron's own email logs why nothing goes.
        }

        foreach (var head in WeeklyHeads(library, key, patron).Where(h => !NoticeAudienceResolver.ContactOptedOut(library, key.Scenario, patron, h.Role, h.Address)))
        {
            await weeklySummaries.RecordAsync(library, key, head, patron, step, patronRequest.Loans, cancellationToken);
        }

        var total = NoticeDispatchResult.None;
        foreach (var contact in SharedContacts(library, key, patron))
        {
            if (NoticeAudienceResolver.ContactOptedOut(library, key.Scenario, patron, contact.Role, contact.Address))
            {
                // The contact turned this step off for this patron: no claim (the builder leaves the patron out of
                // the contact's list too), one Skipped row saying why.
                total = total.Add(await dispatcher.DispatchAsync(patronRequest with
                {
                    SubjectRecordId = $"{patronRequest.SubjectRecordId}:{ContactShapes.Name(contact.Shape)}",
                    ContactDigest = new ContactDigestFact(contact.Shape, contact.Name, contact.Address, contact.Role, patron.Preferences.LanguageFor(contact.Address, patron.PreferredLanguage),
                        [new PatronLoansFact(patron.Id, patron.Name, patron.Group, patronRequest.Loans)])
                    {
                        OptedOut = NoticeAudienceResolver.OptedOutReason(library, key.Scenario),
                    },
                }, cancellationToken));
                continue;
            }

            var claim = await ClaimAsync(library, key, contact, track, step, cancellationToken);
            if (claim.Owner == track.LoanId)
            {
                // Also the path of a retried activity: the same claim gives the same notice ids, each sent once.
                foreach (var digest in await DigestRequestsAsync(library, key, contact, step, claim, cancellationToken))
                {
                    total = total.Add(await dispatcher.DispatchAsync(digest, cancellationToken));
                }
            }

            var unlisted = patronRequest.Loans.Where(l => !claim.Lists(patron.Id, l.LoanId)).ToList();
            if (unlisted.Count > 0)
            {
                total = total.Add(await dispatcher.DispatchAsync(patronRequest with
                {
                    SubjectRecordId = $"{patronRequest.SubjectRecordId}:{ContactShapes.Name(contact.Shape)}",
                    Loans = unlisted,
                    ContactDigest = new ContactDigestFact(contact.Shape, contact.Name, contact.Address, contact.Role, patron.Preferences.LanguageFor(contact.Address, patron.PreferredLanguage),
                        [new PatronLoansFact(patron.Id, patron.Name, patron.Group, unlisted)]),
                }, cancellationToken));
            }
        }

        return total;
    }

    /// <summary>Deletes one library's contact digests whose send time is before <paramref name="cutoff"/>.</summary>
    public async Task<int> DeleteFiredBeforeAsync(string libraryId, DateTimeOffset cutoff, CancellationToken cancellationToken = default) =>
        await DigestPartitions.DeleteAsync(await tables.GetAsync(TableName), libraryId, p => DigestPartitions.FireTimeOf(p) is { } fireAt && fireAt < cutoff, cancellationToken);

    /// <summary>
    /// The contact's claim for the step. The first to insert the claim row owns it and builds the list. While
    /// another worker is still building it, the claim is answered from this patron's own registrations (which the
    /// builder includes, checked against the same rules at the same moment) instead of waiting: a whole school's
    /// steps fire together, and all of them waiting on the head of school's summary would stall the morning. A claim
    /// left half-built for longer than <see cref="TakeOverAfter"/> (a crashed worker) is taken over.
    /// </summary>
    private async Task<Claim> ClaimAsync(Library library, ScenarioKey key, SharedContact contact, LoanTrack track, PlannedStep step, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName);
        var partition = Partition(track.LibraryId, contact, step);
        while (true)
        {
            var head = await table.GetEntityIfExistsAsync<JsonRow>(partition, ClaimRow, cancellationToken: cancellationToken);
            ClaimHead? current = head.HasValue && head.Value is not null ? JsonSerializer.Deserialize<ClaimHead>(head.Value.Data, CommsJson.Options) : null;
            if (current is { Chunks: > 0 })
            {
                return await ReadClaimAsync(table, partition, current, cancellationToken);
            }

            var takeOver = current is not null && (current.Owner == track.LoanId || clock.GetUtcNow() - current.StartedAt > TakeOverAfter);
            if (current is not null && !takeOver)
            {
                return await BeingBuiltAsync(table, partition, current.Owner, track.PatronId, cancellationToken);
            }

            var mine = new ClaimHead(track.LoanId, 0, clock.GetUtcNow());
            var row = new JsonRow { PartitionKey = partition, RowKey = ClaimRow, Data = JsonSerializer.Serialize(mine, CommsJson.Options) };
            try
            {
                if (current is null)
                {
                    await table.AddEntityAsync(row, cancellationToken);
                }
                else
                {
                    await table.UpdateEntityAsync(row, head.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                }

                return await BuildAsync(table, library, key, contact, partition, mine, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                continue; // Someone else claimed or took over first: read what they wrote.
            }
        }
    }

    /// <summary>What the claim being built elsewhere will list of this patron: its loans registered in the partition.</summary>
    private static async Task<Claim> BeingBuiltAsync(TableClient table, string partition, string owner, string patronId, CancellationToken cancellationToken)
    {
        var from = patronId + "~";
        var rows = table.QueryAsync<JsonRow>(
            TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {from} and RowKey lt {patronId + "\u007f"}"), cancellationToken: cancellationToken);
        var loanIds = new List<string>();
        await foreach (var row in rows)
        {
            loanIds.Add(row.RowKey[from.Length..]);
        }

        return new Claim(owner, [new ListedPatron(patronId, loanIds)]);
    }

    /// <summary>
    /// Lists every registered patron that is still a contact's patron in a role that receives the step, passes the
    /// library's rules, and has loans still out with the due date they registered with; then writes the list.
    /// </summary>
    private async Task<Claim> BuildAsync(TableClient table, Library library, ScenarioKey key, SharedContact contact, string partition, ClaimHead head, CancellationToken cancellationToken)
    {
        var registered = new List<Registration>();
        await foreach (var row in table.QueryAsync<JsonRow>(r => r.PartitionKey == partition, cancellationToken: cancellationToken))
        {
            if (!row.RowKey.StartsWith(ClaimRow, StringComparison.Ordinal))
            {
                registered.Add(JsonSerializer.Deserialize<Registration>(row.Data, CommsJson.Options)!);
            }
        }

        var settings = library.SettingsFor(key.Scenario);
        var byPatron = registered.GroupBy(r => r.PatronId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var checkedPatrons = await ForEachAsync(byPatron, async group =>
        {
            var patron = await patrons.GetAsync(library.Id, group.Key, cancellationToken);
            if (patron is null || NoticeAudienceResolver.SkipReasonFor(settings, patron) is not null
                || NoticeAudienceResolver.ContactOptedOut(library, key.Scenario, patron, contact.Role, contact.Address)
                || !SharedContacts(library, key, patron).Any(c => c.Shape == contact.Shape && c.AddressKey == contact.AddressKey))
            {
                return (group.Key, Fact: (PatronLoansFact?)null);
            }

            var active = new List<LoanFact>();
            foreach (var registration in group.OrderBy(r => r.LoanId, StringComparer.Ordinal))
            {
                if (await loans.GetAsync(library.Id, registration.LoanId, cancellationToken) is { Status: LoanStatus.Active } loan && loan.DueAt == registration.DueAt)
                {
                    active.Add(loan.ToFact());
                }
            }

            return (group.Key, Fact: active.Count == 0 ? null : new PatronLoansFact(patron.Id, patron.Name, patron.Group, active));
        });

        // Every patron that passes goes in (the other patrons' steps count on it); DigestRequestsAsync splits a
        // list longer than one email may carry into parts.
        var facts = checkedPatrons.Select(p => p.Fact).OfType<PatronLoansFact>().ToList();
        var listed = facts.Select(f => new ListedPatron(f.PatronId, [.. f.Loans.Select(l => l.LoanId)])).ToList();

        var json = JsonSerializer.Serialize(listed, CommsJson.Options);
        var chunks = Enumerable.Range(0, (json.Length + ClaimChunk - 1) / ClaimChunk).Select(i => json.Substring(i * ClaimChunk, Math.Min(ClaimChunk, json.Length - (i * ClaimChunk)))).ToList();
        if (chunks.Count == 0)
        {
            chunks.Add("[]");
        }

        // The chunks first, then the head that says how many there are: a reader never sees a head without its chunks.
        var actions = chunks.Select((data, i) => new TableTransactionAction(
            TableTransactionActionType.UpsertReplace, new JsonRow { PartitionKey = partition, RowKey = ChunkRow(i), Data = data })).ToList();
        foreach (var batch in actions.Chunk(100))
        {
            await table.SubmitTransactionAsync(batch, cancellationToken);
        }

        var done = head with { Chunks = chunks.Count };
        await table.UpsertEntityAsync(new JsonRow { PartitionKey = partition, RowKey = ClaimRow, Data = JsonSerializer.Serialize(done, CommsJson.Options) }, TableUpdateMode.Replace, cancellationToken);
        // The owner sends from what it just read; a retry reads the listed patrons and loans again.
        return new Claim(head.Owner, listed) { Facts = facts };
    }

    private static async Task<Claim> ReadClaimAsync(TableClient table, string partition, ClaimHead head, CancellationToken cancellationToken)
    {
        var json = new StringBuilder();
        for (var i = 0; i < head.Chunks; i++)
        {
            var chunk = await table.GetEntityAsync<JsonRow>(partition, ChunkRow(i), cancellationToken: cancellationToken);
            json.Append(chunk.Value.Data);
        }

        return new Claim(head.Owner, JsonSerializer.Deserialize<List<ListedPatron>>(json.ToString(), CommsJson.Options)!);
    }

    /// <summary>
    /// The digest's requests, rebuilt from the claim (a retry rebuilds the same notice ids; a loan returned since
    /// drops out): one, or one per part when the list is longer than one email may carry (a class list of more than
    /// 500 loans, a summary of more than 20,000); none when nothing in it is still out.
    /// </summary>
    private async Task<IReadOnlyList<NoticeRequest>> DigestRequestsAsync(Library library, ScenarioKey key, SharedContact contact, PlannedStep step, Claim claim, CancellationToken cancellationToken)
    {
        IReadOnlyList<PatronLoansFact?> listed = claim.Facts is { } read ? [.. read] : await ForEachAsync(claim.Patrons, async listedPatron =>
        {
            var patron = await patrons.GetAsync(library.Id, listedPatron.PatronId, cancellationToken);
            var facts = new List<LoanFact>();
            foreach (var loanId in listedPatron.LoanIds)
            {
                if (await loans.GetAsync(library.Id, loanId, cancellationToken) is { Status: LoanStatus.Active } loan)
                {
                    facts.Add(loan.ToFact());
                }
            }

            return patron is null || facts.Count == 0
                ? null
                : new PatronLoansFact(patron.Id, patron.Name, patron.Group, facts);
        });

        // Parts follow the claim's order (patron ids), so a retry cuts the same parts.
        var room = contact.Shape == ContactShape.Summary ? NoticeLimits.MaxSummaryItems : NoticeLimits.MaxItems;
        var parts = new List<List<PatronLoansFact>>();
        foreach (var patron in listed.OfType<PatronLoansFact>())
        {
            // A patron with more loans than one email holds spans parts, as the patron's own digest does.
            foreach (var chunk in patron.Loans.Chunk(room))
            {
                if (parts.Count == 0 || parts[^1].Sum(p => p.Loans.Count) + chunk.Length > room)
                {
                    parts.Add([]);
                }

                parts[^1].Add(patron with { Loans = [.. chunk.OrderBy(f => f.DueAt).ThenBy(f => f.Title, StringComparer.CurrentCulture)] });
            }
        }

        var subject = $"{ContactShapes.Name(contact.Shape)}.{step.Step}.{DigestPartitions.FireTime(step.FireAt)}";
        return [.. parts.Select((part, i) =>
        {
            var ordered = part
                .OrderBy(p => p.Group ?? string.Empty, StringComparer.CurrentCultureIgnoreCase)
                .ThenBy(p => p.Name, StringComparer.CurrentCultureIgnoreCase)
                .ToList();
            return new NoticeRequest
            {
                LibraryId = library.Id,
                Scenario = key,
                SubjectRecordId = i == 0 ? subject : $"{subject}.p{(i + 1).ToString(CultureInfo.InvariantCulture)}",
                ScheduledFor = step.ScheduledFor,
                Loans = [.. ordered.SelectMany(p => p.Loans)],
                // In the library's language: the patrons listed may each prefer another.
                ContactDigest = new ContactDigestFact(contact.Shape, contact.Name, contact.Address, contact.Role, Language: null, ordered),
            };
        })];
    }

    /// <summary>Table reads for many patrons, a few at a time: a head of school's summary reads a whole school.</summary>
    private static async Task<List<TResult>> ForEachAsync<T, TResult>(IReadOnlyList<T> items, Func<T, Task<TResult>> read)
    {
        var results = new TResult[items.Count];
        using var gate = new SemaphoreSlim(16);
        await Task.WhenAll(items.Select(async (item, i) =>
        {
            await gate.WaitAsync();
            try
            {
                results[i] = await read(item);
            }
            finally
            {
                gate.Release();
            }
        }));
        return [.. results];
    }

    /// <summary>"{library}|{shape}.{address hash}.{step}.{send time}": an address may hold characters a key may not.</summary>
    private static string Partition(string libraryId, SharedContact contact, PlannedStep step) =>
        $"{libraryId}|{ContactShapes.Name(contact.Shape)}.{AddressHash(contact.AddressKey)}.{step.Step}.{DigestPartitions.FireTime(step.FireAt)}";

    internal static string AddressHash(string addressKey) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("contact-v1\n" + addressKey)))[..32];

    private static string RowKey(string patronId, string loanId) => $"{patronId}~{loanId}";

    private static string ChunkRow(int index) => $"{ClaimRow}.{index.ToString("D3", CultureInfo.InvariantCulture)}";

    private sealed record Registration(string PatronId, string LoanId, DateTimeOffset DueAt);

    private sealed record ClaimHead(string Owner, int Chunks, DateTimeOffset StartedAt);

    private sealed record ListedPatron(string PatronId, IReadOnlyList<string> LoanIds);

    private sealed record Claim(string Owner, IReadOnlyList<ListedPatron> Patrons)
    {
        /// <summary>What the builder read to write the claim; null when the claim was read back from the table.</summary>
        public IReadOnlyList<PatronLoansFact>? Facts { get; init; }

        public bool Lists(string patronId, string loanId) => Patrons.Any(p => p.PatronId == patronId && p.LoanIds.Contains(loanId, StringComparer.Ordinal));
    }
}

/// <summary>A contact of a patron that hears about a ladder step through its own digest.</summary>
public sealed record SharedContact(ContactShape Shape, string AddressKey, string Address, string Name, ContactRole Role);
