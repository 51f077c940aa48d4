using System.Collections;
using System.Reflection;
using Comms.Common;

namespace Comms.Templates;

/// <summary>
/// The shape of a template's view: which names exist, which are lists. Built by reflection over
/// <see cref="TemplateModel"/> with the camelCase names the API uses, so a new model property is a new
/// variable at once, in validation, in the catalogue and in rendering.
/// </summary>
public sealed class VariableNode
{
    private static readonly Dictionary<string, ModelSections> SectionOfProperty = new(StringComparer.Ordinal)
    {
        [nameof(TemplateModel.Patron)] = ModelSections.Patron,
        [nameof(TemplateModel.Recipient)] = ModelSections.Recipient,
        [nameof(TemplateModel.Items)] = ModelSections.Items,
        [nameof(TemplateModel.Reservation)] = ModelSections.Reservation,
        [nameof(TemplateModel.Order)] = ModelSections.Order,
        [nameof(TemplateModel.Reset)] = ModelSections.Reset,
        [nameof(TemplateModel.Recall)] = ModelSections.Recall,
        [nameof(TemplateModel.Escalation)] = ModelSections.Escalation,
        [nameof(TemplateModel.Patrons)] = ModelSections.Patrons,
        [nameof(TemplateModel.Totals)] = ModelSections.Patrons,
        [nameof(TemplateModel.Classes)] = ModelSections.Patrons,
        [nameof(TemplateModel.Digest)] = ModelSections.Patrons,
        [nameof(TemplateModel.Step)] = ModelSections.Patrons,
        [nameof(TemplateModel.Levels)] = ModelSections.Patrons,
        [nameof(TemplateModel.Charges)] = ModelSections.Charges,
        [nameof(TemplateModel.Renewals)] = ModelSections.Renewals,
        [nameof(TemplateModel.Card)] = ModelSections.Card,
    };

    private VariableNode(IReadOnlyDictionary<string, VariableNode> children, bool isList, IReadOnlyDictionary<string, string>? descriptions = null)
    {
        Children = children;
        IsList = isList;
        Descriptions = descriptions ?? new Dictionary<string, string>();
    }

    public static VariableNode Leaf { get; } = new(new Dictionary<string, VariableNode>(), isList: false);

    public IReadOnlyDictionary<string, VariableNode> Children { get; }

    /// <summary>Each child's description, by name (<see cref="VariableDescriptions"/>); a child without one is missing.</summary>
    public IReadOnlyDictionary<string, string> Descriptions { get; }

    /// <summary>A list: a section over it repeats, and names inside resolve against each element's children.</summary>
    public bool IsList { get; }

    public static VariableNode ForModel(ModelSections sections) =>
        ForType(typeof(TemplateModel), p => !SectionOfProperty.TryGetValue(p.Name, out var section) || sections.HasFlag(section));

    /// <summary>Every path, lists marked with "[]": "library.name", "items[].title".</summary>
    public IEnumerable<string> Paths() => DescribedPaths().Select(p => p.Path);

    /// <summary>Every path of <see cref="Paths"/> with its description; null where the model property has none.</summary>
    public IEnumerable<(string Path, string? Description)> DescribedPaths(string prefix = "")
    {
        foreach (var (name, child) in Children.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var path = prefix.Length == 0 ? name : $"{prefix}.{name}";
            if (child.Children.Count == 0)
            {
                yield return (path, Descriptions.GetValueOrDefault(name));
                continue;
            }

            foreach (var nested in child.DescribedPaths(child.IsList ? path + "[]" : path))
            {
                yield return nested;
            }
        }
    }

    internal static string NameOf(PropertyInfo property) => CommsJson.Options.PropertyNamingPolicy!.ConvertName(property.Name);

    private static VariableNode ForType(Type type, Func<PropertyInfo, bool> include)
    {
        var children = new Dictionary<string, VariableNode>(StringComparer.Ordinal);
        var descriptions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(include))
        {
            children[NameOf(property)] = ForValueType(property.PropertyType);
            if (VariableDescriptions.Of(property) is { } description)
            {
                descriptions[NameOf(property)] = description;
            }
        }

        return new VariableNode(children, isList: false, descriptions);
    }

    private static VariableNode ForValueType(Type type)
    {
        // A flag is a leaf too: a section over it ({{#digest.household}}) shows its content when true.
        if (type == typeof(string) || type == typeof(bool))
        {
            return Leaf;
        }

        var element = type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0] : null;
        if (element is not null)
        {
            var elementNode = ForType(element, _ => true);
            return new VariableNode(elementNode.Children, isList: true, elementNode.Descriptions);
        }

        return ForType(type, _ => true);
    }
}
