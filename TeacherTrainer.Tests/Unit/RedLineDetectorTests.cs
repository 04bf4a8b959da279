using System.Text.Json;
using TeacherTrainer.ApiService.AI;
using TeacherTrainer.ApiService.Evaluation;
using TeacherTrainer.ApiService.Scenarios;

namespace TeacherTrainer.Tests.Unit;

/// <summary>
/// Red lines recognised by meaning with the real encoder: breaches in paraphrase (none of these
/// replies is one of the scenario's examples word for word), and near-misses on the same topic,
/// often negated, that must not be flagged.
/// </summary>
public sealed class RedLineDetectorTests
{
    private const string SelfHarm = "year10-self-harm-disclosure-secrecy-request";
    private const string Homophobic = "year10-homophobic-changing-room-abuse-just-leave-it";
    private const string Bystander = "year6-bystander-reports-group-chat-bullying";
    private const string Banter = "year8-weight-nickname-its-just-banter";
    private const string TireSwing = "grade1-pushed-classmate-off-tire-swing";
    private const string DogDied = "grade1-dog-died-morning-tears";
    private const string Separating = "grade7-withdrawn-student-parents-separating";
    private const string AreaModelDad = "grade-4-dad-frustrated-with-area-model-homework";

    private static readonly EmbeddedMiniLmGenerator Generator = new();
    private static readonly ReplyEncoder Encoder = new(Generator, new EmbeddingCache());
    private static readonly Dictionary<string, Task<RubricBasis>> Bases = new();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<RubricBasis> BasisAsync(string slug)
    {
        lock (Bases)
        {
            if (!Bases.TryGetValue(slug, out var basis))
            {
                var path = Path.Combine(AppContext.BaseDirectory, "Content", "Scenarios", slug + ".json");
                var document = JsonSerializer.Deserialize<ScenarioDocument>(File.ReadAllText(path), ScenarioDocument.JsonOptions)!;
                Bases[slug] = basis = RubricBasisCache.FromDocumentAsync(document, Generator);
            }
            return basis;
        }
    }

    private static async Task<IReadOnlyList<RedLineBreach>> DetectAsync(string slug, string reply)
        => RedLineDetector.Detect(await BasisAsync(slug), await Encoder.EncodeReplyAsync(reply, Ct));

    private static async Task<IReadOnlyList<RedLineBreach>> ClosestAsync(string slug, string reply)
        => RedLineDetector.Closest(await BasisAsync(slug), await Encoder.EncodeReplyAsync(reply, Ct));

    private static string Describe(IReadOnlyList<RedLineBreach> breaches)
        => string.Join("; ", breaches.Select(b => $"{b.RedLine.Key}: \"{b.Evidence.Text}\" ~ \"{b.MatchedExample}\" {b.Similarity:F3}, margin {b.Margin:F3} over \"{b.SafestMatch}\""));

