package dev.fabricembedded.ledger.state;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
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

    @Test
    void encodeAsciiWritesWhatEncodeDoesOrDeclinesWhatItCannotEncodeAndCheck() {
        final byte[] buffer = new byte[256];
        for (String key : List.of("", "a", "key000000042", "\u0000car\u0000red\u0000", "x".repeat(251))) {
            final byte[] expected = StateKey.encode("mycc", key);
            assertThat(StateKey.encodeAscii("mycc", key, buffer)).as(key).isEqualTo(expected.length);
            assertThat(Arrays.copyOf(buffer, expected.length)).isEqualTo(expected);
        }
        // outside ASCII (including Latin-1 characters whose UTF-8 is two bytes), too long, or invalid: declined,
        // so that the caller takes the checking, allocating path
        for (String key : List.of("clé", "cl\u00C3\u00A9", "キー", "emoji \uD83D\uDE00 key", "bad \uD800", "x".repeat(252))) {
            assertThat(StateKey.encodeAscii("mycc", key, buffer)).as(key).isEqualTo(-1);
        }
        assertThat(StateKey.encodeAscii("", "k", buffer)).isEqualTo(-1);
        assertThat(StateKey.encodeAscii("my\u0000cc", "k", buffer)).isEqualTo(-1);
        assertThat(StateKey.encodeAscii("名前", "k", buffer)).isEqualTo(-1);
        assertThat(StateKey.encodeAscii(null, "k", buffer)).isEqualTo(-1);
        assertThat(StateKey.encodeAscii("mycc", null, buffer)).isEqualTo(-1);
    }
}
