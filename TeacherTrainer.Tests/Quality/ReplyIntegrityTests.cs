using TeacherTrainer.ApiService.AI;
using TeacherTrainer.ApiService.Evaluation;

namespace TeacherTrainer.Tests.Quality;

/// <summary>
/// The integrity detectors that read words alone (sneers, not caring, lists of rubric words, padding),
/// and how a finding caps a judgement. The families that need embeddings are measured end to end by
/// <see cref="RobustnessSuiteTests"/>.
/// </summary>
public sealed class ReplyIntegrityTests
{
    private static readonly ContextTurn[] Context = [new("parent", "Kayla was crying over this box thing again. I showed her the real way.")];

    /// <summary>A reply with its clauses, every vector zero: only the wording can set a detector off.</summary>
    private static EncodedReply Encode(string text)
        => new(text, new float[MiniLmEncoder.Dimensions],
            ClauseSplitter.Split(text).Select(s => new EncodedClause(s, text.Substring(s.Start, s.Length), new float[MiniLmEncoder.Dimensions])).ToList());

    private static IReadOnlyList<string> Families(string text)
        => ReplyIntegrity.Inspect(Context, Encode(text), null, [], null).Findings.Select(f => f.Family).ToList();

    [Theory]
    [InlineData("Thanks for coming in straight off your shift. Honestly, some parents.")]
    [InlineData("I can see she was upset. Not that you'd understand.")]
    [InlineData("Let's look at both methods together. You're being ridiculous.")]
    [InlineData("So it's my fault she cried, is it?")]
    [InlineData("I can hear how hard last night was. What happened at the table? You're a joke, honestly.")]
    [InlineData("Thanks for sharing. You are such a waste of time.")]
    [InlineData("Not quite, genius. Read the question again.")]
    [InlineData("Nice try, Einstein.")]
    // A negation in the phrase before excuses the word ("you're not stupid"); one across a comma does not.
    [InlineData("We don't push, you idiot.")]
    [InlineData("I never asked for your opinion, you're being ridiculous.")]
    public void A_sneer_is_found_wherever_it_sits(string reply) => Assert.Contains(IntegrityFamilies.Sneer, Families(reply));

    [Theory]
    [InlineData("Thank you for coming in straight off your shift, Andre. I can hear how hard it is to see Kayla in tears, and you clearly know your maths. Can you tell me what happened at the table last night?")]
    [InlineData("You're not stupid, and nobody who does maths in his head like that is.")]
    [InlineData("She told me the box method makes her feel stupid; that's what I want to change.")]
    [InlineData("It's a big deal for her, and for you.")]
    [InlineData("I'll deal with it after the lesson.")]
    [InlineData("Hearing he's calling it the 'thick set' worries me too, because it isn't true.")]
    [InlineData("Was that a joke about Pickles, or are you telling me something true?")]
    [InlineData("You're a genius at spotting patterns. Nearly there: what comes after 16?")]
    [InlineData("Not quite. Professor Khan's method starts with the tens.")]
    // "n't" ends a word: "doesn't always mean useless" was read as calling someone useless, and capped at 15.
    [InlineData("But biased doesn't always mean useless. What could this source tell us about how the colonists felt?")]
    [InlineData("Getting one wrong doesn't make you stupid.")]
    public void Sincere_replies_are_left_alone(string reply) => Assert.Empty(Families(reply));

    // The revoicing formula round what they said three lines ago is the same trick as round their last line; a
    // revoicing that names what they feel, or adds a thought of the teacher's own, is not.
    private static readonly ContextTurn[] LongerTalk =
    [
        new("parent", "Kayla was crying over this box thing again. I can't help her with this. So I showed her the real way."),
        new("teacher", "Thank you for coming in. What happened at the table last night?"),
        new("parent", "Honestly? I don't get why you break the numbers up. It feels like extra steps."),
    ];