    [Theory]
    [InlineData(SelfHarm, "promise-secrecy", "I promise I won't tell anyone.")]
    [InlineData(SelfHarm, "promise-secrecy", "It stays between us.")]
    [InlineData(SelfHarm, "promise-secrecy", "Your secret's safe with me.")]
    [InlineData(SelfHarm, "promise-secrecy", "OK, I won't say anything to Mr Osei.")]
    [InlineData(SelfHarm, "promise-secrecy", "Thank you for trusting me, Leah. Don't worry, this won't go any further than this room.")]
    [InlineData(SelfHarm, "promise-secrecy", "Of course I'll keep it quiet. You can tell me anything.")]
    [InlineData(SelfHarm, "promise-secrecy", "Alright, I give you my word, nobody will find out from me.")]
    [InlineData(SelfHarm, "examine-injuries", "Can you pull your sleeve up so I can see how bad the cuts are?")]
    [InlineData(SelfHarm, "attention-seeking", "Honestly, I think you're doing this to get attention.")]
    [InlineData(Homophobic, "banter-dismissal", "Look, it's only banter, they were just having a laugh.")]
    [InlineData(Homophobic, "banter-dismissal", "Boys will be boys in the changing rooms, just let it go over your head.")]
    [InlineData(Homophobic, "promise-secrecy", "Okay, I won't report it. It's between us.")]
    // Agreeing to leave it is agreeing not to report it: it scored 43, its nearest example 0.54 and a near-miss closer.
    [InlineData(Homophobic, "promise-secrecy", "Okay, I'll leave it if that's what you want.")]
    [InlineData(Bystander, "promise-secrecy", "I promise nobody will know you told me.")]
    [InlineData(Bystander, "banter-dismissal", "I'm sure it's just a bit of silly fun between friends.")]
    [InlineData(Banter, "banter-dismissal", "If he's laughing, it's just harmless banter, no big deal.")]
    [InlineData(Banter, "humiliate-the-student", "You're nothing but a bully, Liam.")]
    [InlineData(Banter, "humiliate-the-student", "Frankly, you're a mean little bully and the whole year group can see it.")]
    [InlineData(TireSwing, "humiliate-or-threaten", "You are a naughty, naughty boy and I'm very cross with you.")]
    [InlineData(TireSwing, "humiliate-or-threaten", "Push anyone again and you'll never be allowed on the swings.")]
    [InlineData(DogDied, "falsehood-about-death", "Pickles is only asleep, sweetheart.")]
    [InlineData(Banter, "banter-dismissal", "You said he laughs, so it's just banter then.")]
    [InlineData(SelfHarm, "promise-secrecy", "You asked me to promise, and I will: I won't tell anyone.")]
    // Their wish heard, then granted in a clause of the teacher's own.
    [InlineData(Homophobic, "promise-secrecy", "I hear that you want me to leave it. Okay, I'll keep it between us.")]
    // Thanks first, then the promise: the thanks is not read, the promise is.
    [InlineData(SelfHarm, "promise-secrecy", "Thanks for trusting me. It stays between us.")]
    [InlineData(SelfHarm, "promise-secrecy", "Of course, Leah. Thank you for trusting me with this. Don't worry, it won't go any further than the two of us.")]
    [InlineData(SelfHarm, "promise-secrecy", "Thank you so much for telling me, and I promise I'll keep it to myself.")]
    // Blame in a question is still blame, the invitations to say more notwithstanding.
    [InlineData(Bystander, "blame-the-bystander", "Why didn't you tell me about the chat sooner?")]
    // Granting the fact and drawing the conclusion, or granting it without a question after, is still agreeing.
    [InlineData(Banter, "banter-dismissal", "Yeah, he does laugh, so I suppose it's fine.")]
    [InlineData(Banter, "banter-dismissal", "He does laugh, fair enough. Just keep it friendly.")]
    [InlineData(Banter, "banter-dismissal", "Fair point, he laughs too. Just don't overdo it.")]
    [InlineData(SelfHarm, "promise-secrecy", "I know, and I won't tell anyone. What's been happening?")]
    // A concession does not hide what follows it: each of these crossed no red line (48 to 50 out of 100), the concession's
    // words ("I'm supposed to report it", "I should tell someone") sitting near the near-misses about passing it on.
    [InlineData(Homophobic, "promise-secrecy", "Even though I'm not meant to, I'll keep it between us.")]
    [InlineData(SelfHarm, "promise-secrecy", "Even though I'm supposed to report it, I'll keep it to myself this time.")]
    [InlineData(Bystander, "promise-secrecy", "Even though I should tell someone, it stays between us, I promise.")]
    [InlineData(Separating, "promise-secrecy", "Even though I'm a teacher, I promise I won't tell anyone.")]
    // A statement is not made safe by a near-miss that denies it ("Pickles isn't sleeping. He died...").
    [InlineData(DogDied, "falsehood-about-death", "Even though it's sad, he's just sleeping now.")]
    // Blaming the parent scored 58 and 72 ("Strong") to Andre before his scenario declared the red line.
    [InlineData(AreaModelDad, "blame-the-parent", "Showing her another way is why she's confused.")]
    [InlineData(AreaModelDad, "blame-the-parent", "It would help if you stopped teaching her a different way at home.")]
    public async Task A_breach_is_caught_in_paraphrase(string slug, string redLine, string reply)
    {
        var breaches = await DetectAsync(slug, reply);
        Assert.True(breaches.Any(b => b.RedLine.Key == redLine), $"not caught: {reply} [{Describe((await ClosestAsync(slug, reply)).Where(b => b.RedLine.Key == redLine).ToList())}]");
    }

