package dev.fabricembedded.msp.crypto;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecentVerificationsTest {

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    private static byte[] digest(String message) {
        return Sha256.digest(message.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] signature(int seed) {
        byte[] signature = new byte[71];
        for (int i = 0; i < signature.length; i++) {
            signature[i] = (byte) (seed * 31 + i);
        }
        return signature;
    }

    private RecentVerifications memo(int capacity) {
        return new RecentVerifications(capacity, Duration.ofSeconds(2), clock::get);
    }

    @Test
    void recallsOnlyTheExactDigestAndSignatureRemembered() {
        RecentVerifications memo = memo(4);
        memo.remember(digest("proposal"), signature(1));

        assertThat(memo.recall(digest("proposal"), signature(1))).isTrue();
        assertThat(memo.recall(digest("proposal"), signature(2))).isFalse();
        assertThat(memo.recall(digest("another proposal"), signature(1))).isFalse();
        byte[] flipped = signature(1);
        flipped[flipped.length - 1] ^= 1;
        assertThat(memo.recall(digest("proposal"), flipped)).isFalse();
        byte[] truncated = java.util.Arrays.copyOf(signature(1), 70);
        assertThat(memo.recall(digest("proposal"), truncated)).isFalse();
    }

    @Test
    void keepsOnlyTheLastCapacityEntries() {
        RecentVerifications memo = memo(4);
        for (int i = 0; i < 6; i++) {
            memo.remember(digest("m" + i), signature(i));
        }
        assertThat(memo.recall(digest("m0"), signature(0))).isFalse();
        assertThat(memo.recall(digest("m1"), signature(1))).isFalse();
        for (int i = 2; i < 6; i++) {
            assertThat(memo.recall(digest("m" + i), signature(i))).as("entry %d", i).isTrue();
        }
    }

    @Test
    void forgetsAnEntryOlderThanTheMaxAge() {
        RecentVerifications memo = memo(4);
        memo.remember(digest("proposal"), signature(1));
        clock.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(memo.recall(digest("proposal"), signature(1))).isTrue();
        clock.addAndGet(1);
        assertThat(memo.recall(digest("proposal"), signature(1))).isFalse();
    }

    @Test
    void capacityIsRoundedUpToAPowerOfTwoAndChecked() {
        assertThat(memo(1).capacity()).isEqualTo(1);
        assertThat(memo(5).capacity()).isEqualTo(8);
        assertThat(new RecentVerifications().capacity()).isEqualTo(RecentVerifications.DEFAULT_CAPACITY);
        assertThatThrownBy(() -> memo(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("capacity must be within 1..65536, got 0");
        assertThatThrownBy(() -> new RecentVerifications(4, Duration.ZERO, clock::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxAge must be positive, got PT0S");
    }
}