    [Theory]
    [InlineData("So you're saying you showed her the real way? Tell me more.")]
    [InlineData("What I'm hearing is that Kayla was crying over the box again.")]
    public void A_formula_round_something_said_earlier_is_formulaic_revoicing(string reply)
        => Assert.Contains(IntegrityFamilies.FormulaicRevoicing, ReplyIntegrity.Inspect(LongerTalk, Encode(reply), null, [], null).Findings.Select(f => f.Family));

    [Theory]
    [InlineData("So you're saying you showed her your way because you were worried she'd fall behind?")]
    [InlineData("I hear that the extra steps feel pointless; the box is your zero made visible, and I can show you how.")]
    public void A_revoicing_with_substance_of_its_own_is_left_alone(string reply)
        => Assert.DoesNotContain(IntegrityFamilies.FormulaicRevoicing, ReplyIntegrity.Inspect(LongerTalk, Encode(reply), null, [], null).Findings.Select(f => f.Family));

    // Saying what the teacher will do about it is substance: this was capped at 30 and the student answered "You're just repeating me".
    [Fact]
    public void A_revoicing_with_what_the_teacher_will_do_is_left_alone()
    {
        ContextTurn[] talk = [new("student", "This is so unfair! Tyler was doing it too, everyone was messing about, and I'm the only one who gets kicked off the practical.")];
        Assert.DoesNotContain(IntegrityFamilies.FormulaicRevoicing, ReplyIntegrity.Inspect(talk, Encode("I hear you that Tyler was messing about too. I'll be talking to him as well."), null, [], null).Findings.Select(f => f.Family));
        Assert.Contains(IntegrityFamilies.FormulaicRevoicing, ReplyIntegrity.Inspect(talk, Encode("I hear you that Tyler was messing about too."), null, [], null).Findings.Select(f => f.Family));
    }

    // Asking how it feels is a question of the teacher's own: picking up the grievance he raised in his first line was
    // capped at 30 as formulaic. Their own "feels" handed back inside the formula is still the formula.
    [Fact]
    public void A_revoicing_that_asks_how_it_feels_is_left_alone()
    {
        ContextTurn[] talk =
        [
            new("student", "Is this about Theo? It's banter. Everyone calls him Greggs, and he literally laughs. He calls me ginger all the time and I don't go crying to teachers."),
            new("teacher", "What happened at break?"),
            new("student", "What happened? Nothing happened. It's a nickname."),
        ];
        Assert.DoesNotContain(IntegrityFamilies.FormulaicRevoicing, ReplyIntegrity.Inspect(talk, Encode("You said he calls you ginger. How does that feel when it happens?"), null, [], null).Findings.Select(f => f.Family));
        Assert.Contains(IntegrityFamilies.FormulaicRevoicing, ReplyIntegrity.Inspect(talk, Encode("You said he calls you ginger. Tell me more."), null, [], null).Findings.Select(f => f.Family));
        Assert.Contains(IntegrityFamilies.FormulaicRevoicing, ReplyIntegrity.Inspect(LongerTalk, Encode("So you're saying it feels like extra steps? Tell me more."), null, [], null).Findings.Select(f => f.Family));
    }

    // A short question about something they said earlier follows them; a stock reply does not, whatever was said.
    [Fact]
    public void A_short_question_about_what_they_said_earlier_is_not_generic()
    {
        ContextTurn[] talk =
        [
            new("student", "I finished. All twenty, you can check. Can I just read my book until the bell?"),
            new("teacher", "These are all right. You clearly know cells well."),
            new("student", "That's nice. I did think my lysosome explanation was kind of good."),
        ];
        Assert.DoesNotContain(IntegrityFamilies.Generic, ReplyIntegrity.Inspect(talk, Encode("What's the book about?"), null, [], null).Findings.Select(f => f.Family));
        Assert.Contains(IntegrityFamilies.Generic, ReplyIntegrity.Inspect(talk, Encode("Can you explain?"), null, [], null).Findings.Select(f => f.Family));
        Assert.Contains(IntegrityFamilies.Generic, ReplyIntegrity.Inspect(talk, Encode("Great question!"), null, [], null).Findings.Select(f => f.Family));
    }