    // A thanks near an example only corroborates: the evidence quoted to the trainee is the clause that promises.
    // Noor's own words handed back are hers: the reply that only says her line again was flagged as promising secrecy, with
    // "But you can't say it was me." as the teacher's words. It is an echo (the echo cap says so), not a promise. A promise
    // said after her words is still one.
    private const string NoorsOpening = "Can I tell you something? But you can't say it was me. Promise you won't say it was me, or they'll do it to me next.";

    [Theory]
    [InlineData(NoorsOpening, false)]
    [InlineData("But you can't say it was me. Promise you won't say it was me.", false)]
    [InlineData("Promise you won't say it was me. Okay, I promise.", true)]
    [InlineData("But you can't say it was me. I promise I won't tell anyone.", true)]
    [InlineData("Okay, I promise.", true)]
    public async Task The_persona_s_own_words_handed_back_promise_nothing(string reply, bool crosses)
    {
        var breaches = RedLineDetector.Detect(await BasisAsync(Bystander), await Encoder.EncodeReplyAsync(reply, Ct), NoorsOpening);
        Assert.True(crosses == breaches.Any(b => b.RedLine.Key == "promise-secrecy"), Describe(breaches));
        // Without the line answered, the same words would be read as the teacher's own.
        if (!crosses) Assert.Contains(await DetectAsync(Bystander, reply), b => b.RedLine.Key == "promise-secrecy");
    }

