package dev.fabricembedded.shim.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CompositeKeyTest {

    @Test
    void compositeKeyUsesFabricsEncoding() {
        assertThat(new CompositeKey("marble", "blue", "tom").toString()).isEqualTo("\u0000marble\u0000blue\u0000tom\u0000");
        assertThat(new CompositeKey("marble").toString()).isEqualTo("\u0000marble\u0000");
    }

    @Test
    void parseIsTheInverseOfCreateIncludingEmptyAttributes() {
        final CompositeKey key = new CompositeKey("t", "a", "", "b", "");
        final CompositeKey parsed = CompositeKey.parseCompositeKey(key.toString());
        assertThat(parsed.getObjectType()).isEqualTo("t");
        assertThat(parsed.getAttributes()).containsExactly("a", "", "b", "");
        assertThat(parsed).isEqualTo(key);
    }

    @Test
    void segmentsMustNotContainTheDelimiterOrTheMaximumCodePoint() {
        assertThatThrownBy(() -> new CompositeKey("ty\u0000pe"))
                .isInstanceOf(CompositeKeyFormatException.class)
                .hasMessage("For input string 'ty\u0000pe', found 'U+000000' at index 2.");
        assertThatThrownBy(() -> new CompositeKey("type", "ok", "x\uDBFF\uDFFF"))
                .isInstanceOf(CompositeKeyFormatException.class)
                .hasMessage("For input string 'x\uDBFF\uDFFF', found 'U+10FFFF' at index 1.");
    }

    @Test
    void otherSupplementaryCharactersAreAllowed() {
        assertThat(new CompositeKey("t", "\uD83D\uDE00").getAttributes()).containsExactly("\uD83D\uDE00");
    }

    @Test
    void malformedCompositeKeyStringsAreRejected() {
        assertThatThrownBy(() -> CompositeKey.parseCompositeKey("plain"))
                .isInstanceOf(CompositeKeyFormatException.class).hasMessageContaining("does not start with U+0000");
        assertThatThrownBy(() -> CompositeKey.parseCompositeKey("\u0000type"))
                .isInstanceOf(CompositeKeyFormatException.class).hasMessageContaining("does not end with U+0000");
        assertThatThrownBy(() -> CompositeKey.parseCompositeKey("\u0000"))
                .isInstanceOf(CompositeKeyFormatException.class);
    }

    @Test
    void simpleKeysMustNotStartWithTheCompositeNamespace() {
        CompositeKey.validateSimpleKeys("a", "", "b\u0000");
        assertThatThrownBy(() -> CompositeKey.validateSimpleKeys("a", "\u0000b"))
                .isInstanceOf(CompositeKeyFormatException.class)
                .hasMessage("First character of the key [\u0000b] contains a 'U+000000' which is not allowed");
    }

    @Test
    void attributesListIsImmutable() {
        final CompositeKey key = new CompositeKey("t", List.of("a"));
        assertThatThrownBy(() -> key.getAttributes().add("b")).isInstanceOf(UnsupportedOperationException.class);
    }
}
