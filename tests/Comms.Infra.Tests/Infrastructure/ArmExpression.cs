using System.Globalization;
using System.Text;

namespace Comms.Infra.Tests.Infrastructure;

/// <summary>A value only Azure knows at deployment time (a resource's output, a subscription id).</summary>
public sealed class ArmUnknown
{
    public static readonly ArmUnknown Value = new();

    private ArmUnknown()
    {
    }

    public override string ToString() => "<known only in Azure>";
}

/// <summary>What ARM reports when a template calls fail(): the deployment stops with this message.</summary>
public sealed class ArmFailException(string message) : Exception(message);

/// <summary>
/// Evaluates the ARM template expression language ("[if(equals(parameters('x'), 'Ses'), ...)]") for the
/// functions Bicep emits in this repository's templates. Values that exist only in Azure (reference(),
/// uniqueString(), subscription()) evaluate to <see cref="ArmUnknown"/>; if() evaluates only the branch its
/// condition picks, as ARM does, so a fail() in the other branch does not fire.
/// Values are string, long, bool, Dictionary (objects), List (arrays), null or ArmUnknown.
/// </summary>
public sealed class ArmExpression(Func<string, object?> parameter, Func<string, object?> variable)
{
    private static readonly HashSet<string> AzureOnly = new(StringComparer.OrdinalIgnoreCase)
    {
        "reference", "resourceId", "extensionResourceId", "subscriptionResourceId", "subscription", "resourceGroup",
        "tenant", "uniqueString", "guid", "listKeys", "environment", "deployment", "managementGroup", "utcNow", "newGuid",
    };

    /// <summary>A template value: strings starting with '[' are expressions; objects and arrays are walked.</summary>
    public object? Evaluate(object? value) => value switch
    {
        string text when text.StartsWith("[[", StringComparison.Ordinal) => text[1..],
        string text when text.StartsWith('[') && text.EndsWith(']') => EvaluateExpression(text[1..^1]),
        Dictionary<string, object?> map => map.ToDictionary(pair => pair.Key, pair => Evaluate(pair.Value), StringComparer.OrdinalIgnoreCase),
        List<object?> list => list.Select(Evaluate).ToList(),
        _ => value,
    };

    public object? EvaluateExpression(string expression)
    {
        var parser = new Parser(expression, this);
        var result = parser.ParseExpression();
        parser.ExpectEnd();
        return result;
    }

    private object? Call(string name, IReadOnlyList<Func<object?>> arguments)
    {
        if (AzureOnly.Contains(name))
        {
            return ArmUnknown.Value;
        }

        switch (name.ToLowerInvariant())
        {
            case "if":
                var condition = arguments[0]();
                return condition is ArmUnknown ? ArmUnknown.Value : AsBool(condition) ? arguments[1]() : arguments[2]();
            case "fail":
                throw new ArmFailException(Text(arguments[0]()));
        }

        var values = arguments.Select(argument => argument()).ToList();
        if (values.Any(value => value is ArmUnknown) && !name.Equals("createObject", StringComparison.OrdinalIgnoreCase) && !name.Equals("createArray", StringComparison.OrdinalIgnoreCase))
        {
            return ArmUnknown.Value;
        }

        return name.ToLowerInvariant() switch
        {
            "parameters" => parameter(Text(values[0])),
            "variables" => variable(Text(values[0])),
            "true" => true,
            "false" => false,
            "null" => null,
            "not" => !AsBool(values[0]),
            "and" => values.All(AsBool),
            "or" => values.Any(AsBool),
            "equals" => Equal(values[0], values[1]),
            "empty" => values[0] switch
            {
                null => true,
                string text => text.Length == 0,
                Dictionary<string, object?> map => map.Count == 0,
                List<object?> list => list.Count == 0,
                _ => false,
            },
            "string" => values[0] switch
            {
                string text => text,
                bool flag => flag ? "True" : "False",
                long number => number.ToString(CultureInfo.InvariantCulture),
                _ => throw new NotSupportedException("string() of an object or array is not used by these templates."),
            },
            "int" => Convert.ToInt64(values[0], CultureInfo.InvariantCulture),
            "format" => string.Format(CultureInfo.InvariantCulture, Text(values[0]), [.. values.Skip(1).Select(FormatArgument)]),
            "concat" => values.All(value => value is List<object?>)
                ? values.SelectMany(value => (List<object?>)value!).ToList()
                : string.Concat(values.Select(Text)),
            "tolower" => Text(values[0]).ToLowerInvariant(),
            "toupper" => Text(values[0]).ToUpperInvariant(),
            "coalesce" => values.FirstOrDefault(value => value is not null),
            "createobject" => Enumerable.Range(0, values.Count / 2)
                .ToDictionary(i => Text(values[2 * i]), i => values[(2 * i) + 1], StringComparer.OrdinalIgnoreCase),
            "createarray" => values,
            "union" => values.Cast<Dictionary<string, object?>>()
                .SelectMany(map => map)
                .GroupBy(pair => pair.Key, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(group => group.Key, group => group.Last().Value, StringComparer.OrdinalIgnoreCase),
            "length" => values[0] switch
            {
                string text => (long)text.Length,
                List<object?> list => list.Count,
                Dictionary<string, object?> map => map.Count,
                _ => 0L,
            },
            "contains" => values[0] switch
            {
                string text => text.Contains(Text(values[1]), StringComparison.OrdinalIgnoreCase),
                List<object?> list => list.Any(item => Equal(item, values[1])),
                Dictionary<string, object?> map => map.ContainsKey(Text(values[1])),
                _ => false,
            },
            _ => throw new NotSupportedException($"The ARM function {name}() is not supported by this evaluator; add it."),
        };
    }