    // Leah's fragments said back are hers too, though no fragment alone is long enough to be told from a phrase anyone might
    // say: "To my arm. When it gets bad." was flagged as asking to see her injuries, with "To my arm." as the teacher's words.
    [Theory]
    [InlineData("It's something I do. To my arm. When it gets bad.", "To my arm. When it gets bad.")]
    [InlineData("Last night was bad. I did it again. It's on my arm, under here.", "It's on my arm. Under here.")]
    public async Task Her_fragments_handed_back_together_ask_nothing(string line, string reply)
    {
        var encoded = await Encoder.EncodeReplyAsync(reply, Ct);
        Assert.True(encoded.Clauses.Count > 1);
        Assert.DoesNotContain(RedLineDetector.Detect(await BasisAsync(SelfHarm), encoded, line), b => b.RedLine.Key == "examine-injuries");
        Assert.Contains(RedLineDetector.Detect(await BasisAsync(SelfHarm), encoded), b => b.RedLine.Key == "examine-injuries");
        // Asking to see, after her words, is the teacher's own.
        var asked = await Encoder.EncodeReplyAsync(reply + " Can I have a look?", Ct);
        var breach = Assert.Single(RedLineDetector.Detect(await BasisAsync(SelfHarm), asked, line), b => b.RedLine.Key == "examine-injuries");
        Assert.EndsWith("Can I have a look?", breach.Evidence.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_promise_after_a_thanks_is_the_evidence_not_the_thanks()
    {
        var breach = Assert.Single(await DetectAsync(SelfHarm, "Of course, Leah. Thank you for trusting me with this. Don't worry, it won't go any further than the two of us."));
        Assert.Equal("promise-secrecy", breach.RedLine.Key);
        Assert.Equal("Don't worry, it won't go any further than the two of us.", breach.Evidence.Text);
    }

    [Theory]
    [InlineData(SelfHarm, "I can't promise to keep this secret.")]
    [InlineData(SelfHarm, "I won't promise that.")]
    [InlineData(SelfHarm, "I'm not going to keep secrets from your mum's... from the people who can help you, but I'll be with you.")]
    [InlineData(SelfHarm, "Leah, I can't promise that, because if you're not safe I have to tell Mr Osei. But I'm listening, and you're not in trouble.")]
    [InlineData(SelfHarm, "I'd never promise to keep something like this secret, because your safety matters more.")]
    [InlineData(SelfHarm, "Thank you for telling me. I'll stay with you and we'll go and see Mr Osei together.")]
    [InlineData(SelfHarm, "Is anything hurting right now that the first aider should look at?")]
    [InlineData(SelfHarm, "You don't need to show me anything.")]
    [InlineData(Homophobic, "That wasn't banter. It was homophobic abuse and I'm not going to pretend I didn't hear it.")]
    [InlineData(Homophobic, "I can't just leave it, Rhys, but you'll have a say in what happens next.")]
    [InlineData(Homophobic, "I can't just leave it, Rhys, but I won't do anything without talking to you first.")]
    [InlineData(Bystander, "I can't promise nobody will ever work it out, but I'll keep your name out of it as far as I can.")]
    [InlineData(Bystander, "You did the right thing telling me. That doesn't sound like a joke to me.")]
    [InlineData(Banter, "I hear that you think it's banter, but I'm not sure it feels like banter to Theo.")]
    [InlineData(Banter, "You're not a bully, Liam, but that nickname has to stop.")]
    [InlineData(Banter, "How do you think Theo feels when the whole class calls him that?")]
    [InlineData(TireSwing, "You're not naughty, Leo. Pushing isn't okay, even when you're really cross.")]
    [InlineData(TireSwing, "It sounds like waiting felt really unfair. Let's work out a plan for turns.")]
    [InlineData(DogDied, "Pickles died, and that means he can't wake up again. It's okay to feel sad.")]
    [InlineData(DogDied, "Would you like to tell me about Pickles?")]
    // Their words reported, then questioned: the teacher asserts nothing of the kind.
    [InlineData(Banter, "You said he laughs. How do you know he finds it funny?")]
    [InlineData(Banter, "You told me everyone calls him that. What do you think it's like for Theo?")]
    [InlineData(SelfHarm, "You asked me to promise not to tell anyone. Can I tell you why I can't?")]
    // Saying they have heard the wish reports it too: the first was 0.53 from "Okay, I'll leave it then, if that's what you
    // want." by its first clause and capped as a promise of secrecy.
    [InlineData(Homophobic, "I hear that you want me to leave it. I still can't ignore what I heard.")]
    [InlineData(SelfHarm, "I know you want me to keep this to myself. I can't, because your safety matters more.")]
    // Thanking her for her trust is close to "You can trust me" in words only.
    [InlineData(SelfHarm, "Thank you for trusting me. We'll go to Mr Osei together now, and you can stay with me.")]
    [InlineData(SelfHarm, "Thank you for trusting me, Leah.")]
    // Asking her to say more, near two red lines by the chat alone: "Can you tell me what's been happening in the chat?" was 0.55
    // from "Just leave the chat and it'll sort itself out." and 0.51 from "If you were in the chat and said nothing, you're part
    // of the problem.", and Noor's teacher was told they had dismissed the bullying and blamed her. Invitations to say more are
    // near-misses of every scenario's red lines (Content/red-line-near-misses.json).
    [InlineData(Bystander, "Can you tell me what's been happening in the chat?")]
    [InlineData(Bystander, "Take your time. Can you tell me what happened in the group chat?")]
    [InlineData(Bystander, "Can you tell me a bit more about the chat?")]
    // His view said back as his, to check it: "So for you it's just a laugh..." was capped at 30 as calling it banter.
    [InlineData(Banter, "So for you it's just a laugh, and he calls you names too. Is that right?")]
    [InlineData(Banter, "What I'm hearing is it's just banter to you. How do you think Theo sees it?")]
    // His premise taken up to question it, not agreed with: capped at 30 as agreeing it's just banter (0.52 from "Fair enough,
    // if he laughs then it's just banter.").
    [InlineData(Banter, "If he laughs, why do you think he's stopped eating with your group?")]
    // Turning to his fear about his dad, after taking his point: 0.61 from "Don't be so dramatic about your dad." by its "dad",
    // and capped at 35 as brushing the fear off.
    [InlineData("year-11-phone-in-maths-mock-exam", "You're right, it does look unfair if others had phones too. I'll look into that. But I want to understand the bit about your dad first.")]
    // Granting him the fact before asking what lies under it concludes nothing: "He laughs, I know." was 0.61 from "Fair enough,
    // if he laughs then it's just banter." and capped the reply at 30.
    [InlineData(Banter, "He laughs, I know. Does he laugh when he's on his own, though?")]
    [InlineData(Banter, "I believe you that he laughs. What else have you noticed about him lately?")]
    [InlineData(Banter, "You're right, he does laugh. What do you think is going on for him when he laughs?")]
    // What a concession grants is not what the teacher says: the first two were capped at 30 as agreeing it is just banter.
    [InlineData(Banter, "Even if he laughs, the name has to stop.")]
    [InlineData(Banter, "Whether or not he laughs, I need you to stop calling him that.")]
    [InlineData(Homophobic, "Although you want me to leave it, I have to pass this on so you're safe.")]
    [InlineData(SelfHarm, "Even if you'd rather I didn't, I can't keep this just between us, because I care about you being safe.")]
    [InlineData(Separating, "Even if you don't want me to tell anyone, I might need to share some of this with Ms Reed so she can help.")]
    // A negation read from the words is often no denial: this is what "You can tell me as much or as little as you like." says.
    [InlineData(Separating, "You don't have to tell me anything. I just want you to know I'm here.")]
    // Naming what two methods at once do, or saying back what he did, blames nobody.
    [InlineData(AreaModelDad, "Mixing two methods is hard for lots of kids, and that's on us to make clearer, not on you.")]
    [InlineData(AreaModelDad, "So you showed her the real way. You don't see why she can't just do it like that?")]
    public async Task A_near_miss_is_not_a_breach(string slug, string reply)
    {
        var breaches = await DetectAsync(slug, reply);
        Assert.True(breaches.Count == 0, $"wrongly flagged: {reply} [{Describe(breaches)}]");
    }

    /// <summary>
    /// The written set (TestData/red-line-replies.tsv): replies written apart from the scenarios' examples and near-misses, each
    /// with the red line it crosses or none. A breach must be caught as the red line it is; a safe reply must cross none. The
    /// measures and every miss are printed; the floor and ceiling sit a reply or two from them (docs/evaluation.md, Red lines).
    /// </summary>
    [Fact]
    public async Task The_written_set_is_caught_and_its_safe_replies_cross_nothing()
    {
        var rows = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "TestData", "red-line-replies.tsv"))
            .Where(l => !l.StartsWith('#')).Select(l => l.Split('\t')).Where(p => p.Length == 4).ToList();
        int breaches = 0, caught = 0, safe = 0, flagged = 0;
        var misses = new List<string>();
        foreach (var row in rows)
        {
            var found = await DetectAsync(row[0], row[2]);
            if (row[1] == "none")
            {
                safe++;
                if (found.Count > 0) { flagged++; misses.Add($"flagged: {row[2]} [{Describe(found)}]"); }
            }
            else
            {
                breaches++;
                if (found.Any(b => b.RedLine.Key == row[1])) caught++;
                else misses.Add($"missed {row[1]}: {row[2]} [{Describe(found)}]");
            }
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"caught {caught} of {breaches}; safe replies flagged {flagged} of {safe}\n{string.Join("\n", misses)}");
        Assert.True(breaches >= 52 && safe >= 68, "the written set is smaller than it was");
        Assert.True(caught >= 27, $"caught {caught} of {breaches}:\n{string.Join("\n", misses)}");
        Assert.True(flagged <= 2, $"{flagged} of {safe} safe replies flagged:\n{string.Join("\n", misses)}");
    }

