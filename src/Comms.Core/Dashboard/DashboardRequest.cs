using System.Globalization;
using Comms.Common;
using Comms.Scenarios;

namespace Comms.Dashboard;

/// <summary>What a dashboard covers: the last <see cref="Days"/> UTC days up to now, optionally one scenario.</summary>
public sealed record DashboardRequest(int Days, ScenarioKey? Scenario)
{
    public const int DefaultDays = 30;

    /// <summary>
    /// The longest range asked for. The dashboard scans the log (see <see cref="DashboardService"/>), so the range is
    /// what bounds the work; a longer look back is the email log's job.
    /// </summary>
    public const int MaxDays = 90;

    /// <summary>Reads the raw query-string values; every bad one is a field error (400 problem+json).</summary>
    public static DashboardRequest Parse(string? days, string? scenario)
    {
        var errors = new ValidationErrors();
        var parsedDays = DefaultDays;
        if (!string.IsNullOrEmpty(days)
            && (!int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out parsedDays) || parsedDays is < 1 or > MaxDays))
        {
            errors.Add("days", $"Use a whole number of days from 1 to {MaxDays}.");
        }

        ScenarioKey? key = null;
        if (!string.IsNullOrEmpty(scenario))
        {
            if (ScenarioKey.TryParse(scenario, out var parsed))
            {
                key = parsed;
            }
            else
            {
                errors.Add("scenario", "Use a scenario key such as 'overdue' or 'escalation-2'.");
            }
        }

        errors.ThrowIfAny();
        return new DashboardRequest(parsedDays, key);
    }
}
