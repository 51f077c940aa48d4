using System.Text.Json.Nodes;

namespace Comms.Infra.Tests.Infrastructure;

/// <summary>
/// Compiles infra/main.bicep once for the whole test run: the CLI takes seconds, and every template
/// assertion reads the same output.
/// </summary>
public sealed class CompiledMainTemplate
{
    public CompiledMainTemplate()
    {
        Build = BicepCli.Run("build", RepositoryRoot.File("infra", "main.bicep"), "--stdout");
        Template = Build.ExitCode == 0 && JsonNode.Parse(Build.StandardOutput) is JsonObject template
            ? template
            : [];
    }

    public BicepCli.Result Build { get; }

    public JsonObject Template { get; }
}

[CollectionDefinition(Name)]
public sealed class CompiledMainTemplateCollection : ICollectionFixture<CompiledMainTemplate>
{
    public const string Name = "Compiled main.bicep";
}
