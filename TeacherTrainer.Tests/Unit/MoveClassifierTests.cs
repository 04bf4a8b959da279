using Microsoft.Extensions.DependencyInjection;
using TeacherTrainer.ApiService.Evaluation;
using Microsoft.Extensions.AI;
using TeacherTrainer.ApiService.AI;
using TeacherTrainer.ApiService.Scenarios;
using TeacherTrainer.ApiService.Simulation;

namespace TeacherTrainer.Tests.Unit;

/// <summary>
/// The move classifier on replies written apart from its training examples (TestData/move-holdout.tsv,
/// 20 per move; TestData/sincere-replies.tsv, sincere and genuinely harmful replies). Floors and
/// ceilings sit under the measured figures by about two standard errors (the `moves` report:
/// dotnet run -c Release --project TeacherTrainer.Benchmarks -- moves), so noise from a content edit
/// passes and a real regression shows.
/// </summary>
public sealed class MoveClassifierTests
{
    private static readonly EmbeddedMiniLmGenerator Embeddings = new();
    private static readonly Lazy<Task<MoveClassifier>> Classifier = new(() => MoveClassifier.CreateAsync(new MoveCatalog(), Embeddings, CancellationToken.None));

    private const string AndreReply = "Thank you for coming in straight off your shift, Andre. I can hear how hard it is to see Kayla in tears, and you clearly know your maths. Can you tell me what happened at the table last night?";
    private const string PetDeathReply = "Your rabbit Snowy died last night. She was very old, and her body stopped working. She isn't hurting anymore, and she can't come back. It's okay to feel sad.";

    private static async Task<MoveClassification> ClassifyAsync(string reply)
    {
        var classifier = await Classifier.Value;
        var vector = await Embeddings.GenerateVectorAsync(reply);
        return classifier.Classify(reply, vector.Span);
    }

