namespace Comms.Accounts;

/// <summary>The library system asks for a reset email: the link is a secret and goes into the email only.</summary>
public sealed record PasswordResetRequest
{
    public required string PatronId { get; init; }
    public required string ResetLink { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
}
