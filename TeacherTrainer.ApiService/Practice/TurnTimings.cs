using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace TeacherTrainer.ApiService.Practice;

/// <summary>
/// Where the time of one practice turn went, sent back as a standard <c>Server-Timing</c> header
/// on JSON turn answers (browsers' developer tools and the load benchmark read it). Durations are
/// milliseconds; <c>judge</c> includes <c>embed</c>.
/// </summary>
public sealed class TurnTimings
{
    /// <summary>Reading the session and its turns.</summary>
    public double Load { get; set; }
    /// <summary>The whole judgement (embedding, move, rubric, evidence).</summary>
    public double Judge { get; set; }
    /// <summary>The model's forward passes within the judgement.</summary>
    public double Embed { get; set; }
    /// <summary>The persona's reply (reply bank or language model).</summary>
    public double Persona { get; set; }
    /// <summary>Saving the turn, its scores and the session state.</summary>
    public double Save { get; set; }
    /// <summary>Serialising the answer to JSON.</summary>
    public double Serialise { get; set; }

    public static double Since(long started) => Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    /// <summary>The header value, for example <c>load;dur=1.2, judge;dur=9.8, embed;dur=7.5, ...</c>.</summary>
    public string ToHeader(double total)
    {
        var text = new StringBuilder(160);
        Append(text, "load", Load, "session read");
        Append(text, "judge", Judge, "judgement");
        Append(text, "embed", Embed, "embedding");
        Append(text, "persona", Persona, "persona reply");
        Append(text, "save", Save, "turn saved");
        Append(text, "ser", Serialise, "JSON");
        Append(text, "total", total, "handler");
        return text.ToString();
    }

    private static void Append(StringBuilder text, string name, double ms, string description)
    {
        if (text.Length > 0) text.Append(", ");
        text.Append(name).Append(";dur=").Append(ms.ToString("0.###", CultureInfo.InvariantCulture))
            .Append(";desc=\"").Append(description).Append('"');
    }
}