    private static async Task<IReadOnlyList<(string Kind, string Text, MoveClassification Result)>> ClassifyFileAsync(string name)
    {
        var rows = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "TestData", name))
            .Select(l => l.Split('\t')).Where(p => p.Length == 2).Select(p => (Kind: p[0], Text: p[1])).ToList();
        var classifier = await Classifier.Value;
        var vectors = await MoveClassifier.EmbedAsync(Embeddings, rows.Select(r => r.Text).ToList(), CancellationToken.None);
        return rows.Select((r, i) => (r.Kind, r.Text, classifier.Classify(r.Text, vectors[i]))).ToList();
    }

    [Theory]
    [InlineData("It sounds like you're really embarrassed that everyone saw.", Moves.ValidateFeelings)]
    [InlineData("So you're saying the rule felt unfair because you were the only one moved?", Moves.Revoice)]
    [InlineData("Would you rather finish it at lunch or take it home tonight?", Moves.OfferChoice)]
    [InlineData("If you say one more word you're going straight to the head teacher.", Moves.Threat)]
    [InlineData("Oh wonderful, so you've decided to grace us with your presence.", Moves.Sarcasm)]
    [InlineData("You're fine. Just get on with your work.", Moves.Dismissal)]
    [InlineData("What happened just before you walked out?", Moves.OpenQuestion)]
    [InlineData("Okay, thanks.", Moves.Neutral)]
    public async Task Recognises_clear_moves(string reply, string expected)
        => Assert.Equal(expected, (await ClassifyAsync(reply)).Move);

    [Theory]
    [InlineData(AndreReply)]
    [InlineData("ok")]
    [InlineData("OK")]
    [InlineData("You clearly know your maths.")]
    [InlineData(PetDeathReply)]
    [InlineData("If you'd like, you can finish it at lunch.")]
    [InlineData("I need you to put the phone away now, and we'll talk after.")]
    // Thanks with "clearly" to a colleague ("...you've clearly worked hard with that group." was sarcasm at 0.75), and a duty held
    // ("I can't just leave it." was a dismissal at 0.98). Phrased apart from the catalog's own.
    [InlineData("Thanks, you've clearly put real effort into that writing group.")]
    [InlineData("You've clearly done a lot with that reading group.")]
    [InlineData("I can't just ignore what you've told me.")]
    [InlineData("I can't let this go, I'm afraid.")]
    public async Task Sincere_replies_named_in_issue_9_are_not_heard_as_harmful(string reply)
    {
        var result = await ClassifyAsync(reply);
        Assert.False(Moves.IsHarmful(result.Move), $"\"{reply}\" heard as {result.Move} ({result.Confidence})");
    }

    // A question that reasons from a premise ("if it's biased, ...") is how a teacher probes; the catalog has few such questions,
    // and "If it's biased, what could it still tell us?" was sarcasm at 0.51 and scored 29 to Diego. As the judge hears it, a
    // harmful reading short of sure is set aside; a sure one, or a put-down in the question, stands.
    [Theory]
    [InlineData("If it's biased, what could it still tell us?")]
    [InlineData("So if it's biased, what do you think it could still tell us?")]
    [InlineData("If wool made heat, what would a thermometer wrapped in the scarf show?")]
    [InlineData("If breaking bonds released energy, what would making them do?")]
    [InlineData("If she was on the swing first, whose turn was it really?")]
    public async Task A_question_that_reasons_from_their_premise_is_an_open_question(string reply)
    {
        var (_, result) = await HearAsync(reply);
        Assert.True(result.Move == Moves.OpenQuestion && result.HarmfulShare < 0.1, $"\"{reply}\" heard as {result.Move} ({result.Confidence}), harmful {result.HarmfulShare:F2}");
    }

    [Theory]
    [InlineData("So if it's biased, is it useless?", true)]
    [InlineData("If you're so clever, why don't you teach the class?", true)]
    [InlineData("If it's biased, what could it still tell us?", true)]
    [InlineData("If it's biased. What could it still tell us?", false)]
    [InlineData("If wool made heat, what would the thermometer show?", true)]
    public void A_premise_question_is_one_question_with_no_put_down(string reply, bool premise)
        => Assert.Equal(premise && !reply.Contains("useless", StringComparison.Ordinal), MoveClassifier.ReasonsFromAPremise(reply));

    [Fact]
    public async Task A_sure_sneer_put_as_a_premise_question_stands()
    {
        var (whole, heard) = await HearAsync("If you're so clever, why don't you teach the class?");
        Assert.True(Moves.IsHarmful(whole.Move) && whole.HarmfulShare >= MoveClassifier.HarmStandsAlone, $"{whole.Move} {whole.Confidence}: the case no longer shows a sure sneer");
        Assert.Equal(whole.Move, heard.Move);
    }

    // An apology is not praise: Jayden's teacher, crouching beside him, was heard as praising (0.47) and he answered "Don't try
    // and butter me up." As the judge hears it, an apology read as praise is read as acknowledging, unless it praises in so
    // many words.
    [Theory]
    [InlineData("Come over here a sec, Jayden. I'm sorry, I should have thought about how that sheet looks.", Moves.ValidateFeelings)]
    [InlineData("Sorry to interrupt. Well done on that paragraph, it's your best yet.", Moves.SpecificPraise)]
    public async Task An_apology_heard_as_praise_is_heard_as_owning_it(string reply, string expected)
    {
        var (whole, heard) = await HearAsync(reply);
        Assert.True(whole.Move == Moves.SpecificPraise, $"{whole.Move} {whole.Confidence}: the case no longer shows the praise reading");
        Assert.Equal(expected, heard.Move);
    }

    // A limit on what was done is not a brush-off: "It has to stop today, Liam. You're not a bad lad, but that name is hurting
    // him." was heard as dismissal (0.35; its first clause alone 0.51) and scored 26. A clause that brushes the speaker off
    // keeps the dismissal.
    [Theory]
    [InlineData("It has to stop today, Liam. You're not a bad lad, but that name is hurting him.", Moves.SetLimit)]
    [InlineData("This has to stop. Honestly, get over it.", Moves.Dismissal)]
    public async Task A_limit_on_the_behaviour_is_heard_as_a_limit(string reply, string expected)
    {
        var (whole, heard) = await HearAsync(reply);
        Assert.True(whole.Move == Moves.Dismissal, $"{whole.Move} {whole.Confidence}: the case no longer shows the dismissal reading");
        Assert.Equal(expected, heard.Move);
    }

    [Theory]
    [InlineData("It has to stop today, Liam.", true)]
    [InlineData("The nickname needs to stop.", true)]
    [InlineData("Name-calling stops now.", true)]
    [InlineData("Your crying has to stop.", false)]
    [InlineData("This moaning needs to stop.", false)]
    [InlineData("It has to stop, you're being ridiculous.", false)]
    [InlineData("If it doesn't stop, tell me.", false)]
    [InlineData("We don't push, Leo.", true)]
    [InlineData("Pushing hurts people.", true)]
    [InlineData("We don't need to talk about it now.", false)]
    [InlineData("Crying hurts nobody, so stop it.", false)]
    [InlineData("We don't push, you idiot.", false)]
    public void What_must_stop_decides_whether_it_is_a_limit(string reply, bool limits)
        => Assert.Equal(limits, MoveClassifier.LimitsTheBehaviour(reply));

    // Refusing to hear them, or shaming them, is a dismissal however it sounds: "Nobody wants to hear your excuses." was heard as
    // validating their feelings (0.96) and scored 48 to Liam. And telling them they have nothing to be ashamed of reassures:
    // "You've got nothing to be ashamed of, Maya." was heard as sarcasm (0.71).
    [Theory]
    [InlineData("Nobody wants to hear your excuses.", false)]
    [InlineData("You should be ashamed of yourself.", false)]
    [InlineData("I don't want to hear your excuses.", false)]
    [InlineData("You've got nothing to be ashamed of, Maya.", true)]
    [InlineData("There's nothing to be ashamed of.", true)]
    [InlineData("It's nothing to be embarrassed about.", true)]
    public async Task Shame_and_refusal_are_heard_as_dismissal_and_reassurance_as_kind(string reply, bool kind)
    {
        var (whole, heard) = await HearAsync(reply);
        Assert.True(Moves.IsHarmful(whole.Move) == kind, $"{whole.Move} {whole.Confidence}: the case no longer shows the misreading");
        Assert.Equal(kind, !Moves.IsHarmful(heard.Move));
        if (!kind) Assert.Equal(Moves.Dismissal, heard.Move);
    }

    [Theory]
    [InlineData("Nobody wants to hear it.", true, false)]
    [InlineData("Spare me, Liam.", true, false)]
    [InlineData("Shame on you.", true, false)]
    [InlineData("I don't want excuses, I want to hear your side.", false, false)]
    [InlineData("You shouldn't be ashamed of asking.", false, true)]
    [InlineData("There's no shame in getting it wrong.", false, true)]
    [InlineData("You've done nothing wrong by telling me.", false, true)]
    [InlineData("Nothing to be ashamed of? You should be ashamed.", true, false)]
    [InlineData("It's nothing to cry about.", false, false)]
    public void What_refuses_or_shames_and_what_reassures(string reply, bool refuses, bool reassures)
    {
        Assert.Equal(refuses, MoveClassifier.RefusesOrShames(reply));
        Assert.Equal(reassures, MoveClassifier.Reassures(reply));
    }

    // A conditional on their wish, or for a hard moment, that offers something is not a threat: the "if you ..., I'll" of
    // "If you do that again, I'll ring your mum" made these threats (0.89, 0.97, 0.50), and they scored 24, 46 and 18.
    [Theory]
    [InlineData("If you need to check it, you can step outside and I'll cover for you.")]
    [InlineData("If your head goes blank again, put your pencil down and take three breaths.")]
    [InlineData("If you'd rather sit in the hall, I'll talk to the exams officer about a desk at the back.")]
    public async Task A_conditional_on_their_terms_is_not_a_threat(string reply)
    {
        var (whole, heard) = await HearAsync(reply);
        Assert.True(whole.Move == Moves.Threat, $"{whole.Move} {whole.Confidence}: the case no longer shows the misreading");
        Assert.False(Moves.IsHarmful(heard.Move), $"{heard.Move} {heard.Confidence}");
        Assert.Equal(0, heard.Probabilities[Moves.Threat]);
    }

    [Theory]
    [InlineData("If you'd like, I'll read the first page with you.", true)]
    [InlineData("If you want the proper one, you can have it, and I'll sit next to you.", true)]
    [InlineData("If it gets too much, come and find me.", true)]
    [InlineData("If you want to keep it, you'll be in isolation.", false)]
    [InlineData("If you want to go to isolation, I can arrange that.", false)]
    [InlineData("If you want to be treated like an adult, act like one.", false)]
    [InlineData("If you don't tidy up now, Kofi, there'll be no Lego tomorrow.", false)]
    [InlineData("If you keep shouting, I'll call your mum.", false)]
    public void A_condition_is_theirs_only_when_it_offers_and_sanctions_nothing(string reply, bool offers)
        => Assert.Equal(offers, MoveClassifier.OffersOnTheirTerms(reply));

    // Giving in with a shrug hands the matter back and leaves it: "Fine, put her on Foundation then." was heard as neutral
    // (0.61) and scored 62 to the head of maths, near "I'll back the move to Foundation" by its topic.
    [Theory]
    [InlineData("Fine, put her on Foundation then.")]
    [InlineData("Have it your way. Put her on Foundation.")]
    [InlineData("Okay, fine. Move her then, it's your call.")]
    public async Task Giving_in_with_a_shrug_is_heard_as_dismissal(string reply)
    {
        var (whole, heard) = await HearAsync(reply);
        Assert.True(!Moves.IsHarmful(whole.Move), $"{whole.Move} {whole.Confidence}: the case no longer shows the misreading");
        Assert.Equal(Moves.Dismissal, heard.Move);
    }

    // Sarcasm can live between the clauses: each clause alone is praise or a question, and the whole is sarcasm. A reply that
    // opens by exclaiming praise keeps that reading without a clause to confirm it.
    [Theory]
    [InlineData("Great, you wrote their sentences for them. What next, their names?")]
    [InlineData("Brilliant, a broken experiment. Could it be that the wool doesn't make heat?")]
    [InlineData("You're so right, we could teach it in our sleep. Is that where you've been planning it?")]
    public async Task Sarcasm_between_the_clauses_of_exclaimed_praise_stands(string reply)
    {
        var (whole, heard) = await HearAsync(reply);
        Assert.Equal(Moves.Sarcasm, whole.Move);
        Assert.Equal(Moves.Sarcasm, heard.Move);
    }

    [Theory]
    [InlineData("Fine, do what you want.", true)]
    [InlineData("Suit yourself.", true)]
    [InlineData("If you say so.", true)]
    [InlineData("Fine, whatever, call him what you like then.", true)]
    [InlineData("Whatever, think what you like.", true)]
    [InlineData("You can call him whatever he likes to be called.", false)]
    [InlineData("Fine, let's look at it again after the mock then.", false)]
    [InlineData("You can do what you like with the first ten minutes.", false)]
    [InlineData("That's fine, we'll try it your way this week.", false)]
    public void What_gives_in_with_a_shrug(string reply, bool givesIn)
        => Assert.Equal(givesIn, MoveClassifier.GivesIn(reply));

    [Theory]
    [InlineData("Oh, Bia. You are not stupid.", "Bia. You are not stupid.")]
    [InlineData("Oh, sweetheart, that's horrible.", "sweetheart, that's horrible.")]
    [InlineData("Aw, Maya. Come here.", "Maya. Come here.")]
    [InlineData("Okay. Oh no, your pen broke!", "Okay. no, your pen broke!")]
    [InlineData("Oh great, the comedian's back.", "Oh great, the comedian's back.")]
    [InlineData("Oh wonderful, you've graced us with your presence.", "Oh wonderful, you've graced us with your presence.")]
    [InlineData("Oh, that's brilliant news.", "Oh, that's brilliant news.")]
    public void Only_an_oh_that_calls_to_them_is_taken_out(string reply, string plain)
        => Assert.Equal(plain, MoveClassifier.WithoutInterjections(reply));

    // Speaking kindly of someone else mocks nobody: "They're so proud of their books." (sarcasm 0.65, near "You must be so proud
    // of that effort.") and "I wonder if they're leaning on us for the tricky bits." (0.76) were heard as sarcasm to the TA.
    [Theory]
    [InlineData("They have, and they're so proud of their books.", true)]
    [InlineData("I wonder if they're leaning on us for the tricky bits.", true)]
    [InlineData("He was so pleased with his rocket this morning.", true)]
    [InlineData("I wonder whether she's finding the new class hard.", true)]
    [InlineData("You must be so proud of yourself.", false)]
    [InlineData("I wonder if you'll ever learn.", false)]
    [InlineData("I wonder if he'll ever grow up.", false)]
    [InlineData("He's so proud of his scribbles, bless him.", false)]
    [InlineData("She's so proud of being lazy, isn't she.", false)]
    public void What_speaks_kindly_of_someone_else(string clause, bool speaksOfOthers)
        => Assert.Equal(speaksOfOthers, MoveClassifier.SpeaksOfOthers(clause));

    [Theory]
    [InlineData("You might have meant it as a joke, and I don't think you're a bad lad.", true)]
    [InlineData("You're not a bad kid, Leo.", true)]
    [InlineData("You're not a bad lad, but if it happens again you're in detention.", false)]
    [InlineData("You're not a bad lad, you're just thick.", false)]
    public void Telling_them_they_are_not_bad_reassures(string reply, bool reassures)
        => Assert.Equal(reassures, MoveClassifier.Reassures(reply));

    // Minimising a feeling brushes it off, however warm it sounds: "Cheer up, Sofia. Pickles wouldn't want you to be sad." was
    // heard as validating (0.92) and scored 71; "You'll be fine. Off you go to lunch." as a threat (0.91).
    [Theory]
    [InlineData("Cheer up, Sofia. Pickles wouldn't want you to be sad.")]
    [InlineData("It's probably not as bad as you think.")]
    [InlineData("You can get a new puppy, Sofia!")]
    [InlineData("You'll be fine. Off you go to lunch.")]
    public async Task Minimising_a_feeling_is_heard_as_dismissal(string reply)
    {
        var (whole, heard) = await HearAsync(reply);
        Assert.True(whole.Move != Moves.Dismissal, $"{whole.Move} {whole.Confidence}: the case no longer shows the misreading");
        Assert.Equal(Moves.Dismissal, heard.Move);
    }

    [Theory]
    [InlineData("Cheer up, it's not that bad.", true)]
    [InlineData("You just need to practise more and you'll be fine.", true)]
    [InlineData("That sounds really scary. You'll be fine though, I'll be right here.", false)] // names the feeling first
    [InlineData("You'll be fine if you take it one question at a time.", false)]
    [InlineData("You just need to tell me when you're ready.", false)]
    [InlineData("It's okay to be sad.", false)]
    public void What_minimises_a_feeling(string reply, bool minimises)
        => Assert.Equal(minimises, MoveClassifier.Minimises(reply));

    // A gentle correction is the commonest thing a tutor says, and it is not a put-down. Phrased apart from the
    // catalog's own "Not quite." examples.
    [Theory]
    [InlineData("Not quite, look at the second line again.")]
    [InlineData("Nearly! Check your units.")]
    [InlineData("Hmm, that's not quite it yet.")]
    [InlineData("Almost there. Which number did you add?")]
    [InlineData("Not quite. The area is 24 square centimetres because 6 x 4 = 24.")]
    public async Task A_gentle_correction_is_not_heard_as_harmful(string reply)
    {
        var result = await ClassifyAsync(reply);
        Assert.False(Moves.IsHarmful(result.Move), $"\"{reply}\" heard as {result.Move} ({result.Confidence})");
    }

    // A closed question about a fact offers no choice and harms nobody ("Do you have any pets at home?" was heard as
    // offering a choice, and the persona eased: "you offered a real choice"). Phrased apart from the catalog's own.
    [Theory]
    [InlineData("Is your dad working today?")]
    [InlineData("Have you been to the library this week?")]
    [InlineData("Do you take the bus to school?")]
    [InlineData("Is your sister at this school too?")]
    [InlineData("Did you remember your water bottle?")]
    public async Task A_closed_question_about_a_fact_offers_no_choice(string reply)
    {
        var result = await ClassifyAsync(reply);
        Assert.False(Moves.IsHarmful(result.Move) || result.Move == Moves.OfferChoice, $"\"{reply}\" heard as {result.Move} ({result.Confidence})");
    }

    // Reassurance is not a put-down ("You're not in trouble." was heard as dismissal at 0.76), and a request that sets up
    // a next step is not praise ("Next time, could you write a little note...?" was heard as specific praise, and the
    // parent answered "Thank you. I'll tell him that tonight."). Phrased apart from the catalog's own.
    [Theory]
    [InlineData("You're not in trouble.")]
    [InlineData("Don't worry, nobody thinks you're in trouble.")]
    [InlineData("You did nothing wrong.")]
    [InlineData("Nobody's angry with you, sweetheart.")]
    // A sanction ruled out is the opposite of a threat ("Nobody is going to give you a detention for this." was a threat at 0.89).
    [InlineData("Okay. It's your call, and I'm not going to ring your mum behind your back.")]
    [InlineData("Nobody is going to give you a detention for this.")]
    [InlineData("You're not going to be sent out.")]
    [InlineData("I won't phone home about this.")]
    // Home kept out until the student has a say ("I won't ring your mum without talking to you first." was a threat, scored 10).
    [InlineData("I won't ring your mum without talking to you first.")]
    [InlineData("I won't tell your dad unless you want me to.")]
    // A put-down word said to no one ("But biased doesn't always mean useless." was a dismissal at 0.98, "You're not useless at
    // maths..." at 0.60), and a welcome ("Of course, I've always got a minute." was sarcasm at 0.98, and the parent said "Sorry, I
    // didn't mean to be a nuisance").
    [InlineData("You're not useless at maths, you just haven't had the right help.")]
    [InlineData("That doesn't make you stupid.")]
    [InlineData("You're not lazy, you're exhausted.")]
    [InlineData("Of course, I've always got a minute.")]
    // Her name protected ("I can't promise nobody will ever know, but I'll keep your name out of it as far as I can." was a threat at 0.86, scored 26 to Noor).
    [InlineData("I can't promise nobody will ever know, but I'll keep your name out of it as far as I can.")]
    [InlineData("We'll keep your name out of it.")]
    public async Task Reassurance_is_not_heard_as_harmful(string reply)
    {
        var result = await ClassifyAsync(reply);
        Assert.False(Moves.IsHarmful(result.Move), $"\"{reply}\" heard as {result.Move} ({result.Confidence})");
    }

    [Theory]
    [InlineData("Next time, could you write a little note on what he did on his own? That helps me mark it fairly.")]
    [InlineData("Could you jot down how long it took her?")]
    [InlineData("Would you be able to read with him for ten minutes after tea?")]
    public async Task A_request_for_a_next_step_is_not_praise(string reply)
    {
        var result = await ClassifyAsync(reply);
        Assert.False(Moves.IsHarmful(result.Move) || result.Move == Moves.SpecificPraise, $"\"{reply}\" heard as {result.Move} ({result.Confidence})");
    }

    // Read in whole conversations, each was heard as praise and answered as praise ("Flattery's not going to move her off the
    // list."). The catalog examples added for them are phrased apart.
    [Theory]
    [InlineData("Her mock was a 4, but she dropped marks on two topics we've since retaught. Her last three tests were 5s.")]
    [InlineData("The reading pen can read any word you get stuck on. Nobody will notice, it looks like a highlighter.")]
    [InlineData("Thanks for coming, Jaylen. I'm not accusing you of anything. I just want to hear how you wrote it.")]
    [InlineData("Quick word, just us. That comment from Tyler would have stung, and I'll deal with it after the lesson.")]
    public async Task Evidence_a_support_explained_and_reassurance_are_not_praise(string reply)
    {
        var result = await ClassifyAsync(reply);
        Assert.False(Moves.IsHarmful(result.Move) || result.Move == Moves.SpecificPraise, $"\"{reply}\" heard as {result.Move} ({result.Confidence})");
    }

    [Theory]
    [InlineData("Ring your mum or I will.")]
    [InlineData("If you don't stop, I'm ringing home.")]
    [InlineData("Keep going like this and you'll be in detention.")]
    [InlineData("Unless you hand it over now, I'm calling your mum.")]
    public async Task A_sanction_held_over_someone_is_still_a_threat(string reply)
        => Assert.Equal(Moves.Threat, (await ClassifyAsync(reply)).Move);

    [Theory]
    [InlineData("You're an idiot.")]
    [InlineData("I can see you're upset. Oh great, another tantrum, just what we needed.")]
    public async Task Plain_harm_is_still_heard(string reply)
    {
        var result = await ClassifyAsync(reply);
        Assert.True(Moves.IsHarmful(result.Move), $"\"{reply}\" heard as {result.Move}");
    }

    [Fact]
    public async Task Probabilities_cover_every_move_and_sum_to_one()
    {
        var result = await ClassifyAsync("Let's agree on a signal you can use when you need a break.");
        Assert.Equal(Moves.All.Order(), result.Probabilities.Keys.Order());
        Assert.InRange(result.Probabilities.Values.Sum(), 0.999, 1.001);
        Assert.Equal(result.Probabilities.MaxBy(p => p.Value).Key, result.Move);
        Assert.DoesNotContain(result.Move, result.AlsoDetected);
    }

    [Fact]
    public async Task Is_deterministic_across_trainings()
    {
        var first = await ClassifyAsync("Let's agree on a signal you can use when you need a break.");
        var retrained = await MoveClassifier.CreateAsync(new MoveCatalog(), Embeddings, CancellationToken.None);
        var vector = await Embeddings.GenerateVectorAsync("Let's agree on a signal you can use when you need a break.", cancellationToken: TestContext.Current.CancellationToken);
        var second = retrained.Classify("Let's agree on a signal you can use when you need a break.", vector.Span);
        Assert.Equal(first.Move, second.Move);
        Assert.Equal(first.Probabilities, second.Probabilities);
    }

    /// <summary>Measured 0.917 (220/240); per move 0.75 to 1.00 (sarcasm lowest).</summary>
    [Fact]
    public async Task Classifies_held_out_replies_well()
    {
        var results = await ClassifyFileAsync("move-holdout.tsv");
        var misses = results.Where(r => r.Result.Move != r.Kind).Select(r => $"{r.Kind} -> {r.Result.Move}: {r.Text}").ToList();
        var accuracy = 1 - misses.Count / (double)results.Count;
        TestContext.Current.SendDiagnosticMessage($"move accuracy {accuracy:F3}\n" + string.Join("\n", misses));
        Assert.True(accuracy >= 0.86, $"accuracy {accuracy:F3}\n" + string.Join("\n", misses));

        foreach (var move in Moves.All)
        {
            var ofMove = results.Where(r => r.Kind == move).ToList();
            Assert.True(ofMove.Count >= 20, $"{move}: only {ofMove.Count} held-out replies");
            var recall = ofMove.Count(r => r.Result.Move == move) / (double)ofMove.Count;
            // Helpful moves and neutral measured 0.90-1.00; the harmful ones 0.75-0.90 (sarcasm without cue words is the hardest).
            var floor = Moves.IsHarmful(move) ? 0.55 : 0.70;
            Assert.True(recall >= floor, $"{move} recall {recall:F2} < {floor}\n" + string.Join("\n", misses));
        }
    }

    private static readonly Lazy<ReplyEncoder> Encoder = new(() => EvaluationServices.CreateInProcess().GetRequiredService<ReplyEncoder>());

    private static async Task<(MoveClassification Whole, MoveClassification Heard)> HearAsync(string reply)
    {
        var classifier = await Classifier.Value;
        var encoded = await Encoder.Value.EncodeReplyAsync(reply, CancellationToken.None);
        return (classifier.Classify(reply, encoded.Vector), await classifier.HearAsync(encoded, Encoder.Value.EncodeReplyAsync, CancellationToken.None));
    }

    // Read in whole conversations: an honest concession to Lucía and praise of what Jayden knows were heard as sarcasm, and
    // no part of either is. A harmful reading of several clauses, short of 0.6, needs a clause that is harmful on its own.
    [Theory]
    [InlineData("Let me see. Yep, all twenty, and all right. Honestly, that was too easy for you, wasn't it?")]
    [InlineData("Wow, you know loads. You knew she burned London, that's more than most of the class.")]
    [InlineData("I like that you're questioning the results, that's what real scientists do. Let's test your theory: where were all four cups during the experiment?")]
    public async Task A_harmful_reading_no_part_of_the_reply_bears_out_is_set_aside(string reply)
    {
        var (whole, heard) = await HearAsync(reply);
        Assert.True(Moves.IsHarmful(whole.Move), $"{whole.Move} {whole.Confidence}: the case no longer shows the misreading");
        Assert.False(Moves.IsHarmful(heard.Move), $"{heard.Move} {heard.Confidence}");
        Assert.All(heard.Probabilities.Where(p => Moves.IsHarmful(p.Key)), p => Assert.Equal(0, p.Value));
    }

    // Filip's teacher checked the test was fair, then asked why we wear wool: heard as sarcasm (0.75) as a whole, though each
    // clause alone is surely something else ("Okay." neutral 1.00, "So if it was fair, something surprising happened." revoicing
    // 0.92, the question 1.00). A sure harmful reading is set aside when every clause alone is surely not harmful.
    [Fact]
    public async Task A_sure_harmful_reading_is_set_aside_when_every_clause_is_surely_something_else()
    {
        var (whole, heard) = await HearAsync("Okay. So if it was fair, something surprising happened. Why do you think we wear wool when it's cold?");
        Assert.True(Moves.IsHarmful(whole.Move) && whole.Confidence >= MoveClassifier.HarmStandsAlone, $"{whole.Move} {whole.Confidence}: the case no longer shows the misreading");
        Assert.False(Moves.IsHarmful(heard.Move), $"{heard.Move} {heard.Confidence}");
    }

    [Theory]
    [InlineData("Wow, okay. Good to know you think I'm a total failure.", true)] // sure as a whole (0.67), though no clause alone is
    [InlineData("Thanks for sharing. You are such a waste of time.", true)]
    [InlineData("She's crying over homework? She needs to toughen up.", false)] // 0.46 as a whole, "She's crying over homework?" 0.64
    [InlineData("Your dog died? Well, that's life. Back to work.", false)]
    [InlineData("I'll make sure the head knows exactly how rude you've been, and you can explain it to her.", false)]
    public async Task A_harmful_reading_that_is_sure_or_borne_out_by_a_clause_stands(string reply, bool sure)
    {
        var (whole, heard) = await HearAsync(reply);
        Assert.True(Moves.IsHarmful(whole.Move), $"{whole.Move} {whole.Confidence}");
        Assert.Equal(sure, whole.Confidence >= MoveClassifier.HarmStandsAlone);
        Assert.Equal((whole.Move, whole.Confidence), (heard.Move, heard.Confidence));
    }

    /// <summary>
    /// The written harmful replies the classifier catches are still caught as the judge hears them, but for one: "Great, you
    /// wrote their sentences for them. What next, their names?" to the TA is sarcasm only across its clauses (its praise alone
    /// is praise, its question alone a question), so hearing it clause by clause sets the reading aside. It joined the file
    /// with 130 more sarcastic and sincere replies in 2026-12-07's batches; no other is lost. Three more like it ("Brilliant, a
    /// broken experiment. Could it be that the wool doesn't make heat?") are kept because they open by exclaiming praise.
    /// </summary>
    [Fact]
    public async Task Hearing_clause_by_clause_loses_at_most_one_harmful_reply()
    {
        var written = await ClassifyFileAsync("sincere-replies.tsv");
        var lost = new List<string>();
        foreach (var (kind, text, result) in written.Where(r => r.Kind == "harmful" && Moves.IsHarmful(r.Result.Move)))
            if ((await HearAsync(text)).Heard is { } heard && !Moves.IsHarmful(heard.Move)) lost.Add($"{text}: {heard.Move}");
        Assert.True(lost.Count <= 1, string.Join("\n", lost));
    }

    // Played through the Year 12 chemistry scenario: a question about how the world works was heard as offering a choice
    // (its "or", and magnets as in "the magnets or the batteries"), and Aisha answered "Later is fine". A choice needs a chooser.
    [Theory]
    [InlineData("Can I ask you something? When you pull two magnets apart, do you have to put energy in or does energy come out?")]
    [InlineData("If you pulled two atoms apart, would you put energy in or get it out?")]
    public async Task A_question_about_how_the_world_works_is_not_heard_as_offering_a_choice(string reply)
    {
        var (whole, heard) = await HearAsync(reply);
        Assert.True(whole.Move == Moves.OfferChoice, $"{whole.Move} {whole.Confidence}: the case no longer shows the misreading");
        Assert.Equal(Moves.OpenQuestion, heard.Move);
        Assert.Equal(0, heard.Probabilities[Moves.OfferChoice]);
        // The share set aside goes to the kind moves only: no harmful reading is made surer by it.
        // (The second reasons from a premise, so what little harm it was read as is set aside too.)
        Assert.All(heard.Probabilities.Where(p => Moves.IsHarmful(p.Key)), p => Assert.True(p.Value <= whole.Probabilities[p.Key]));
    }

    [Theory]
    [InlineData("Would you like to do it now or after lunch?", true)]
    [InlineData("Tea or coffee while we talk?", true)] // a bare pair of options
    [InlineData("Same text as the table with the pen, or I read it to a group of you?", true)] // the teacher offers to do the other
    [InlineData("Lunch or after school for the catch-up, what suits you?", true)]
    [InlineData("You get to decide: the poem or the short story for your assessment.", true)]
    [InlineData("When you pull two magnets apart, do you have to put energy in or does energy come out?", false)]
    [InlineData("Book away, or it's mine until Friday.", false)]
    [InlineData("Does the heavier ball land first or at the same time as the lighter one?", false)]
    public void A_choice_leaves_something_to_the_listener(string reply, bool leaves)
        => Assert.Equal(leaves, MoveClassifier.LeavesAChoice(reply));

    // Played through the head of maths: a proposal put as a question was heard as an open question (0.95), and Adaeze
    // answered "Why are you asking me? I've told you the risk." A question that puts forward something to do is a plan.
    [Theory]
    [InlineData("What if she sits the March mock on Higher, and we look at it again after the results?")]
    [InlineData("What if you kept it face down on my desk, on silent?")]
    [InlineData("Why don't we put it on the shelf so it's safe?")]
    public async Task A_proposal_put_as_a_question_is_heard_as_a_plan(string reply)
    {
        var (whole, heard) = await HearAsync(reply);
        Assert.True(whole.Move == Moves.OpenQuestion, $"{whole.Move} {whole.Confidence}: the case no longer shows the misreading");
        Assert.Equal(Moves.PlanTogether, heard.Move);
        Assert.Equal(0, heard.Probabilities[Moves.OpenQuestion]);
        // (The second reasons from a premise, so what little harm it was read as is set aside too.)
        Assert.All(heard.Probabilities.Where(p => Moves.IsHarmful(p.Key)), p => Assert.True(p.Value <= whole.Probabilities[p.Key]));
    }

    [Theory]
    [InlineData("What if she sits the March mock on Higher, and we look at it again after the results?", true)]
    [InlineData("How about I check in with him at registration, and you ask him at tea time?", true)]
    [InlineData("What about trying the first question together?", true)]
    [InlineData("How about it sits face up on my desk, sound on, and if it goes you step out?", true)]
    [InlineData("How about it?", false)]
    [InlineData("What if we started with the counters?", true)]
    [InlineData("What if you got to be the one who explains the next one to the class, properly?", true)]
    [InlineData("What if you had a go at the next one on your own?", true)]
    [InlineData("What if you got it wrong?", false)]
    [InlineData("What if you had failed it?", false)]
    [InlineData("What if you're wrong about her?", false)]
    [InlineData("What if she failed it?", false)]
    [InlineData("What if it doesn't work?", false)]
    [InlineData("What if I'm wrong?", false)]
    [InlineData("Why don't you want to come to the carpet?", false)]
    [InlineData("How about you?", false)]
    public void A_question_proposes_only_in_a_proposing_frame(string reply, bool proposes)
        => Assert.Equal(proposes, MoveClassifier.ProposesInAQuestion(reply));

    /// <summary>Every offer of a choice in the catalog and in the held-out replies leaves the listener a say.</summary>
    [Fact]
    public async Task Every_written_offer_of_a_choice_leaves_one()
    {
        var written = new MoveCatalog()[Moves.OfferChoice].Examples
            .Concat((await ClassifyFileAsync("move-holdout.tsv")).Where(r => r.Kind == Moves.OfferChoice).Select(r => r.Text)).ToList();
        Assert.True(written.Count >= 90, $"{written.Count}");
        Assert.All(written, text => Assert.True(MoveClassifier.LeavesAChoice(text), text));
    }

    /// <summary>
    /// Sincere replies (held-out non-harmful moves plus sincere-replies.tsv) heard as harmful by the judge (<see cref="MoveClassifier.HearAsync"/>):
    /// measured 18/364 (0.049; fourteen of them sincere praise or agreement, most opening "Wow", "Honestly", "Great", "Of
    /// course" or "You're so right"); harmful replies heard as some harmful move: 143/185 (0.773). Both fell when 2026-12-07's
    /// batches joined the file (65 sincere replies that praise or agree, 65 sarcastic ones, many with a question after the
    /// praise): 8/299 and 101/120 before. 16 firm limits and 6 brush-offs joined late on the morning of 2026-12-07: 18/380 and 149/191, none of
    /// the new ones misheard. The ceiling and the floor sit four replies from the measures. The classifier alone is only reported:
    /// every misreading found joins the file, so its raw rate on the file rises as the file grows.
    /// </summary>
    [Fact]
    public async Task Harm_needs_strong_evidence_yet_is_still_caught()
    {
        var holdout = await ClassifyFileAsync("move-holdout.tsv");
        var written = await ClassifyFileAsync("sincere-replies.tsv");
        var sincere = holdout.Where(r => !Moves.IsHarmful(r.Kind)).Concat(written.Where(r => r.Kind == "sincere")).ToList();
        var harmful = holdout.Where(r => Moves.IsHarmful(r.Kind)).Concat(written.Where(r => r.Kind == "harmful")).ToList();
        Assert.True(written.Count(r => r.Kind == "sincere") >= 180 && written.Count(r => r.Kind == "harmful") >= 120);

        var falseHarm = new List<string>();
        foreach (var r in sincere)
            if ((await HearAsync(r.Text)).Heard is { } heard && Moves.IsHarmful(heard.Move)) falseHarm.Add($"{heard.Move}: {r.Text}");
        var missedHarm = new List<string>();
        foreach (var r in harmful)
            if ((await HearAsync(r.Text)).Heard is { } heard && !Moves.IsHarmful(heard.Move)) missedHarm.Add($"{heard.Move}: {r.Text}");
        var falseHarmRate = falseHarm.Count / (double)sincere.Count;
        var harmRecall = 1 - missedHarm.Count / (double)harmful.Count;
        TestContext.Current.SendDiagnosticMessage($"as heard: sincere->harmful {falseHarmRate:F3}, harmful recall {harmRecall:F3}; the classifier alone: " +
            $"sincere->harmful {sincere.Count(r => Moves.IsHarmful(r.Result.Move)) / (double)sincere.Count:F3}, harmful recall {harmful.Count(r => Moves.IsHarmful(r.Result.Move)) / (double)harmful.Count:F3}");
        Assert.True(falseHarmRate <= 0.06, $"sincere->harmful {falseHarmRate:F3}\n" + string.Join("\n", falseHarm));
        Assert.True(harmRecall >= 0.75, $"harmful recall {harmRecall:F3}\n" + string.Join("\n", missedHarm));
    }
}

