using GraphRouter.Core.Featurization;

namespace GraphRouter.Core.Tests.Featurization;

public sealed class TextTokenizerTests
{
    [Fact]
    public void Words_are_lower_cased_and_punctuation_is_a_token_of_its_own()
    {
        var tokens = TextTokenizer.Tokenize("Write a Python function: sum(a, b) -> int.");

        Assert.Equal(["write", "a", "python", "function", ":", "sum", "(", "a", ",", "b", ")", "-", ">", "int", "."], tokens);
    }

    [Fact]
    public void Whitespace_separates_and_is_never_a_token()
    {
        Assert.Empty(TextTokenizer.Tokenize(""));
        Assert.Empty(TextTokenizer.Tokenize(" \t\r\n\u00a0 "));
        Assert.Equal(["a1", "b2"], TextTokenizer.Tokenize("  A1\n\tb2  "));
    }

    [Fact]
    public void Long_runs_are_cut_to_the_maximum_token_length()
    {
        var tokens = TextTokenizer.Tokenize(new string('X', 500) + " y");

        Assert.Equal(2, tokens.Count);
        Assert.Equal(new string('x', TextTokenizer.MaxTokenLength), tokens[0]);
        Assert.Equal("y", tokens[1]);
    }

    [Fact]
    public void Non_latin_letters_are_words_and_lone_surrogates_are_single_tokens()
    {
        Assert.Equal(["данные", "和", "数据"], TextTokenizer.Tokenize("Данные 和 数据"));
        // A lone high surrogate is neither letter nor space: it stands alone, and nothing throws.
        Assert.Equal(["ab", "\ud800", "cd"], TextTokenizer.Tokenize("ab\ud800cd"));
    }
}
