using Comms.Contacts;
using Comms.Libraries;
using Comms.Notices;
using Comms.Scenarios;
using Comms.Templates;

namespace Comms.Circulation;

/// <summary>
/// Sends each head of school's weekly summary once its day's send time has passed in the library's zone: the loans
/// that reached a ladder step in the week and are still out, counted per class and per step, the students named
/// from the library's listing level. Run by a timer; the ledger makes a repeated run (or a crash before the week
/// is marked sent) send nothing twice.
/// </summary>
public sealed class WeeklySummarySender(LibraryStore libraries, WeeklySummaries weeks, LoanStore loans, PatronStore patrons, INoticeDispatcher dispatcher, TimeProvider clock)
{
    public async Task<int> SendDueAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var sent = 0;
        await foreach (var libraryId in libraries.ListIdsAsync(cancellationToken))
        {
            if (await libraries.GetAsync(libraryId, cancellationToken) is not { } library)
            {
                continue;
            }

            var zone = LibraryTime.Zone(library.TimeZone);
            foreach (var week in await weeks.DueAsync(libraryId, LibraryTime.LocalDate(now, zone), cancellationToken))
            {
                if (LibraryTime.ToUtc(week.SummaryDate, library.SendTime, zone) > now)
                {
                    continue;
                }

                if (await RequestAsync(library, week, cancellationToken) is { } request)
                {
                    await dispatcher.DispatchAsync(request, cancellationToken);
                    sent++;
                }

                await weeks.MarkSentAsync(week, cancellationToken);
            }
        }

        return sent;
    }

    /// <summary>The summary's request; null when nothing in the week is still out or still the head's.</summary>
    private async Task<NoticeRequest?> RequestAsync(Library library, PendingWeek week, CancellationToken cancellationToken)
    {
        var entries = week.Entries.Where(e => ScenarioKey.TryParse(e.Step, out _)).ToList();
        if (entries.Count == 0)
        {
            return null;
        }

        // The notice is named after the week's highest step among everything recorded (not only what is still out),
        // so a rerun after a return computes the same notice id.
        var top = entries.Select(e => Key(e.Step)).MaxBy(Rank);
        var listed = new List<(PatronLoansFact Patron, IReadOnlyList<string> Steps)>();
        foreach (var group in entries.GroupBy(e => e.PatronId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var patron = await patrons.GetAsync(library.Id, group.Key, cancellationToken);
            if (patron is null || !patron.Contacts.Any(c => c.Active && c.Role == ContactRole.HeadOfSchool
                && Common.EmailAddress.TryNormalize(c.Email, out var address) && Common.EmailAddress.Key(address) == week.Head.AddressKey))
            {
                continue; // No longer this head's student: nothing about them goes to this address.
            }

            var facts = new List<(LoanFact Loan, string Step)>();
            foreach (var entry in group)
            {
                var key = Key(entry.Step);
                if (NoticeAudienceResolver.SkipReasonFor(library.SettingsFor(key.Scenario), patron) is null
                    && !NoticeAudienceResolver.ContactOptedOut(library, key.Scenario, patron, ContactRole.HeadOfSchool, week.Head.Address)
                    && await loans.GetAsync(library.Id, entry.LoanId, cancellationToken) is { Status: LoanStatus.Active } loan)
                {
                    facts.Add((loan.ToFact(), entry.Step));
                }
            }

            if (facts.Count > 0)
            {
                var named = facts.Any(f => RecipientCentred.SummaryLists(Key(f.Step), library));
                listed.Add((new PatronLoansFact(patron.Id, patron.Name, patron.Group, [.. facts.Select(f => f.Loan).OrderBy(l => l.DueAt)], named), [.. facts.Select(f => f.Step)]));
            }
        }

        if (listed.Count == 0)
        {
            return null;
        }

        var levels = listed
            .SelectMany(p => p.Steps.Select(step => (p.Patron.PatronId, Step: step)))
            .GroupBy(x => x.Step, StringComparer.Ordinal)
            .OrderBy(g => Rank(Key(g.Key)))
            .Select(g => new LevelFacts(g.Key, g.Select(x => x.PatronId).Distinct(StringComparer.Ordinal).Count(), g.Count()))
            .ToList();
        var summaryPatrons = listed.Select(p => p.Patron)
            .OrderBy(p => p.Group ?? string.Empty, StringComparer.CurrentCultureIgnoreCase)
            .ThenBy(p => p.Name, StringComparer.CurrentCultureIgnoreCase)
            .ToList();
        return new NoticeRequest
        {
            LibraryId = library.Id,
            Scenario = top,
            SubjectRecordId = $"summary.week.{week.SummaryDate:yyyyMMdd}",
            ScheduledFor = week.SummaryDate,
            Loans = [.. summaryPatrons.SelectMany(p => p.Loans)],
            ContactDigest = new ContactDigestFact(ContactShape.Summary, week.Head.Name, week.Head.Address, week.Head.Role, Language: null, summaryPatrons)
            {
                WeeklyLevels = levels,
            },
        };
    }

    private static ScenarioKey Key(string step) => ScenarioKey.TryParse(step, out var key) ? key : default;

    /// <summary>Ladder order: pre-overdue, overdue, escalation 1, 2, …</summary>
    private static int Rank(ScenarioKey key) => key.Scenario switch
    {
        Scenario.PreOverdue => 0,
        Scenario.Overdue => 1,
        _ => 1 + key.Level,
    };
}
