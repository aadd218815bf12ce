package dev.fabricembedded.ledger.state;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The encoded key's hash: the same whether taken from the Strings or from the encoded bytes. */
class StateKeyTest {
    private static final List<String> KEYS = List.of("", "a", "key000000042", "\u0000car\u0000red\u0000",
            "clé", "キー", "emoji \uD83D\uDE00 key", "x".repeat(300));

    @Test
    void theHashOfTheStringsEqualsTheHashOfTheEncodedBytesForAsciiAndUnicodeKeys() {
        for (String namespace : List.of("mycc", "lscc", "名前")) {
            for (String key : KEYS) {
                final int fromStrings = StateKey.hash(namespace, key);
                assertThat(StateKey.fromBytes(StateKey.encode(namespace, key)).hashCode())
                        .as(namespace + ":" + key).isEqualTo(fromStrings);
                assertThat(StateKey.checked(namespace, key).hashCode()).isEqualTo(fromStrings);
                assertThat(StateKey.of(namespace, key)).isEqualTo(StateKey.checked(namespace, key));
            }
        }
    }

    @Test
    void checkedRefusesWhatEncodeCheckedRefuses() {
        assertThatThrownBy(() -> StateKey.checked("", "k")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("namespace");
        assertThatThrownBy(() -> StateKey.checked("ns", "bad \uD800 surrogate"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired surrogate");
    }
}
