using Comms.Delivery;
using Comms.EmailLog;
using Comms.Functions;
using Comms.Libraries;
using Comms.Notices;
using Comms.Scenarios;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Comms.Tests.Delivery;

/// <summary>The app's real registration plus test-only provider wrappers, with fast retries.</summary>
public static class DeliveryTestServices
{
    public static ServiceProvider Create(
        EmulatorFixture emulators,
        Action<Dictionary<string, string?>>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var values = TestServices.Settings(emulators);
        values["Comms:Email:Retry:BaseDelayMilliseconds"] = "1";
        values["Comms:Email:Retry:MaxDelayMilliseconds"] = "20";
        values["Comms:Email:Ses:MessagesPerSecond"] = "0";
        settings?.Invoke(values);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var collection = new ServiceCollection();
        collection.AddSingleton<IConfiguration>(configuration);
        collection.AddLogging();
        collection.AddCommsFunctionApp(configuration);
        services?.Invoke(collection);
        return collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>Registers a wrapper around the real provider of that name (the last registration wins).</summary>
    public static void Wrap(IServiceCollection services, string name, Func<IEmailProvider, IEmailProvider> wrap)
    {
        var real = services.Where(d => d.ServiceType == typeof(EmailProviderRegistration) && d.ImplementationInstance is EmailProviderRegistration r && r.Name == name)
            .Select(d => (EmailProviderRegistration)d.ImplementationInstance!).Last();
        services.AddSingleton(new EmailProviderRegistration(name, sp => wrap(real.Create(sp))));
    }

    public static async Task<Library> CreateLibraryAsync(IServiceProvider services, string id, Func<Library, Library>? change = null)
    {
        var library = Samples.Library(id);
        library = change?.Invoke(library) ?? library;
        await services.GetRequiredService<LibraryService>().CreateAsync(library);
        return library;
    }

    public static Notice Notice(string libraryId, string subjectRecordId, params NoticeRecipient[] recipients) => new()
    {
        LibraryId = libraryId,
        Scenario = new ScenarioKey(Scenario.Overdue),
        SubjectRecordId = subjectRecordId,
        PatronId = "p-1",
        ScheduledFor = new DateOnly(2026, 3, 2),
        Recipients = recipients,
        Content = new RenderedEmail($"Overdue: {subjectRecordId}", $"<p>Your loan <b>{subjectRecordId}</b> is overdue.</p>", $"Your loan {subjectRecordId} is overdue."),
        TemplateId = "overdue-default",
        TemplateVersion = 3,
    };

    public static string Unique(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..(prefix.Length + 10)];

    /// <summary>Every row of the library's email log, all pages.</summary>
    public static async Task<List<EmailLogEntry>> ReadWholeLogAsync(EmailLogStore store, string lib)
    {
        var all = new List<EmailLogEntry>();
        string? token = null;
        do
        {
            var page = await store.QueryAsync(lib, new EmailLogQuery { PageSize = 1000, ContinuationToken = token });
            all.AddRange(page.Items);
            token = page.ContinuationToken;
        }
        while (token is not null);
        return all;
    }
}
