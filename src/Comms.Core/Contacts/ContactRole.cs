namespace Comms.Contacts;

/// <summary>Who a contact is to the patron; each library picks which roles receive which scenario.</summary>
public enum ContactRole
{
    Patron,
    Parent,
    Guardian,
    Carer,
    Teacher,
    HeadOfSchool,
}
