using TeacherTrainer.ApiService.AI;
using TeacherTrainer.ApiService.Evaluation;

namespace TeacherTrainer.Tests.Unit;

/// <summary>
/// The uptake criterion against the replies a trainee could use to game it: giving the student's words
/// back verbatim, or wrapping them in a set phrase ("So you're saying X? Tell me more.", "You said X.
/// Interesting."), must score below a reply that builds on the idea. The contexts and good replies are
/// written the way a teacher educator would model them; embeddings come from the real in-process encoder.
/// </summary>
public sealed class UptakeScorerTests
{
    private static readonly MiniLmEncoder Encoder = new(workers: 1);

    /// <summary>What a student (or parent) said, and a reply that builds on it (asks about reasoning, connects it, moves it on).</summary>
    public static readonly (string Student, string Good)[] Contexts =
    [
        ("I think it's twelve because three groups of four is twelve.", "Three groups of four. How could you check that with the counters on your table?"),
        ("You can't take seven away from three so the answer is zero.", "Seven from three does look impossible. What happens if we borrow ten from the tens column first?"),
        ("A square isn't a rectangle because its sides are all the same.", "Let's test that. What has to be true for a shape to count as a rectangle, and does a square have those things?"),
        ("I added the tops and the bottoms so a half plus a half is two fourths.", "Two fourths. If you ate half a pizza and then another half, how much pizza would you have eaten?"),
        ("The bigger number always goes first when you subtract.", "Is that always true? What about a temperature of two degrees that drops by five degrees?"),
        ("I multiplied the length by the width and got forty-eight square feet.", "Forty-eight square feet. Why did you multiply rather than add the sides for this question?"),
        ("Heavier things fall faster because they have more weight pulling them.", "More weight pulling them. If we dropped a book and a sheet of paper scrunched into a ball, what do you predict?"),
        ("The character was angry because her brother broke the kite.", "Her brother broke the kite. Which words on page four show you she was angry and not just sad?"),
        ("Plants get their food from the soil through their roots.", "Through their roots. Then how would you explain a plant growing in a jar with only water and light?"),
        ("I rounded 47 up to 50 and 32 down to 30 so it's about 80.", "Good estimating. Is the exact answer going to be more or less than 80, and how can you tell without working it out?"),
        ("Eight times seven is fifty-four.", "Let's check eight times seven together: what is eight times five, and how many more eights do we need?"),
        ("The triangle has three angles so they add up to three hundred degrees.", "Three angles, yes. If you tore the corners off a paper triangle and put them together, what shape would they make?"),
        ("Ice melts faster in salt water because the salt makes it warmer.", "Interesting idea about the salt. How could we measure whether the salty water is actually warmer?"),
        ("I can't do the homework because my mum works nights and nobody can help me.", "That sounds hard with your mum on nights. Could we find a time at lunch when I can go through it with you?"),
        ("Maya keeps taking my pencils and the teacher never does anything about it.", "That sounds really frustrating. When did it last happen, and what did you do when she took them?"),
        ("Jaden always gets picked first and it's not fair to the rest of us.", "You feel the picking isn't fair. What would a fairer way of choosing teams look like to you?"),
        ("My dad says he was never good at maths so I won't be either.", "Lots of people feel that way about maths. What have you worked out this term that you couldn't do in September?"),
        ("I got 3/4 because there are three shaded parts and four parts altogether.", "Three shaded out of four parts. Are all four parts the same size, and does that matter for calling it quarters?"),
        ("The pattern goes up by two each time so the tenth one is twenty.", "Up by two each time. What is the first one, and does the tenth really land on twenty if you start there?"),
        ("I think the author wrote it to make us feel sorry for the wolf.", "Feel sorry for the wolf. Which part of the story changed how you felt about him?"),
        ("We should use a bar graph because it shows the different pets better.", "A bar graph for the pets. What would a line graph show badly here that a bar graph shows well?"),
        ("Dividing always makes a number smaller.", "Always smaller? Try dividing six by one half: how many halves fit into six?"),
    ];

    private static (float[] Student, float[] Reply, IReadOnlyList<float[]> Clauses) Embed(string student, string reply)
    {
        var s = Encoder.Encode([student])[0];
        var r = Encoder.EncodeWithSpans(reply, ClauseSplitter.Split(reply));
        return (s, r.Text, r.Spans);
    }

    private static UptakeResult Score(string student, string reply)
    {
        var (s, r, clauses) = Embed(student, reply);
        return UptakeScorer.Score(student, reply, s, r, clauses);
    }

    /// <summary>The student's words as a gamer would give them back: without the full stop, pronouns turned round.</summary>
    private static string Words(string student, bool turnPronouns)
    {
        var text = student.TrimEnd('.', '!', '?');
        if (!turnPronouns) return text;
        var map = new Dictionary<string, string> { ["I"] = "you", ["my"] = "your", ["me"] = "you", ["I'm"] = "you're", ["we"] = "you" };
        return string.Join(' ', text.Split(' ').Select(w => map.TryGetValue(w, out var m) ? m : w));
    }

    public static IEnumerable<(string Family, Func<string, string> Make)> Gamings()
    {
        yield return ("verbatim echo", s => s);
        yield return ("echo without the full stop", s => Words(s, false) + "?");
        yield return ("so you're saying … tell me more", s => $"So you're saying {Words(s, true)}? Tell me more.");
        yield return ("you said … interesting", s => $"You said {Words(s, true)}. Interesting.");
        yield return ("I hear you saying …", s => $"Okay. I hear you saying {Words(s, true)}.");
        yield return ("… right? good", s => $"{Words(s, false)}, right? Good.");
    }