    // A last line with no topic word ("Okay. So I should just get over it.") is read with what they said before it: a stock
    // reply to it could still follow anything (Ethan's "Can you explain?" scored 47 on the third turn); their very words are
    // an echo, not a stock reply.
    [Fact]
    public void A_stock_reply_to_a_line_with_no_topic_is_still_generic()
    {
        ContextTurn[] talk =
        [
            new("student", "My parents are splitting up. My dad moved out, and now they want me to pick which house on school nights."),
            new("teacher", "Good job!"),
            new("student", "Okay. So I should just get over it."),
        ];
        Assert.Contains(IntegrityFamilies.Generic, ReplyIntegrity.Inspect(talk, Encode("Can you explain?"), null, [], null).Findings.Select(f => f.Family));
        Assert.Contains(IntegrityFamilies.Generic, ReplyIntegrity.Inspect(talk, Encode("Great question!"), null, [], null).Findings.Select(f => f.Family));
        Assert.DoesNotContain(IntegrityFamilies.Generic, ReplyIntegrity.Inspect(talk, Encode("Okay. So I should just get over it."), null, [], null).Findings.Select(f => f.Family));
        Assert.DoesNotContain(IntegrityFamilies.Generic, ReplyIntegrity.Inspect(talk, Encode("Picking a house is a lot to be asked."), null, [], null).Findings.Select(f => f.Family));
    }

    // Doing what they asked, in their words, is not handing the words back; their own "I'll..." turned round still is.
    [Fact]
    public void Doing_what_they_asked_is_not_an_echo()
    {
        ContextTurn[] asked = [new("student", "Just give me the proper one like everyone else.")];
        Assert.DoesNotContain(IntegrityFamilies.Echo, ReplyIntegrity.Inspect(asked, Encode("You're right, you should have the proper one like everyone else. Here's the proper one."), null, [], null).Findings.Select(f => f.Family));
        ContextTurn[] promised = [new("student", "I'll do the proper one later, like everyone else.")];
        Assert.Contains(IntegrityFamilies.Echo, ReplyIntegrity.Inspect(promised, Encode("You'll do the proper one later, like everyone else."), null, [], null).Findings.Select(f => f.Family));
    }

    // Their words turned round answer them: a demand for what they refused, a denial of what they said, a correction by "not".
    // Their words kept the way they said them, or asked back, are still an echo.
    [Theory]
    [InlineData("I'm not giving you my phone. I don't care what the policy says. Send me to isolation if you want, I'm still not handing it over.", "Hand it over now.", false)]
    [InlineData("I'm not giving you my phone. I don't care what the policy says. Send me to isolation if you want, I'm still not handing it over.", "Give me the phone, please.", false)]
    [InlineData("One half equals two-sixths?", "One half equals not two-sixths.", false)]
    [InlineData("I'm stupid. I can't do any of it.", "You're not stupid.", false)]
    [InlineData("I'm not giving you my phone. I don't care what the policy says. Send me to isolation if you want, I'm still not handing it over.", "You're still not handing it over.", true)]
    [InlineData("I'm not giving you my phone. I don't care what the policy says. Send me to isolation if you want, I'm still not handing it over.", "Hand it over?", true)]
    [InlineData("I'm not giving you my phone.", "You're not giving me your phone.", true)]
    public void Their_words_turned_round_are_an_answer_not_an_echo(string theirs, string reply, bool echo)
    {
        var families = ReplyIntegrity.Inspect([new("student", theirs)], Encode(reply), null, [], null).Findings.Select(f => f.Family);
        if (echo) Assert.Contains(IntegrityFamilies.Echo, families);
        else Assert.DoesNotContain(IntegrityFamilies.Echo, families);
    }