/// <summary>The persona with the twelfth move: a neutral reply changes nothing and is answered from the bank.</summary>
public sealed class NeutralMoveTests
{
    private static readonly ScenarioDocument Scenario = System.Text.Json.JsonSerializer.Deserialize<ScenarioDocument>(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Content", "Scenarios", "year1-lego-rocket-tidy-up-refusal.json")),
        ScenarioDocument.JsonOptions)!;

    [Fact]
    public void Neutral_is_a_known_move_that_is_not_harmful()
    {
        Assert.Contains(Moves.Neutral, Moves.All);
        Assert.False(Moves.IsHarmful(Moves.Neutral));
        Assert.Equal("Neutral / unclear", new MoveCatalog().NameOf(Moves.Neutral));
    }

    [Fact]
    public void A_neutral_move_barely_moves_the_persona_and_never_escalates_it()
    {
        var state = new PersonaStateValues(Escalation: 0.6, Trust: 0.4, Engagement: 0.5);
        var neutral = new MoveClassification(Moves.Neutral, 1, Moves.All.ToDictionary(m => m, m => m == Moves.Neutral ? 1.0 : 0.0));
        var after = PersonaStateMachine.Apply(state, neutral, judgementScore: 50);
        Assert.InRange(after.Escalation, state.Escalation - 0.05, state.Escalation);
        Assert.InRange(after.Trust, state.Trust, state.Trust + 0.05);
    }
}
