using TeacherTrainer.ApiService.Evaluation;

namespace TeacherTrainer.Tests.Unit;

public sealed class TitledNamesTests
{
    [Theory]
    [InlineData("I'll talk to Mr. Fletcher and Mrs Khan, then Mr Fletcher again.", "Mr Fletcher|Mrs Khan")]
    [InlineData("Ms O'Brien and Dr Smith-Jones will be there.", "Ms O'Brien|Dr Smith-Jones")]
    [InlineData("Take it to Mr Osei's office.", "Mr Osei")]
    [InlineData("Miss, can I go? Mrs is not a name and neither is mr fletcher.", "")]
    public void Reads_an_adult_named_by_title(string text, string names)
        => Assert.Equal(names.Split('|', StringSplitOptions.RemoveEmptyEntries), TitledNames.In(text));

    [Fact]
    public void Writes_every_titled_name_as_someone()
        => Assert.Equal("I'll tell someone, and someone's office is open.", TitledNames.WithoutNames("I'll tell Mrs Khan, and Mr. Osei's office is open."));
}
