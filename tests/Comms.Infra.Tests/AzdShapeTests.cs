using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Comms.Infra.Tests.Infrastructure;

namespace Comms.Infra.Tests;

[Collection(CompiledMainTemplateCollection.Name)]
public sealed partial class AzdShapeTests(CompiledMainTemplate compiled)
{
    private static JsonObject MappedParameters =>
        (JsonNode.Parse(File.ReadAllText(RepositoryRoot.File("infra", "main.parameters.json")))?["parameters"] as JsonObject) ?? [];

    private JsonObject TemplateParameters => compiled.Template["parameters"] as JsonObject ?? [];

    [Fact]
    public void Parameters_WithoutDefault_AreMappedFromAzdEnvironment()
    {
        // Act: azd prompts for nothing the template needs if every required parameter is mapped.
        var unmapped = TemplateParameters
            .Where(parameter => parameter.Value?["defaultValue"] is null && !MappedParameters.ContainsKey(parameter.Key))
            .Select(parameter => parameter.Key)
            .ToList();

        // Assert
        Assert.Empty(unmapped);
    }

    [Fact]
    public void ParametersFile_EveryMapping_NamesATemplateParameterFromAnEnvironmentValue()
    {
        // Act
        var unknown = MappedParameters.Where(mapping => !TemplateParameters.ContainsKey(mapping.Key)).Select(mapping => mapping.Key).ToList();
        var literal = MappedParameters
            .Where(mapping => !EnvironmentReference().IsMatch((string?)mapping.Value?["value"] ?? string.Empty))
            .Select(mapping => mapping.Key)
            .ToList();

        // Assert: the file only maps azd environment values; defaults belong in main.bicep.
        Assert.Empty(unknown);
        Assert.Empty(literal);
    }

    [Fact]
    public void Outputs_Names_AreUpperSnakeCaseAndIncludeWhatAzdReads()
    {
        // Act
        var outputs = (compiled.Template["outputs"] as JsonObject ?? []).Select(output => output.Key).ToList();

        // Assert
        Assert.All(outputs, name => Assert.Matches(UpperSnakeCase(), name));
        Assert.Contains("AZURE_FUNCTION_APP_NAME", outputs);
        Assert.Contains("SERVICE_API_NAME", outputs);
        Assert.Contains("AZURE_STORAGE_ACCOUNT_NAME", outputs);
        Assert.Contains("AZURE_KEY_VAULT_NAME", outputs);
    }

    [Fact]
    public void Outputs_Values_ExposeNoSecretParameter()
    {
        // Act
        var outputs = compiled.Template["outputs"]?.ToJsonString() ?? string.Empty;

        // Assert
        Assert.DoesNotContain("platformAdminKey", outputs, StringComparison.Ordinal);
        Assert.DoesNotContain("sesSecretAccessKey", outputs, StringComparison.Ordinal);
    }

    [Fact]
    public void ResourceNames_InMainTemplate_UseResourceTokenFromUniqueString()
    {
        // Act
        var resourceToken = (string?)compiled.Template["variables"]?["resourceToken"];

        // Assert
        Assert.Equal("[toLower(uniqueString(subscription().id, parameters('environmentName'), parameters('location')))]", resourceToken);
    }

    [Fact]
    public void AzureYaml_ApiService_IsTheFunctionAppProject()
    {
        // Arrange
        var azureYaml = File.ReadAllText(RepositoryRoot.File("azure.yaml"));

        // Assert: a small file read as text; a YAML parser would be a dependency for four lines.
        Assert.Matches(@"(?m)^  api:\s*$", azureYaml);
        Assert.Matches(@"(?m)^    project: \./src/Comms\.Functions\s*$", azureYaml);
        Assert.Matches(@"(?m)^    host: function\s*$", azureYaml);
        Assert.Matches(@"(?m)^    language: dotnet\s*$", azureYaml);
        Assert.True(Directory.Exists(RepositoryRoot.File("src", "Comms.Functions")));
    }

    [GeneratedRegex(@"^\$\{[A-Z][A-Z0-9_]*(=[^}]*)?\}$")]
    private static partial Regex EnvironmentReference();

    [GeneratedRegex("^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$")]
    private static partial Regex UpperSnakeCase();
}