    // What they said, named however far back, is answered: "You said he laughs" reaches back to the opening.
    [Fact]
    public void Naming_what_they_said_earlier_is_not_off_topic()
    {
        ContextTurn[] talk =
        [
            new("student", "Is this about Theo? It's banter. Everyone calls him Greggs, and he literally laughs."),
            new("teacher", "Yes, it's about Theo. Can you tell me how it started?"),
            new("student", "Who's affected? I dunno, Theo, I suppose. If he actually cares."),
        ];
        var vector = new float[MiniLmEncoder.Dimensions];
        vector[0] = 1;
        var reply = Encode("You said he laughs. How do you know he finds it funny?");
        var off = Encode("What's your favourite football team this season?");
        // Every vector of the replies is zero, so nothing is near the last line: only the words can save a reply.
        Assert.DoesNotContain(IntegrityFamilies.OffTopic, ReplyIntegrity.Inspect(talk, reply, vector, [], null).Findings.Select(f => f.Family));
        Assert.Contains(IntegrityFamilies.OffTopic, ReplyIntegrity.Inspect(talk, off, vector, [], null).Findings.Select(f => f.Family));
        // An apology answers the whole conversation, not only the last line (it was capped as off-topic after a sneer).
        var apology = Encode("I'm sorry, that came out wrong and it wasn't fair to you.");
        Assert.DoesNotContain(IntegrityFamilies.OffTopic, ReplyIntegrity.Inspect(talk, apology, vector, [], null).Findings.Select(f => f.Family));
    }

    [Fact]
    public void Not_caring_is_negated_content()
        => Assert.Contains(IntegrityFamilies.NegatedContent, Families("I don't care if anyone breaks it. Put it in the box."));

    // Turning the person away needs no rubric to hear: found with every vector zero, hedged or not.
    [Theory]
    [InlineData("I'm not really glad you came to me. I'm listening.")]
    [InlineData("Thanks for saying. I'm not listening.")]
    [InlineData("I'm not really listening to this right now.")]
    [InlineData("I don't think you should have told me that.")]
    [InlineData("You shouldn't have come to me with this.")]
    [InlineData("I can't promise I'll do anything about it.")]
    [InlineData("We can't really promise to help.")]
    [InlineData("Honestly, I'm not that interested in what you think.")]
    [InlineData("I wish you hadn't told me.")]
    [InlineData("I'm not pleased you came in today, Andre.")]
    [InlineData("I've noticed you've seemed tired, but I'm not really interested in what's going on at home.")]
    // Doubt that governs the welcome itself, inside the sentence.
    [InlineData("I'm not sure I'm glad you told me.")]
    [InlineData("I don't know if you should have come to me with this.")]
    [InlineData("Honestly, I'm not convinced you needed to come in about this.")]
    [InlineData("I'm not sure I want to hear about all that right now.")]
    [InlineData("I don't really know whether I'm happy that you've told me.")]
    public void Turning_the_person_away_is_negated_content(string reply)
        => Assert.Contains(IntegrityFamilies.NegatedContent, Families(reply));

    [Fact]
    public void Two_rejections_cap_lower_than_one()
    {
        var one = ReplyIntegrity.Inspect(Context, Encode("I'm not really glad you came to me. Let's talk."), null, [], null).Findings.Single();
        var two = ReplyIntegrity.Inspect(Context, Encode("I'm not really glad you came to me. I'm not listening."), null, [], null).Findings.Single();
        Assert.Equal(ReplyIntegrity.NegatedOverallCap, one.OverallCap);
        Assert.Equal(ReplyIntegrity.NegatedOverallCap - 5, two.OverallCap);
        Assert.Equal("I'm not really glad you came to me.", two.Quote);
    }