    public static TheoryData<string> ScenariosWithRedLines() => new(System.IO.Directory
        .EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Content", "Scenarios"), "*.json")
        .Where(f => File.ReadAllText(f).Contains("\"redLines\"", StringComparison.Ordinal))
        .Select(Path.GetFileNameWithoutExtension).Order()!);

    [Theory]
    [MemberData(nameof(ScenariosWithRedLines))]
    public async Task Every_example_crosses_its_red_line_and_no_good_or_acceptable_exemplar_crosses_any(string slug)
    {
        var basis = await BasisAsync(slug);
        var path = Path.Combine(AppContext.BaseDirectory, "Content", "Scenarios", slug + ".json");
        var document = JsonSerializer.Deserialize<ScenarioDocument>(File.ReadAllText(path), ScenarioDocument.JsonOptions)!;
        var problems = new List<string>();
        foreach (var red in document.RedLines)
        {
            foreach (var example in red.Examples)
            {
                if (!(await DetectAsync(slug, example)).Any(b => b.RedLine.Key == red.Key)) problems.Add($"example not caught: {red.Key}: {example} [{Describe((await ClosestAsync(slug, example)).Where(b => b.RedLine.Key == red.Key).ToList())}]");
            }
            foreach (var nearMiss in red.NearMisses)
            {
                var breaches = await DetectAsync(slug, nearMiss);
                if (breaches.Count > 0) problems.Add($"near-miss flagged: {nearMiss} [{Describe(breaches)}]");
            }
        }
        foreach (var exemplar in document.Exemplars.Where(e => e.Rating >= 3))
        {
            var breaches = RedLineDetector.Detect(basis, await Encoder.EncodeReplyAsync(exemplar.Text, Ct));
            if (breaches.Count > 0) problems.Add($"exemplar rated {exemplar.Rating} flagged: {exemplar.Text} [{Describe(breaches)}]");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>
    /// Cases written after the thresholds and content were frozen (never tuned on): the share of
    /// breaches caught and of safe replies wrongly flagged. First measured: 11 of 21 caught, 1 of 15 flagged;
    /// the floors sit a little below.
    /// </summary>
    private static readonly (string Slug, string? RedLine, string Reply)[] HeldOut =
    [
        (SelfHarm, "promise-secrecy", "Okay, okay. I won't breathe a word of it."),
        (SelfHarm, "promise-secrecy", "You have my promise, this is our secret."),
        (SelfHarm, "promise-secrecy", "Nobody else has to hear about this, I swear."),
        (SelfHarm, "promise-secrecy", "I'll keep this completely confidential, just us two."),
        (SelfHarm, "promise-secrecy", "Right, I won't mention it to your mum, don't worry."),
        (SelfHarm, "examine-injuries", "Before anything else, let me see your arm."),
        (SelfHarm, "attention-seeking", "Is this just a way to get people to notice you?"),
        (SelfHarm, "leave-alone-or-delay", "Why don't you go home, get some rest, and we'll see how things look next week?"),
        (Homophobic, "promise-secrecy", "Fine, I'll keep out of it and say nothing to anyone."),
        (Homophobic, "banter-dismissal", "They're only winding you up, mate, it's what lads do."),
        (Homophobic, "blame-the-target", "Maybe keep your head down and don't give them a reason."),
        (Bystander, "promise-secrecy", "I'll never tell anyone it was you, cross my heart."),
        (Bystander, "blame-the-bystander", "You just sat there and watched it happen for weeks?"),
        (Bystander, "banter-dismissal", "Children tease each other online, it's nothing serious."),
        (Banter, "banter-dismissal", "Honestly, it's a harmless nickname, Theo will be fine."),
        (Banter, "humiliate-the-student", "You're a disgrace to this school, Liam."),
        (Banter, "blame-the-target", "Theo ought to learn to take a joke."),
        (TireSwing, "humiliate-or-threaten", "Naughty children like you lose playtime for a whole week."),
        (TireSwing, "blame-the-child-pushed", "She should have shared, so it's really her fault."),
        (DogDied, "falsehood-about-death", "Pickles has gone to sleep for a very long time."),
        (DogDied, "dismiss-grief", "No more tears now, it's time for journals."),
        (SelfHarm, null, "I need to be honest: this is something I'd have to share with Mr Osei, because your safety matters most."),
        (SelfHarm, null, "Whatever it is, you're not in trouble. Can you tell me what's been going on?"),
        (SelfHarm, null, "I'm going to stay right here with you, and then we'll see Mr Osei together."),
        (SelfHarm, null, "I won't share it with anyone who doesn't need to know, but I can't keep it completely secret."),
        (SelfHarm, null, "Does anything need first aid right now?"),
        (Homophobic, null, "What I heard in there was homophobic, and it is not okay. None of it is your fault."),
        (Homophobic, null, "I won't go to your dad. I do have to tell Mrs Kaur, and you can come with me."),
        (Bystander, null, "You were brave to come and tell me. I'll be careful to keep your name out of it."),
        (Bystander, null, "It isn't your fault that it happened in the chat."),
        (Banter, null, "I know you don't mean it nastily, but the nickname stops today."),
        (Banter, null, "What do you think it's like being Theo in that classroom?"),
        (TireSwing, null, "You really wanted your turn. Pushing hurt her, though. What could we do next time?"),
        (TireSwing, null, "Let's take some big breaths together first."),
        (DogDied, null, "I'm so sorry Pickles died. You must miss him so much."),
        (DogDied, null, "Would you like to draw a picture of Pickles for your journal?"),
    ];

    [Fact]
    public async Task Held_out_cases_are_caught_and_safe_replies_are_left_alone()
    {
        int breaches = 0, caught = 0, safe = 0, flagged = 0;
        var misses = new List<string>();
        foreach (var (slug, redLine, reply) in HeldOut)
        {
            var found = await DetectAsync(slug, reply);
            if (redLine is null)
            {
                safe++;
                if (found.Count > 0) { flagged++; misses.Add($"flagged: {reply} [{Describe(found)}]"); }
            }
            else
            {
                breaches++;
                if (found.Any(b => b.RedLine.Key == redLine)) caught++;
                else misses.Add($"missed {redLine}: {reply} [{Describe((await ClosestAsync(slug, reply)).Where(b => b.RedLine.Key == redLine).ToList())}]");
            }
        }
        var report = $"caught {caught}/{breaches}, safe replies flagged {flagged}/{safe}\n" + string.Join("\n", misses);
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Assert.True(caught >= HeldOutMinCaught && flagged <= HeldOutMaxFlagged, report);
    }

    private const int HeldOutMinCaught = 9;
    private const int HeldOutMaxFlagged = 2;

    [Theory]
    [InlineData("I promise I won't tell anyone", true)]
    [InlineData("Nobody will know", true)]
    [InlineData("It stays between us", false)]
    [InlineData("Don't worry, it stays between us", false)]
    [InlineData("No, it stays between us", false)]
    public void Negation_is_read_from_words_in_plain_sight(string text, bool negated)
        => Assert.Equal(negated, RedLineDetector.IsNegated(text));

    [Fact]
    public async Task A_breach_caps_the_score_and_the_criteria_it_concerns_and_says_why_in_the_trainees_words()
    {
        const string reply = "Thank you for telling me, Leah. It stays between us.";
        var breaches = await DetectAsync(SelfHarm, reply);
        var secrecy = Assert.Single(breaches, b => b.RedLine.Key == "promise-secrecy");
        var judgement = new Judgement(80, JudgementBands.For(80),
            [
                new CriterionJudgement("no-secrecy-promise", "Honest about confidentiality", 85, null, "", 0.5),
                new CriterionJudgement("calm-listening", "Calm, non-leading listening", 75, null, "", 0.5),
            ], [], "Keep going.");

        var capped = RedLineDetector.Apply(judgement, breaches);

        Assert.True(capped.Score <= secrecy.RedLine.Cap);
        Assert.Equal(JudgementBands.For(capped.Score), capped.Band);
        var criterion = capped.Criteria.Single(c => c.Key == "no-secrecy-promise");
        Assert.True(criterion.Score <= secrecy.RedLine.Cap);
        Assert.Equal("cost", criterion.Effect);
        Assert.Equal(reply.Substring(criterion.EvidenceStart, criterion.Evidence!.Length), criterion.Evidence);
        Assert.Equal(75, capped.Criteria.Single(c => c.Key == "calm-listening").Score);
        Assert.Contains(capped.Notes, n => n.Contains("It stays between us", StringComparison.Ordinal) && n.Contains("never promise", StringComparison.Ordinal));
        Assert.StartsWith("Red line:", capped.Suggestion, StringComparison.Ordinal);
    }

    [Fact]
    public void A_criterion_not_yet_due_does_not_count_unless_it_is_already_earned()
    {
        RubricCriterion Criterion(string key, int due) => new() { Key = key, Name = key, Description = "", Weight = 0.5, DueFromTurn = due };
        var models = new[] { new CriterionModel(Criterion("listen", 1), [], []), new CriterionModel(Criterion("plan", 3), [], []) };
        List<CriterionJudgement> Judged(int planScore) => [new("listen", "listen", 70, null, "", 0.4), new("plan", "plan", planScore, null, "", 0.4)];

        var early = CriterionStage.Apply(Judged(20), models, turnNumber: 1, rubricShare: 0.8);
        Assert.Equal(CriterionStage.NotYetDue, early[1].Effect);
        Assert.Equal(0, early[1].Weight);
        Assert.Equal(0.8, early[0].Weight, precision: 4);
        Assert.StartsWith("Not due yet", early[1].Explanation, StringComparison.Ordinal);
        Assert.Equal(70, JudgementComposer.Overall(early));

        Assert.Equal(Judged(20), CriterionStage.Apply(Judged(20), models, turnNumber: 3, rubricShare: 0.8));
        Assert.Equal(Judged(65), CriterionStage.Apply(Judged(65), models, turnNumber: 1, rubricShare: 0.8));
    }

    [Fact]
    public void A_criterion_met_earlier_does_not_count_unless_this_reply_does_it_again_and_something_still_counts()
    {
        List<CriterionJudgement> Judged(int listenScore, int planScore) => [new("listen", "listen", listenScore, null, "", 0.4), new("plan", "plan", planScore, null, "", 0.4)];
        var met = new Dictionary<string, CriterionStage.EarlierCredit> { ["listen"] = new(2, "That sounds really hard.") };

        var later = CriterionStage.ApplyMetEarlier(Judged(20, 80), met, rubricShare: 0.8);
        Assert.Equal(CriterionStage.MetEarlier, later[0].Effect);
        Assert.Equal(0, later[0].Weight);
        Assert.Equal(0.8, later[1].Weight, precision: 4);
        Assert.Equal("Done earlier: your turn 2 did this (\u201CThat sounds really hard.\u201D), so this reply is not asked to do it again and it does not count in this reply's score.", later[0].Explanation);
        Assert.Equal(80, JudgementComposer.Overall(later));

        // Doing it again counts; and when everything due was done earlier, everything counts.
        Assert.Equal(Judged(65, 80), CriterionStage.ApplyMetEarlier(Judged(65, 80), met, rubricShare: 0.8));
        var all = new Dictionary<string, CriterionStage.EarlierCredit>(met) { ["plan"] = new(3, "Let's write it down.") };
        Assert.Equal(Judged(20, 30), CriterionStage.ApplyMetEarlier(Judged(20, 30), all, rubricShare: 0.8));
    }
}
