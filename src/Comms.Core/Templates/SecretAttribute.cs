namespace Comms.Templates;

/// <summary>
/// Marks a model value as a secret (a password-reset link): it reaches the reader's email and nowhere else.
/// The renderer hands every delivery route a redacted copy of the subject and text (<see cref="Notices.RenderedEmail.ForLog"/>)
/// in which it shows as <see cref="ModelSecrets.Mask"/>, and that copy is all a log row, a preview or any
/// stored record keeps. Marking the model, not the route, covers every route that renders it.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class SecretAttribute : Attribute;
