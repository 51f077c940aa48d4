using System.Globalization;
using Comms.Tests.Infrastructure;

namespace Comms.Benchmarks.Suite;

/// <summary>
/// P5, a school's morning on the dev host with private emulators: one email per student, parent, teacher and
/// head of school for the overdue step, SES capped at 50/s. Writes bench/results/school.md.
/// </summary>
public static class SchoolFigure
{
    private const int Cap = 50;

    public static async Task RunAsync(string[] args)
    {
        int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
        var (students, classes, perStudent) = (Arg(0, 1000), Arg(1, 40), Arg(2, 3));
        await using var emulators = await Emulators.StartAsync();
        var durable = await DurableFigures.StartAsync(emulators, Cap);
        SchoolResult r;
        try
        {
            r = await durable.SchoolMorningAsync(students, classes, perStudent, Cap);
        }
        finally
        {
            try
            {
                await durable.DisposeAsync();
            }
            catch (TimeoutException)
            {
                // A slow engine shutdown after the burst must not lose the figure.
            }
        }

        var line = string.Create(CultureInfo.InvariantCulture,
            $"| P5 school morning: {r.Students} students in {r.Classes} classes, {r.Loans} loans due at once, overdue to student, parent, teacher and head, SES capped at {Cap}/s "
            + $"| {r.Sent} emails (expected {r.Expected}): {r.ToStudents} to students, {r.ToParents} to {r.Families} parents, {r.ToTeachers} to {r.Classes} teachers, {r.ToHead} to the head; "
            + $"{r.Duplicates} duplicates; drained in {r.DrainSeconds:F0} s from the step's instant (**{r.Rate:F1}/s = {r.Rate / Cap:F2} of cap**); posting took {r.IssueSeconds:F0} s; peak memory {r.PeakMemoryMb:F0} MB "
            + $"| one email per contact, 0 duplicates | {BenchSuite.Load()} |");
        var dir = RepoPaths.File("bench", "results");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "school.md"),
            $"# School morning (P5)\n\n{DateTimeOffset.UtcNow:u} · `dotnet run -c Release --project bench/Comms.Benchmarks -- school {students} {classes} {perStudent}`\n\n"
            + "| Figure | Result | Goal | Load average (1/5/15 min) |\n|---|---|---|---|\n" + line + "\n");
        Console.WriteLine(line);
    }
}
