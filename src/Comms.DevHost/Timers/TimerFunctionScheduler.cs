using System.Globalization;
using System.Reflection;
using Cronos;
using Microsoft.Azure.Functions.Worker;

namespace Comms.DevHost.Timers;

/// <summary>
/// Runs the app's [TimerTrigger] functions on their own schedules: six-field NCRONTAB ("0 0 2 * * *") or a
/// TimeSpan ("00:05:00"), with "%Setting%" resolved from configuration as the Functions host does.
/// </summary>
public sealed class TimerFunctionScheduler(IEnumerable<FunctionEntry> functions, IServiceProvider services, IConfiguration configuration, TimeProvider time, ILogger<TimerFunctionScheduler> logger)
    : BackgroundService
{
    public static IEnumerable<FunctionEntry> Timers(IEnumerable<FunctionEntry> functions) => functions.Where(f => f.Timer is not null);

    /// <summary>The schedule with any %Setting% replaced; the Functions host reads app settings with "__" as ":".</summary>
    public static string ResolveSchedule(string schedule, IConfiguration configuration)
    {
        if (schedule.Length > 2 && schedule[0] == '%' && schedule[^1] == '%')
        {
            var name = schedule[1..^1];
            return configuration[name] ?? configuration[name.Replace("__", ":", StringComparison.Ordinal)]
                ?? throw new InvalidOperationException($"Timer schedule setting '{name}' is not set.");
        }

        return schedule;
    }

    /// <summary>The next occurrence strictly after <paramref name="after"/>.</summary>
    public static DateTimeOffset? Next(string schedule, DateTimeOffset after)
    {
        if (TimeSpan.TryParse(schedule, CultureInfo.InvariantCulture, out var interval) && interval > TimeSpan.Zero)
        {
            return after + interval;
        }

        var fields = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        var expression = CronExpression.Parse(schedule, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        return expression.GetNextOccurrence(after, TimeZoneInfo.Utc);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Timers(functions).Select(f => RunAsync(f, stoppingToken)));

    private async Task RunAsync(FunctionEntry function, CancellationToken stoppingToken)
    {
        var schedule = ResolveSchedule(function.Timer!.Schedule, configuration);
        if (function.Timer.RunOnStartup)
        {
            await InvokeAsync(function, stoppingToken);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = Next(schedule, now);
            if (next is null)
            {
                return;
            }

            try
            {
                await Task.Delay(next.Value - now, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await InvokeAsync(function, stoppingToken);
        }
    }

    private async Task InvokeAsync(FunctionEntry function, CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = services.CreateAsyncScope();
            var target = function.Method.IsStatic ? null : ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, function.Class);
            var arguments = function.Method.GetParameters().Select(p => Bind(p, function, scope.ServiceProvider, stoppingToken)).ToArray();
            await Durable.FunctionTasks.ResultOf(function.Method.Invoke(target, arguments));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Like the Functions host: a failed run is logged and the next occurrence still runs.
            logger.LogError(e, "Timer function {Function} failed", function.Name);
        }
    }

    private static object? Bind(ParameterInfo parameter, FunctionEntry function, IServiceProvider services, CancellationToken stoppingToken) =>
        parameter == function.TriggerParameter ? new TimerInfo()
        : parameter.ParameterType == typeof(CancellationToken) ? stoppingToken
        : parameter.ParameterType == typeof(FunctionContext) ? null
        : services.GetService(parameter.ParameterType) ?? (parameter.HasDefaultValue ? parameter.DefaultValue : null);
}
