namespace Comms.Common;

/// <summary>Collects field-level messages, then throws them all at once so a caller fixes everything in one go.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            list = [];
            _errors[field] = list;
        }

        list.Add(message);
    }

    public void AddRange(string prefix, ValidationErrors other)
    {
        foreach (var (field, messages) in other._errors)
        {
            foreach (var message in messages)
            {
                Add(prefix.Length == 0 ? field : $"{prefix}.{field}", message);
            }
        }
    }

    /// <summary>Adds <paramref name="other"/>'s messages under the names <paramref name="rename"/> gives its fields.</summary>
    public void AddRange(ValidationErrors other, Func<string, string> rename)
    {
        foreach (var (field, messages) in other._errors)
        {
            foreach (var message in messages)
            {
                Add(rename(field), message);
            }
        }
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);

    public void ThrowIfAny(string? title = null)
    {
        if (!IsEmpty)
        {
            throw new RequestValidationException(ToDictionary(), title);
        }
    }
}