    [Fact]
    public void Echoes_and_formulaic_revoicing_score_below_a_reply_that_builds_on_the_idea()
    {
        var failures = new List<string>();
        int cases = 0;
        var goodScores = new List<double>();
        var gamedScores = new List<double>();
        foreach (var (student, good) in Contexts)
        {
            var goodResult = Score(student, good);
            Assert.Equal(UptakeGuard.None, goodResult.Guard);
            goodScores.Add(goodResult.Score);
            foreach (var (family, make) in Gamings())
            {
                var gamed = make(student);
                var result = Score(student, gamed);
                cases++;
                gamedScores.Add(result.Score);
                if (result.Score >= goodResult.Score)
                    failures.Add($"[{family}] “{gamed}” {result.Score} >= good “{good}” {goodResult.Score}");
            }
        }
        TestContext.Current.SendDiagnosticMessage($"good replies: min {goodScores.Min()} median {goodScores.Order().ElementAt(goodScores.Count / 2)}; gamed: max {gamedScores.Max()}");
        Assert.True(Contexts.Length >= 20);
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} gamed replies beat the good reply:\n" + string.Join('\n', failures));
    }

    [Fact]
    public void The_guard_says_plainly_that_the_words_were_given_back()
    {
        var student = "I think it's twelve because three groups of four is twelve.";
        var echo = UptakeScorer.Score(student, student, speaker: "Jaden");
        Assert.Equal(UptakeGuard.Echo, echo.Guard);
        Assert.StartsWith("You repeated Jaden's words back without adding anything: “", echo.Reason);
        Assert.True(echo.Score <= UptakeScorer.EchoCap);

        var formula = Score(student, "So you're saying you think it's twelve because three groups of four is twelve? Tell me more.");
        Assert.Equal(UptakeGuard.FormulaicRevoice, formula.Guard);
        Assert.Contains("three groups of four is twelve", formula.Reason);
    }

    // Read in a whole conversation: "I can see why you're upset. You wrote what you were taught, and this mock counts." names a
    // feeling Ayesha did not name, and was capped as her words in a set phrase. The integrity check already read such a reply
    // as a reflection; the echo guard now does too. Her words with only a frame are still an echo.
    [Fact]
    public void Their_words_with_a_feeling_they_did_not_name_are_not_an_echo()
    {
        const string line = "I wrote exactly what we're taught in biology: breaking the phosphate bond in ATP releases energy. This mock counts towards my predicted grade.";
        Assert.Equal(UptakeGuard.None, Score(line, "I can see why you're upset. You wrote what you were taught, and this mock counts.").Guard);
        Assert.NotEqual(UptakeGuard.None, Score(line, "I can see you wrote what you were taught, and this mock counts.").Guard);
    }

    [Fact]
    public void Short_answers_repeated_back_are_ordinary_teaching_not_an_echo()
    {
        // "Twelve." → "Twelve." is how teachers confirm a short answer; the guard waits for a few words.
        Assert.Equal(UptakeGuard.None, UptakeScorer.Score("Twelve.", "Twelve.").Guard);
        Assert.Equal(UptakeGuard.None, UptakeScorer.Score("It's a square.", "A square?").Guard);
    }

    [Fact]
    public void Pressing_for_reasoning_with_the_students_words_is_not_an_echo()
    {
        var student = "The bigger number always goes first when you subtract.";
        Assert.Equal(UptakeGuard.None, UptakeScorer.Score(student, "Why does the bigger number always go first when you subtract?").Guard);
        // Asking what they meant, in words they did not use, is the same.
        Assert.Equal(UptakeGuard.None, UptakeScorer.Score("We counted to see how many twirls.", "How many twirls? What do you mean?").Guard);
        // A question that was theirs to begin with is not.
        Assert.NotEqual(UptakeGuard.None, UptakeScorer.Score("I don't know what you mean by remainder.", "You don't know what I mean by remainder.").Guard);
    }

    [Fact]
    public void Same_input_gives_the_same_judgement()
    {
        var (student, good) = Contexts[0];
        var first = Score(student, good);
        for (int i = 0; i < 3; i++)
        {
            var again = Score(student, good);
            Assert.Equal(first.Score, again.Score);
            Assert.Equal(first.Reason, again.Reason);
            Assert.Equal(first.Evidence, again.Evidence);
            Assert.Equal(first.Features, again.Features);
        }
    }

    [Fact]
    public void Scoring_given_the_embeddings_takes_about_a_millisecond_at_most()
    {
        var (student, good) = Contexts[3];
        var (s, r, clauses) = Embed(student, good);
        UptakeScorer.Score(student, good, s, r, clauses);
        const int runs = 2000;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        for (int i = 0; i < runs; i++) UptakeScorer.Score(student, good, s, r, clauses);
        var mean = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds / runs;
        TestContext.Current.SendDiagnosticMessage($"uptake scoring: {mean:F3} ms per reply");
        // A guard against gross regressions (a quadratic blow-up, a model reloaded per call), not a benchmark:
        // the machine running the tests is shared, so the bound is loose.
        Assert.True(mean < 2, $"{mean:F3} ms per reply");
    }

    [Fact]
    public void Every_feature_contribution_is_named()
    {
        var (student, good) = Contexts[1];
        var result = Score(student, good);
        Assert.Equal(UptakeFeatures.Names.Length, UptakeFeatures.Names.Distinct().Count());
        Assert.All(result.Contributions, c => Assert.Contains(c.Feature, UptakeFeatures.Names));
        Assert.NotEmpty(result.Contributions);
    }

    [Fact]
    public void A_generic_acknowledgement_scores_below_a_follow_up()
    {
        var (student, good) = Contexts[5];
        Assert.True(Score(student, "Okay, good job.").Score < Score(student, good).Score);
    }
}