    // The hard negatives: negation that reassures or protects, fair limits, and worries named to answer them.
    [Theory]
    [InlineData("You're not in trouble, and I'm not going anywhere.")]
    [InlineData("I won't tell your whole class it was you.")]
    [InlineData("It's not your fault, and it's not your job to fix it.")]
    [InlineData("Don't worry about the mark; it doesn't count.")]
    [InlineData("I can't promise to keep it secret, and I won't pretend I can.")]
    [InlineData("I'm not happy that you called him Greggs.")]
    [InlineData("I'm not happy about what's been said in that group, but I'm really glad you told me.")]
    [InlineData("You shouldn't have to carry this on your own.")]
    [InlineData("You don't have to tell me anything.")]
    [InlineData("If it ever feels like I'm not listening, tell me.")]
    [InlineData("You might think I'm not interested, but I am.")]
    [InlineData("Are you worried that I'm not listening to you?")]
    [InlineData("I can't promise it will stop overnight, but I'll do everything I can.")]
    [InlineData("You shouldn't have said that to Theo.")]
    [InlineData("I'm not listening to rumours; I want to hear it from you.")]
    [InlineData("I'm not interested in who started it, I'm interested in how you are.")]
    // Doubt about something else, beside a welcome.
    [InlineData("I'm not sure what happened yet, but I'm really glad you told me.")]
    [InlineData("I'm not sure I've understood all of it, so tell me again in your own words.")]
    [InlineData("I don't know if you've told anyone else, and that's okay.")]
    [InlineData("I'm not sure I can fix all of it, but I want to hear what's been happening.")]
    [InlineData("I'm not sure I'd have been brave enough to tell a teacher at your age.")]
    [InlineData("I don't know whether you want to talk now or later; either is fine.")]
    public void Sincere_negation_is_left_alone(string reply) => Assert.DoesNotContain(IntegrityFamilies.NegatedContent, Families(reply));

    /// <summary>Findings for a reply to a student's line; every vector zero, so only the words decide (off-topic included).</summary>
    private static IReadOnlyList<string> FamiliesAfter(string line, string reply)
        => ReplyIntegrity.Inspect([new ContextTurn("student", line)], Encode(reply), new float[MiniLmEncoder.Dimensions], [], null).Findings.Select(f => f.Family).ToList();

    // Rated highly by the uptake raters (Demszky et al.), and building on the student's words, not handing them back.
    [Theory]
    [InlineData("It's a prime number.", "It's a prime number. Why is it a prime number?")]
    [InlineData("No students have 9, 10, or 11 cavities.", "How did you come up with that statement of no students have 9, 10, or 11 cavities?")]
    [InlineData("To see how many twirls.", "How many twirls? What do you mean?")]
    [InlineData("Look! I did sixteen really big and neat. Six and a one.", "Ooh, sixteen. What does the one in sixteen mean?")]
    [InlineData("It's propaganda, Revere was a Patriot.", "It's propaganda. Who was it made for?")]
    public void Their_words_with_a_question_about_their_reasoning_are_not_an_echo(string line, string reply)
        => Assert.DoesNotContain(IntegrityFamilies.Echo, FamiliesAfter(line, reply));

    [Theory]
    [InlineData("It's a prime number.", "It's a prime number.")]
    [InlineData("Two out of five are wearing sweatpants.", "Two out of five are wearing sweatpants. That's close.")]
    [InlineData("I think it's twelve because three groups of four is twelve.", "You think it's twelve because three groups of four is twelve?")]
    public void Their_words_handed_back_are_an_echo(string line, string reply)
        => Assert.Contains(IntegrityFamilies.Echo, FamiliesAfter(line, reply));

    // Their words with a feeling they did not name is a reflection, the validation a teacher educator teaches; it was capped
    // at 25 as "mostly repeats what the student just said".
    private const string Panic = "I couldn't do question 7. My head just went blank and everyone else was writing.";

    [Theory]
    [InlineData(Panic, "That sounds really scary, your head going blank while everyone else is writing.")]
    [InlineData(Panic, "Your head went blank while everyone else was writing? That must have been frightening.")]
    public void Their_words_with_a_feeling_named_are_a_reflection_not_an_echo(string line, string reply)
        => Assert.DoesNotContain(IntegrityFamilies.Echo, FamiliesAfter(line, reply));

    [Fact]
    public void Their_words_with_only_a_frame_are_still_an_echo()
        => Assert.Contains(IntegrityFamilies.Echo, FamiliesAfter(Panic, "Your head went blank and everyone else was writing."));

