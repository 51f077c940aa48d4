using Comms.Contacts;
using Comms.Libraries;

namespace Comms.Tests;

/// <summary>Valid sample records that tests vary with `with { ... }`.</summary>
public static class Samples
{
    public static Library Library(string id) => new()
    {
        Id = id,
        Name = $"Library {id}",
        TimeZone = "Europe/London",
        SendTime = new TimeOnly(9, 30),
        FromAddress = $"desk@{id}.example.org",
        FromAddressVerified = true,
        DefaultLanguage = "en-GB",
    };

    public static Patron Patron(string id) => new()
    {
        Id = id,
        Name = $"Patron {id}",
        Group = "Year 7",
        Contacts =
        [
            new Contact { Role = ContactRole.Patron, Name = $"Patron {id}", Email = $"{id}@pupils.example.org" },
            new Contact { Role = ContactRole.Parent, Name = $"Parent of {id}", Email = $"parent.{id}@home.example.org" },
        ],
    };

    public static Supplier Supplier(string id) => new()
    {
        Id = id,
        Name = $"Supplier {id}",
        OrderEmails = [$"orders@{id}.example.com"],
    };
}
