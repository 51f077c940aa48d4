using System.Text;
using System.Text.Json;
using Comms.Common;

namespace Comms.Suppression;

/// <summary>An SNS HTTP(S) delivery: the JSON body SNS posts for notifications and subscription confirmations.</summary>
public sealed record SnsMessage
{
    public required string Type { get; init; }
    public required string MessageId { get; init; }
    public required string TopicArn { get; init; }
    public required string Message { get; init; }
    public required string Timestamp { get; init; }
    public required string SignatureVersion { get; init; }
    public required string Signature { get; init; }
    public required string SigningCertUrl { get; init; }
    public string? Subject { get; init; }
    public string? Token { get; init; }
    public string? SubscribeUrl { get; init; }

    public static SnsMessage Parse(byte[] body)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            throw RequestValidationException.For("body", "Not an SNS message (the body is not JSON).");
        }

        var errors = new ValidationErrors();
        string Required(string name)
        {
            var value = Optional(name);
            if (string.IsNullOrEmpty(value))
            {
                errors.Add(name, "Required in an SNS message.");
            }

            return value ?? string.Empty;
        }

        string? Optional(string name) =>
            root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        var message = new SnsMessage
        {
            Type = Required("Type"),
            MessageId = Required("MessageId"),
            TopicArn = Required("TopicArn"),
            Message = Required("Message"),
            Timestamp = Required("Timestamp"),
            SignatureVersion = Required("SignatureVersion"),
            Signature = Required("Signature"),
            SigningCertUrl = Required("SigningCertURL"),
            Subject = Optional("Subject"),
            Token = Optional("Token"),
            SubscribeUrl = Optional("SubscribeURL"),
        };
        errors.ThrowIfAny();
        return message;
    }

    /// <summary>
    /// The string SNS signs: "Name\nValue\n" for the message's fields in byte order of their names, with
    /// Subject only when present, and Token/SubscribeURL only for (un)subscribe confirmations.
    /// </summary>
    public string StringToSign()
    {
        var sb = new StringBuilder();
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                sb.Append(name).Append('\n').Append(value).Append('\n');
            }
        }

        Add("Message", Message);
        Add("MessageId", MessageId);
        if (Type == "Notification")
        {
            Add("Subject", Subject);
            Add("Timestamp", Timestamp);
            Add("TopicArn", TopicArn);
            Add("Type", Type);
        }
        else
        {
            Add("SubscribeURL", SubscribeUrl);
            Add("Timestamp", Timestamp);
            Add("Token", Token);
            Add("TopicArn", TopicArn);
            Add("Type", Type);
        }

        return sb.ToString();
    }
}
