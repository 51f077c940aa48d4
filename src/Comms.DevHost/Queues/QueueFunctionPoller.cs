using System.Reflection;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;

namespace Comms.DevHost.Queues;

/// <summary>
/// Runs the app's [QueueTrigger] functions the way the Functions host does: poll the queue, hand each
/// message to the function, delete it on success, leave it to reappear on failure, and move it to
/// "{queue}-poison" after five dequeues. A batch of messages runs concurrently (the host's default batch size is
/// 16), and a queue name written as a binding expression ("%Section:Key%") is read from configuration.
/// </summary>
public sealed class QueueFunctionPoller(IEnumerable<FunctionEntry> functions, IServiceProvider services, IConfiguration configuration, ILogger<QueueFunctionPoller> logger)
    : BackgroundService
{
    private const int MaxDequeueCount = 5;
    private static readonly TimeSpan DefaultIdleDelay = TimeSpan.FromSeconds(2);

    public static IEnumerable<FunctionEntry> Queues(IEnumerable<FunctionEntry> functions) =>
        functions.Where(f => f.TriggerParameter?.GetCustomAttribute<QueueTriggerAttribute>() is not null);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Queues(functions).Select(f => PollAsync(f, stoppingToken)));

    private async Task PollAsync(FunctionEntry function, CancellationToken stoppingToken)
    {
        var trigger = function.TriggerParameter!.GetCustomAttribute<QueueTriggerAttribute>()!;
        var connection = configuration[trigger.Connection ?? "AzureWebJobsStorage"];
        if (string.IsNullOrWhiteSpace(connection))
        {
            connection = configuration["Comms:Storage:ConnectionString"];
        }

        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        var name = QueueName(trigger.QueueName);
        var queue = new QueueClient(connection, name, options);
        var poison = new QueueClient(connection, name + "-poison", options);
        try
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                QueueMessage[] messages = await queue.ReceiveMessagesAsync(16, TimeSpan.FromMinutes(1), stoppingToken);
                await Task.WhenAll(messages.Select(message => HandleAsync(function, queue, poison, message, stoppingToken)));

                if (messages.Length == 0)
                {
                    // How long an empty queue waits before the next look (DevHost:Queues:IdleDelay; tests shorten it).
                    await Task.Delay(configuration.GetValue("DevHost:Queues:IdleDelay", DefaultIdleDelay), stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>"%Comms:Outbox:QueueName%" → that setting's value, as the Functions host resolves binding expressions.</summary>
    private string QueueName(string declared) =>
        declared.Length > 2 && declared[0] == '%' && declared[^1] == '%'
            ? configuration[declared[1..^1]] is { Length: > 0 } value ? value : throw new InvalidOperationException($"The queue name setting {declared[1..^1]} is not set.")
            : declared;

    private async Task HandleAsync(FunctionEntry function, QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = services.CreateAsyncScope();
            var target = function.Method.IsStatic ? null : ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, function.Class);
            var arguments = function.Method.GetParameters().Select(p => Bind(p, function, message, scope.ServiceProvider, stoppingToken)).ToArray();
            await Durable.FunctionTasks.ResultOf(function.Method.Invoke(target, arguments));
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Queue function {Function} failed (dequeue {Count})", function.Name, message.DequeueCount);
            if (message.DequeueCount >= MaxDequeueCount)
            {
                await poison.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
                await poison.SendMessageAsync(message.Body, cancellationToken: stoppingToken);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
            }
        }
    }

    private static object? Bind(ParameterInfo parameter, FunctionEntry function, QueueMessage message, IServiceProvider services, CancellationToken stoppingToken)
    {
        if (parameter == function.TriggerParameter)
        {
            return parameter.ParameterType == typeof(string) ? message.Body.ToString()
                : parameter.ParameterType == typeof(BinaryData) ? message.Body
                : parameter.ParameterType == typeof(QueueMessage) ? message
                : throw new InvalidOperationException($"The dev host cannot bind a queue message to {parameter.ParameterType}.");
        }

        return parameter.ParameterType == typeof(CancellationToken) ? stoppingToken
            : services.GetService(parameter.ParameterType) ?? (parameter.HasDefaultValue ? parameter.DefaultValue : null);
    }
}
