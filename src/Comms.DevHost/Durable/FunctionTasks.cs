using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Comms.DevHost.Durable;

/// <summary>
/// Registers the app's [OrchestrationTrigger] and [ActivityTrigger] functions with the portable Durable Task
/// worker under their function names, calling the very same methods the Functions host calls.
/// </summary>
public static class FunctionTasks
{
    public const string OrchestrationTrigger = "orchestrationTrigger";
    public const string ActivityTrigger = "activityTrigger";

    public static IEnumerable<FunctionEntry> Durable(IEnumerable<FunctionEntry> functions) =>
        functions.Where(f => f.Trigger is OrchestrationTrigger or ActivityTrigger);

    public static void Register(DurableTaskRegistry registry, IEnumerable<FunctionEntry> functions)
    {
        foreach (var function in Durable(functions))
        {
            if (function.Trigger == OrchestrationTrigger)
            {
                registry.AddOrchestrator(function.Name, () => new FunctionOrchestrator(function));
            }
            else
            {
                registry.AddActivity(function.Name, services => new FunctionActivity(function, services));
            }
        }
    }

    internal static async Task<object?> ResultOf(object? returned)
    {
        if (returned is not Task task)
        {
            return returned;
        }

        await task;
        var type = task.GetType();
        return type.IsGenericType && type.GetGenericArguments()[0].Name != "VoidTaskResult" ? type.GetProperty("Result")!.GetValue(task) : null;
    }

    internal static Type OutputTypeOf(MethodInfo method) =>
        method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(Task<>)
            ? method.ReturnType.GetGenericArguments()[0]
            : method.ReturnType == typeof(Task) || method.ReturnType == typeof(void) ? typeof(object) : method.ReturnType;

    /// <summary>
    /// A function-based orchestrator: the context, and optionally its input as a second parameter (the Functions
    /// worker binds that parameter from the orchestration input, and so does this adapter).
    /// </summary>
    private sealed class FunctionOrchestrator(FunctionEntry function) : ITaskOrchestrator
    {
        private readonly ParameterInfo? _input = function.Method.GetParameters().FirstOrDefault(p => p.ParameterType != typeof(TaskOrchestrationContext));

        // The worker deserializes the input to this type, which is also what GetInput<T> hands back.
        public Type InputType => _input?.ParameterType ?? typeof(object);

        public Type OutputType => OutputTypeOf(function.Method);

        public Task<object?> RunAsync(TaskOrchestrationContext context, object? input)
        {
            if (!function.Method.IsStatic)
            {
                throw new NotSupportedException($"Orchestrator {function.Name} must be static: an orchestrator holds no services.");
            }

            var arguments = function.Method.GetParameters()
                .Select(p => p.ParameterType == typeof(TaskOrchestrationContext) ? context : p == _input ? input : null)
                .ToArray();
            return ResultOf(function.Method.Invoke(null, arguments));
        }
    }

    /// <summary>An activity method on a class activated from the app's services, as the Functions worker activates it.</summary>
    private sealed class FunctionActivity(FunctionEntry function, IServiceProvider services) : ITaskActivity
    {
        public Type InputType => function.TriggerParameter!.ParameterType;

        public Type OutputType => OutputTypeOf(function.Method);

        public async Task<object?> RunAsync(TaskActivityContext context, object? input)
        {
            var target = function.Method.IsStatic ? null : ActivatorUtilities.GetServiceOrCreateInstance(services, function.Class);
            var arguments = function.Method.GetParameters().Select(p => Bind(p, input)).ToArray();
            try
            {
                return await ResultOf(function.Method.Invoke(target, arguments));
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
                throw;
            }
        }

        private object? Bind(ParameterInfo parameter, object? input)
        {
            if (parameter == function.TriggerParameter)
            {
                return input;
            }

            if (parameter.ParameterType == typeof(CancellationToken))
            {
                return CancellationToken.None;
            }

            if (parameter.ParameterType == typeof(FunctionContext))
            {
                return null;
            }

            return parameter.ParameterType == typeof(DurableTaskClient) || parameter.GetCustomAttribute<DurableClientAttribute>() is not null
                ? services.GetRequiredService<DurableTaskClient>()
                : services.GetService(parameter.ParameterType) ?? (parameter.HasDefaultValue ? parameter.DefaultValue : throw new InvalidOperationException(
                    $"The dev host cannot bind parameter '{parameter.Name}' of activity {function.Name}."));
        }
    }
}
