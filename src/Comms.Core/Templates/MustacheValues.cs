using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Comms.Templates;

/// <summary>How Stubble treats a looked-up value: as text, as true or false, as a list or a single view.</summary>
internal static class MustacheValues
{
    public static string? Text(object? value) =>
        value is null or string ? value as string : Convert.ToString(value, CultureInfo.InvariantCulture);

    /// <summary>Null, "", whitespace, "0", "false" (any case, padded or not) and empty lists are false.</summary>
    public static bool IsTruthy([NotNullWhen(true)] object? value)
    {
        switch (value)
        {
            case null:
                return false;
            case bool b:
                return b;
            case string s:
                var trimmed = s.AsSpan().Trim();
                return trimmed.Length > 0 && !trimmed.SequenceEqual("0") && !trimmed.Equals("false", StringComparison.OrdinalIgnoreCase);
            case IEnumerable list:
                var e = list.GetEnumerator();
                try
                {
                    return e.MoveNext();
                }
                finally
                {
                    (e as IDisposable)?.Dispose();
                }

            default:
                return true;
        }
    }

    /// <summary>A list repeats its section per element; strings and dictionaries are single views.</summary>
    public static IEnumerable? AsList(object value) => value is IEnumerable list and not string and not IDictionary ? list : null;
}
