using System.Globalization;

namespace Comms.Templates;

/// <summary>
/// What rendering one email (subject, HTML and text together) may cost, whatever the template and the data:
/// at most <see cref="MaxOutputChars"/> characters out and <see cref="MaxSteps"/> steps (a tag, a piece of
/// text or one element of a list). Validation bounds how deep sections nest, but even two nested lists of
/// 500 items repeat their content 250,000 times, and templates saved before that bound may nest deeper, so
/// the renderer stops at this budget instead of growing without limit.
/// </summary>
public sealed class RenderBudget
{
    /// <summary>ACS takes at most 10 MB per message, so a larger email could never be sent anyway.</summary>
    public const int MaxOutputChars = 10 * 1024 * 1024;

    /// <summary>The largest legitimate email (500 items, every field shown) takes a few tens of thousands.</summary>
    public const int MaxSteps = 2_000_000;

    /// <summary>
    /// Sections nested in a compiled plan. Validation allows 8; a version saved before that bound may nest
    /// thousands deep, which would recurse as deep in the renderer: it is refused when compiled instead.
    /// </summary>
    public const int MaxDepth = 32;

    private int _steps;
    private long _chars;

    public void Step()
    {
        if (++_steps > MaxSteps)
        {
            throw new TemplateRenderLimitException(string.Create(CultureInfo.InvariantCulture,
                $"The template takes more than {MaxSteps:N0} steps to render with this data (sections repeating inside repeated sections?)."));
        }
    }

    public void Spend(int chars)
    {
        _chars += chars;
        if (_chars > MaxOutputChars)
        {
            throw new TemplateRenderLimitException(string.Create(CultureInfo.InvariantCulture,
                $"The template renders more than {MaxOutputChars:N0} characters with this data, more than an email may hold."));
        }
    }
}

/// <summary>A render stopped at its <see cref="RenderBudget"/>: the template and data make too large an email.</summary>
public sealed class TemplateRenderLimitException(string message) : Exception(message);
