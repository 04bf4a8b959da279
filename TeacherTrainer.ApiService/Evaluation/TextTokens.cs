using System.Text.RegularExpressions;
using Lucene.Net.Tartarus.Snowball.Ext;

namespace TeacherTrainer.ApiService.Evaluation;

/// <summary>One word of an utterance: its surface form, Porter stem, position in the original text, and role.</summary>
public readonly record struct Token(string Lower, string Stem, int Start, int Length, bool IsContent, bool IsNumber)
{
    public int End => Start + Length;
}

/// <summary>
/// Tokenises classroom talk into words with character offsets (so evidence spans can be cut from the
/// trainee's own text), Porter stems (so "multiply"/"multiplied" match) and a content/function flag.
/// Numbers and number words are content: in maths talk "twelve" or "3/4" is usually the idea itself.
/// </summary>
public static class TextTokens
{
    // Words, numbers (with decimals or fractions) and contractions; curly apostrophes are common in transcripts.
    private static readonly Regex WordPattern = new(@"\d+(?:[.,/]\d+)*|[A-Za-z]+(?:['’][A-Za-z]+)*", RegexOptions.Compiled | RegexOptions.CultureInvariant);

    private static readonly HashSet<string> NumberWords = new(StringComparer.Ordinal)
    {
        "zero","one","two","three","four","five","six","seven","eight","nine","ten","eleven","twelve","thirteen",
        "fourteen","fifteen","sixteen","seventeen","eighteen","nineteen","twenty","thirty","forty","fifty","sixty",
        "seventy","eighty","ninety","hundred","thousand","million","half","halves","third","thirds","fourth","fourths",
        "quarter","quarters","fifth","fifths","sixth","sixths","eighth","eighths","tenth","tenths","hundredth","hundredths",
    };

    /// <summary>
    /// Function words and conversational fillers. Lucene's English stop set (33 words) is too small for speech:
    /// "okay", "yeah", "gonna" would otherwise count as shared ideas.
    /// </summary>
    public static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a","an","and","are","as","at","be","but","by","for","if","in","into","is","it","no","not","of","on","or","such",
        "that","the","their","then","there","these","they","this","to","was","will","with",
        "i","me","my","mine","myself","we","us","our","ours","you","your","yours","he","him","his","she","her","hers",
        "its","them","theirs","what","which","who","whom","whose","when","where","why","how","am","were","been","being",
        "have","has","had","having","do","does","did","doing","done","would","should","could","can","may","might","must",
        "shall","about","against","between","through","during","before","after","above","below","from","up","down","out",
        "off","over","under","again","further","here","all","any","both","each","few","more","most","other","some","own",
        "same","so","than","too","very","just","now","also","only","because","until","while","those","get","got","go",
        "going","gonna","wanna","gotta","yes","yeah","yep","yup","nope","ok","okay","um","uh","umm","uhm","hmm","mm","oh",
        "ah","like","well","right","alright","really","kind","sort","thing","things","know","think","mean","say","said",
        "see","let","lets","let's","i'm","you're","it's","that's","don't","doesn't","didn't","can't","i'll","we're","they're",
        "there's","what's","isn't","aren't","wasn't","won't","i've","you've","we'll","you'll","he's","she's","here's",
        "dont","cant","im","thats","whats","hey","hi","please","thank","thanks","good","great","nice","one's",
    };

    [ThreadStatic] private static PorterStemmer? _stemmer;

    /// <summary>Stems already computed: stemming dominates tokenising, and classroom talk reuses a small vocabulary.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> StemCache = new(StringComparer.Ordinal);

    /// <summary>The stem cache stops growing here, so odd input cannot grow it without bound.</summary>
    public const int StemCacheCapacity = 50_000;

    public static string Stem(string lower)
    {
        if (lower.Length < 3 || char.IsDigit(lower[0])) return lower;
        if (StemCache.TryGetValue(lower, out var cached)) return cached;
        var s = _stemmer ??= new PorterStemmer();
        s.SetCurrent(lower);
        s.Stem();
        var stem = s.Current;
        if (StemCache.Count < StemCacheCapacity) StemCache.TryAdd(lower, stem);
        return stem;
    }

    public static List<Token> Tokenize(string? text)
    {
        var list = new List<Token>();
        if (string.IsNullOrEmpty(text)) return list;
        foreach (Match m in WordPattern.Matches(text))
        {
            string lower = m.Value.ToLowerInvariant().Replace('’', '\'');
            bool isNumber = char.IsDigit(lower[0]) || NumberWords.Contains(lower);
            bool isContent = isNumber || !StopWords.Contains(lower);
            list.Add(new Token(lower, Stem(lower), m.Index, m.Length, isContent, isNumber));
        }
        return list;
    }
}