    [Theory]
    [InlineData("I first got 32 and then I got 48.", "And how did you find that?")]
    [InlineData("You can multiply and divide the numerator and the denominator by the same number.", "By what?")]
    [InlineData("5 times 8 times 3", "Not 3. 4.")]
    [InlineData("I put 17.5 because it was divided by 2.", "Did you hear what he said?")]
    [InlineData("6 + 4 = 10, so the area is 10.", "Nearly. What did you do with the 4?")]
    public void A_follow_up_that_brings_no_topic_of_its_own_is_not_off_topic(string line, string reply)
        => Assert.DoesNotContain(IntegrityFamilies.OffTopic, FamiliesAfter(line, reply));

    // A statement that explains a word they just said is about it, however far the embedding puts it: this one is 0.23 from
    // the line, and was capped at 25 as "does not answer what the student just said".
    [Theory]
    [InlineData("Yes, blank! Completely! Like my brain just switched off!", "When you panic, your brain goes into alarm mode and it's hard to think. It's not because you're stupid.")]
    [InlineData("Pickles died this morning.", "When an animal dies, its body stops working and it can't start again.")]
    public void A_statement_that_explains_a_word_they_just_said_is_not_off_topic(string line, string reply)
        => Assert.DoesNotContain(IntegrityFamilies.OffTopic, FamiliesAfter(line, reply));

    // Owning a mistake answers the conversation, as an apology does: this was capped at 25 after Carla's "That lab wasn't
    // safe... Talk me through how you think it went."
    [Theory]
    [InlineData("Okay. I'm going to be straight with you, because that's my job. That lab wasn't safe, and from the exit tickets, most of them didn't learn what osmosis is. Talk me through how you think it went.",
        "You're right. I should have stopped them the first time it got noisy.")]
    [InlineData("It's literally the same cell diagram we did in sixth grade.", "That's on me, not you.")]
    public void Owning_a_mistake_is_not_off_topic(string line, string reply)
        => Assert.DoesNotContain(IntegrityFamilies.OffTopic, FamiliesAfter(line, reply));

    // Thanking them for telling answers what they just did: "Thank you for trusting me. Can you tell me what's been happening?"
    // to Noor, who wanted a promise first, was capped at 25. A reply that brings a subject of its own is still about that.
    [Theory]
    [InlineData("Can I tell you something? But you can't say it was me. Promise you won't say it was me, or they'll do it to me next.",
        "Thank you for trusting me. Can you tell me what's been happening?", false)]
    [InlineData("Pickles died. Mommy said the vet made him go to sleep and he's never waking up.",
        "Thank you for telling me that; no wonder this hits hard. I don't want Kieran believing that about himself either. Can I show you his test?", true)]
    public void Thanking_them_for_telling_is_not_off_topic(string line, string reply, bool offTopic)
        => Assert.Equal(offTopic, FamiliesAfter(line, reply).Contains(IntegrityFamilies.OffTopic));

    // Telling them they are right about something answers them: this was capped at 25 after Carla's "That lab wasn't safe". A
    // reply that agrees with something nobody said, and brings its own subject (another scenario's exemplar), is still off it.
    [Theory]
    [InlineData("Okay. I'm going to be straight with you, because that's my job. That lab wasn't safe, and from the exit tickets, most of them didn't learn what osmosis is. Talk me through how you think it went.",
        "You're so right about the safety briefing. What would you want to see me do differently next time?", false)]
    [InlineData("He panics. Without me there, he writes three lines and then cries that it's all rubbish.",
        "You're right that it's propaganda, and catching that firing line is sharp. Here's my question, though: useful for finding out what?", true)]
    public void Agreeing_with_what_they_said_is_not_off_topic(string line, string reply, bool offTopic)
        => Assert.Equal(offTopic, FamiliesAfter(line, reply).Contains(IntegrityFamilies.OffTopic));

