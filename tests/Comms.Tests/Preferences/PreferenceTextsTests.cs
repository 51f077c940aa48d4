using Comms.Preferences;
using Comms.Scenarios;
using Comms.Templates;

namespace Comms.Tests.Preferences;

/// <summary>The engine's own words name every notice in every language it has page words in.</summary>
public sealed class PreferenceTextsTests
{
    public static TheoryData<string> Languages => [.. PreferenceTexts.Catalogue.Keys];

    [Theory]
    [MemberData(nameof(Languages))]
    public void Words_EveryScenario_HasATitleAndDescriptionInTheLanguage(string language)
    {
        var texts = PreferenceTexts.Catalogue[language];

        Assert.All(Enum.GetValues<Scenario>(), scenario =>
        {
            Assert.True(texts.Scenarios.TryGetValue(scenario, out var words), $"{language} has no words for {scenario}");
            Assert.False(string.IsNullOrWhiteSpace(words!.Title), $"{language}: {scenario} has no title");
            Assert.False(string.IsNullOrWhiteSpace(words.Description), $"{language}: {scenario} has no description");
        });
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Words_OtherThanEnglish_AreTranslatedNotCopied(string language)
    {
        var texts = PreferenceTexts.Catalogue[language];
        if (ReferenceEquals(texts, PreferenceTexts.English))
        {
            Assert.All(ScenarioCatalogue.All, d => Assert.Equal(d.Title, texts.Words(d.Scenario).Title)); // English is the catalogue's own
            return;
        }

        Assert.All(ScenarioCatalogue.All, d => Assert.NotEqual(d.Title, texts.Words(d.Scenario).Title));
        Assert.Equal(texts.Scenarios.Count, texts.Scenarios.Values.Select(w => w.Title).Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("fr-FR", "Bienvenue")]
    [InlineData("es", "Bienvenida")]
    [InlineData("de-AT", "Willkommen")]
    [InlineData("cy-GB", "Welcome")]
    public void Words_ForAReadersLanguage_FallBackLikeTheRestOfTheWords(string reader, string expected) =>
        Assert.Equal(expected, PreferenceTexts.For(reader).Texts.Words(Scenario.Welcome).Title);
}
