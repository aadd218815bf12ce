package dev.fabricembedded.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JsonArgsTest {

    @Test
    void parsesAnArrayOfStrings() {
        assertThat(JsonArgs.parse("[\"move\",\"a\",\"b\",\"10\"]")).containsExactly("move", "a", "b", "10");
    }

    @Test
    void allowsWhitespaceBetweenTokensAndAnEmptyArray() {
        assertThat(JsonArgs.parse(" \n[ \"init\" ,\t\"a\" ]\r\n ")).containsExactly("init", "a");
        assertThat(JsonArgs.parse("[]")).isEmpty();
        assertThat(JsonArgs.parse("[ ]")).isEmpty();
        assertThat(JsonArgs.parse("[\"\"]")).containsExactly("");
    }

    @Test
    void decodesEveryJsonEscape() {
        assertThat(JsonArgs.parse("[\"q\\\"b\\\\s\\/n\\nt\\tr\\rb\\bf\\f\"]"))
                .containsExactly("q\"b\\s/n\nt\tr\rb\bf\f");
        assertThat(JsonArgs.parse("[\"\\u00e9\\u20AC\"]")).containsExactly("é€");
        assertThat(JsonArgs.parse("[\"\\ud83d\\ude00\"]")).containsExactly("\uD83D\uDE00");
        assertThat(JsonArgs.parse("[\"déjà\"]")).containsExactly("déjà");
    }

    @Test
    void refusesWhatIsNotAnArrayOfStrings() {
        assertThatThrownBy(() -> JsonArgs.parse("{\"Args\":[\"a\"]}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected '['").hasMessageContaining("position 0");
        assertThatThrownBy(() -> JsonArgs.parse("[\"a\",10]"))
                .hasMessageContaining("expected a string in double quotes").hasMessageContaining("position 5");
        assertThatThrownBy(() -> JsonArgs.parse("[\"a\",]")).hasMessageContaining("position 5");
        assertThatThrownBy(() -> JsonArgs.parse("[\"a\" \"b\"]")).hasMessageContaining("expected ',' or ']'");
        assertThatThrownBy(() -> JsonArgs.parse("[\"a\"] x")).hasMessageContaining("expected the end");
        assertThatThrownBy(() -> JsonArgs.parse("[[\"a\"]]")).hasMessageContaining("string in double quotes");
        assertThatThrownBy(() -> JsonArgs.parse("['a']")).hasMessageContaining("string in double quotes");
        assertThatThrownBy(() -> JsonArgs.parse("")).hasMessageContaining("found the end");
        assertThatThrownBy(() -> JsonArgs.parse(null)).hasMessageContaining("--args is missing");
    }

    @Test
    void refusesBrokenStrings() {
        assertThatThrownBy(() -> JsonArgs.parse("[\"abc")).hasMessageContaining("closing '\"'");
        assertThatThrownBy(() -> JsonArgs.parse("[\"a\\x\"]")).hasMessageContaining("one of \\\"")
                .hasMessageContaining("position 4");
        assertThatThrownBy(() -> JsonArgs.parse("[\"\\u12g4\"]")).hasMessageContaining("four hex digits");
        assertThatThrownBy(() -> JsonArgs.parse("[\"\\u12")).hasMessageContaining("four hex digits");
        assertThatThrownBy(() -> JsonArgs.parse("[\"a\nb\"]")).hasMessageContaining("no control character");
        assertThatThrownBy(() -> JsonArgs.parse("[\"a\\")).hasMessageContaining("escape character");
    }
}
