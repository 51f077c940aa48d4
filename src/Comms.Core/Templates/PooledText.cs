using System.Buffers;

namespace Comms.Templates;

/// <summary>
/// Text built in a pooled buffer: a render then allocates its result string and little else, where a
/// StringBuilder allocated its chunks on every render and copied them once more into the result.
/// </summary>
internal sealed class PooledText(int capacity) : IDisposable
{
    private char[] _buffer = ArrayPool<char>.Shared.Rent(Math.Max(capacity, 256));

    public int Length { get; private set; }

    public void Append(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        EnsureRoom(text.Length);
        text.CopyTo(0, _buffer, Length, text.Length);
        Length += text.Length;
    }

    public override string ToString() => new(_buffer, 0, Length);

    public void Dispose()
    {
        ArrayPool<char>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void EnsureRoom(int more)
    {
        if (Length + more <= _buffer.Length)
        {
            return;
        }

        var larger = ArrayPool<char>.Shared.Rent(Math.Max(_buffer.Length * 2, Length + more));
        _buffer.AsSpan(0, Length).CopyTo(larger);
        ArrayPool<char>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