    private static object? Member(object? target, object? key) => target switch
    {
        ArmUnknown => ArmUnknown.Value,
        Dictionary<string, object?> map => map.TryGetValue(Text(key), out var value)
            ? value
            : throw new KeyNotFoundException($"The object has no property '{key}'."),
        List<object?> list => list[(int)Convert.ToInt64(key, CultureInfo.InvariantCulture)],
        _ => throw new InvalidOperationException($"Cannot read '{key}' of {target ?? "null"}."),
    };

    private static object FormatArgument(object? value) => value switch
    {
        bool flag => flag ? "True" : "False",
        null => string.Empty,
        _ => value,
    };

    private static bool AsBool(object? value) => value switch
    {
        bool flag => flag,
        string text => bool.Parse(text),
        _ => throw new InvalidOperationException($"Expected a bool, got {value ?? "null"}."),
    };

    private static bool Equal(object? left, object? right) => (left, right) switch
    {
        (string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase),
        _ => Equals(left, right),
    };

    private static string Text(object? value) => value switch
    {
        string text => text,
        null => string.Empty,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    /// <summary>Recursive descent over: call(args) | 'string' | number | primary.member | primary['key'].</summary>
    private sealed class Parser(string text, ArmExpression owner)
    {
        private int _position;

        public object? ParseExpression() => ParsePrimary()();

        public void ExpectEnd()
        {
            SkipSpaces();
            if (_position != text.Length)
            {
                throw new FormatException($"Unexpected '{text[_position..]}' in expression '{text}'.");
            }
        }

        // Returns a thunk so that if() can leave the branch it does not take unevaluated.
        private Func<object?> ParsePrimary()
        {
            SkipSpaces();
            Func<object?> value;
            var c = text[_position];
            if (c == '\'')
            {
                var literal = ReadString();
                value = () => literal;
            }
            else if (char.IsDigit(c) || c == '-')
            {
                var start = _position++;
                while (_position < text.Length && char.IsDigit(text[_position]))
                {
                    _position++;
                }

                var number = long.Parse(text[start.._position], CultureInfo.InvariantCulture);
                value = () => number;
            }
            else
            {
                var name = ReadIdentifier();
                Expect('(');
                var arguments = new List<Func<object?>>();
                SkipSpaces();
                if (text[_position] != ')')
                {
                    arguments.Add(ParsePrimary());
                    SkipSpaces();
                    while (text[_position] == ',')
                    {
                        _position++;
                        arguments.Add(ParsePrimary());
                        SkipSpaces();
                    }
                }

                Expect(')');
                value = () => owner.Call(name, arguments);
            }

            while (true)
            {
                SkipSpaces();
                if (_position < text.Length && text[_position] == '.')
                {
                    _position++;
                    var target = value;
                    var member = ReadIdentifier();
                    value = () => Member(target(), member);
                }
                else if (_position < text.Length && text[_position] == '[')
                {
                    _position++;
                    var target = value;
                    var key = ParsePrimary();
                    Expect(']');
                    value = () => Member(target(), key());
                }
                else
                {
                    return value;
                }
            }
        }

        private string ReadString()
        {
            var builder = new StringBuilder();
            _position++;
            while (true)
            {
                if (text[_position] == '\'')
                {
                    if (_position + 1 < text.Length && text[_position + 1] == '\'')
                    {
                        builder.Append('\'');
                        _position += 2;
                        continue;
                    }

                    _position++;
                    return builder.ToString();
                }

                builder.Append(text[_position++]);
            }
        }

        private string ReadIdentifier()
        {
            SkipSpaces();
            var start = _position;
            while (_position < text.Length && (char.IsLetterOrDigit(text[_position]) || text[_position] is '_' or '$' or '#'))
            {
                _position++;
            }

            return start == _position ? throw new FormatException($"Expected a name at {start} in '{text}'.") : text[start.._position];
        }

        private void Expect(char expected)
        {
            SkipSpaces();
            if (_position >= text.Length || text[_position] != expected)
            {
                throw new FormatException($"Expected '{expected}' at {_position} in '{text}'.");
            }

            _position++;
        }

        private void SkipSpaces()
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
        }
    }
}
