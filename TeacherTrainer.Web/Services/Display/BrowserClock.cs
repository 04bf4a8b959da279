using Microsoft.JSInterop;

namespace TeacherTrainer.Web.Services.Display;

/// <summary>The user's time zone offset, asked of the browser once per circuit (UTC until it answers).</summary>
public sealed class BrowserClock(IJSRuntime js)
{
    private TimeSpan? _offset;

    public async Task<TimeSpan> OffsetAsync()
    {
        if (_offset is { } known) return known;
        try
        {
            await using var module = await js.InvokeAsync<IJSObjectReference>("import", "./js/clock.js");
            _offset = TimeSpan.FromMinutes(await module.InvokeAsync<int>("offsetMinutes"));
        }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException or InvalidOperationException)
        {
            // Prerendering (no browser yet) or a browser that would not say: UTC.
            return TimeSpan.Zero;
        }
        return _offset.Value;
    }

    /// <summary>The end (23:59) of <paramref name="date"/> in the user's time zone.</summary>
    public async Task<DateTimeOffset> EndOfDayAsync(DateOnly date)
    {
        var offset = await OffsetAsync();
        return new DateTimeOffset(date.ToDateTime(new TimeOnly(23, 59)), offset);
    }
}