    // A short answer in their own subject answers them: "Thanks, Pauline. They have, and I can see how much you've helped
    // them." after "They've all finished their sentences, you know" was capped at 25. "They have" does not answer "they'll do it".
    [Theory]
    [InlineData("They've all finished their sentences, you know.", "Thanks, Pauline. They have, and I can see how much you've helped them.", true)]
    [InlineData("We're making it into a mixed number?", "Yes, we are. Student E's division shows it.", true)]
    [InlineData("She did it herself, every word.", "She did. I could see that.", true)]
    [InlineData("It's literally the same diagram we did in sixth grade.", "It is, you're right.", true)]
    [InlineData("Promise you won't say it was me, or they'll do it to me next.", "They have, and they're so proud of their books.", false)]
    [InlineData("I finished.", "They have. Let's look at the books.", false)]
    public void A_short_answer_in_their_subject_answers_them(string line, string reply, bool answers)
    {
        Assert.Equal(answers, ReplyIntegrity.AnswersInShort(reply, line));
        if (answers) Assert.DoesNotContain(IntegrityFamilies.OffTopic, FamiliesAfter(line, reply));
    }

    [Theory]
    [InlineData("want", true)]
    [InlineData("tell", true)]
    [InlineData("school", true)]
    [InlineData("brain", false)]
    [InlineData("homework", false)]
    public void Everyday_words_are_those_much_of_the_library_uses(string word, bool everyday)
        => Assert.Equal(everyday, EverydayWords.Contains(TextTokens.Stem(word)));

    // Sharing a word the whole library uses ("want") is not sharing a topic, nor is a question that picks up their word.
    [Theory]
    [InlineData("My dad moved out, and now they want me to pick which house on school nights.", "The library has new graphic novels in, if you want to borrow one.")]
    [InlineData("I'm fine. I just didn't sleep much. Can I go to lunch now?", "What did you have for lunch today?")]
    public void An_everyday_word_or_a_question_on_their_word_does_not_make_a_reply_on_topic(string line, string reply)
        => Assert.Contains(IntegrityFamilies.OffTopic, FamiliesAfter(line, reply));

    [Theory]
    [InlineData("I first got 32 and then I got 48.", "Do you have any pets at home?")]
    [InlineData("I first got 32 and then I got 48.", "What are you doing this weekend?")]
    [InlineData("You can multiply and divide the numerator and the denominator by the same number.", "Did you watch the match last night?")]
    [InlineData("You can multiply and divide the numerator and the denominator by the same number.", "Okay.")]
    public void A_reply_about_something_else_or_nothing_is_off_topic(string line, string reply)
        => Assert.Contains(IntegrityFamilies.OffTopic, FamiliesAfter(line, reply));

    [Fact]
    public void A_list_of_rubric_words_is_stuffing()
        => Assert.Contains(IntegrityFamilies.Stuffing, Families("Let's try her way first. Empathy, validation, rapport, open-ended questioning."));

    [Fact]
    public void Saying_it_twice_is_padding()
        => Assert.Contains(IntegrityFamilies.Padding, Families("Let's try both methods side by side tonight. Let's try both methods side by side tonight."));

    [Fact]
    public void A_finding_caps_the_judgement_and_says_why()
    {
        var judgement = new Judgement(80, JudgementBands.For(80),
            [new("listen-first", "Listens before defending", 85, "Thanks", "Acknowledges his effort.", 0.5), new("plan", "Agrees a plan", 75, null, "A plan.", 0.5)],
            [], "Keep going.");
        var report = ReplyIntegrity.Inspect(Context, Encode("Thanks for coming in. Honestly, some parents."), null, [], null);
        var capped = ReplyIntegrity.Apply(judgement, report);
        Assert.Equal(ReplyIntegrity.SneerOverallCap, capped.Score);
        Assert.Equal(Band.Poor, capped.Band);
        Assert.All(capped.Criteria, c => Assert.True(c.Score <= ReplyIntegrity.SneerCriterionCap && c.Effect == "cost" && c.Evidence == "Honestly, some parents."));
        Assert.Contains(capped.Notes, n => n.Contains("sneers at the parent", StringComparison.Ordinal));
        Assert.Same(judgement, ReplyIntegrity.Apply(judgement, IntegrityReport.Clean));
    }
}
