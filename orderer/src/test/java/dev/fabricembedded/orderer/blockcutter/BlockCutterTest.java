package dev.fabricembedded.orderer.blockcutter;

import com.google.protobuf.ByteString;
import dev.fabricembedded.orderer.channelconfig.BatchSettings;
import org.hyperledger.fabric.protos.common.Envelope;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** fabric-1.4-flow.md §5.3 and the blockcutter cases of §9.5. */
class BlockCutterTest {

    /** MaxMessageCount 3, AbsoluteMaxBytes 1000, PreferredMaxBytes 100. */
    private final BlockCutter cutter = new BlockCutter(new BatchSettings(3, 1000, 100, Duration.ofSeconds(1)));

    /** An envelope counting exactly {@code payload + signature} bytes. */
    private static Envelope envelope(int payloadBytes, int signatureBytes, int tag) {
        byte[] payload = new byte[payloadBytes];
        if (payloadBytes > 0) {
            payload[0] = (byte) tag;
        }
        return Envelope.newBuilder().setPayload(ByteString.copyFrom(payload))
                .setSignature(ByteString.copyFrom(new byte[signatureBytes])).build();
    }

    @Test
    void sizeCountsPayloadAndSignature() {
        assertThat(BlockCutter.messageSizeBytes(envelope(30, 12, 0))).isEqualTo(42);
    }

    @Test
    void countCutWhenMaxMessageCountIsReached() {
        Envelope a = envelope(10, 0, 1);
        Envelope b = envelope(10, 0, 2);
        Envelope c = envelope(10, 0, 3);
        assertThat(cutter.ordered(a)).isEqualTo(new OrderedBatches(List.of(), true));
        assertThat(cutter.ordered(b)).isEqualTo(new OrderedBatches(List.of(), true));
        OrderedBatches third = cutter.ordered(c);
        assertThat(third.batches()).containsExactly(List.of(a, b, c));
        assertThat(third.pending()).isFalse();
        assertThat(cutter.pendingCount()).isZero();
        assertThat(cutter.pendingBytes()).isZero();
    }

    @Test
    void overflowCutsThePendingBatchBeforeAppending() {
        Envelope a = envelope(60, 0, 1);
        Envelope b = envelope(30, 10, 2); // 60 + 40 = 100: fits exactly
        Envelope c = envelope(1, 0, 3);   // 101 > 100: cut [a, b] first
        assertThat(cutter.ordered(a).batches()).isEmpty();
        assertThat(cutter.ordered(b).batches()).isEmpty();
        assertThat(cutter.pendingBytes()).isEqualTo(100);
        OrderedBatches result = cutter.ordered(c);
        assertThat(result.batches()).containsExactly(List.of(a, b));
        assertThat(result.pending()).isTrue();
        assertThat(cutter.pendingCount()).isEqualTo(1);
        assertThat(cutter.pendingBytes()).isEqualTo(1);
    }

    @Test
    void oversizedMessageIsIsolatedInItsOwnBatchAfterThePendingOne() {
        Envelope a = envelope(10, 0, 1);
        Envelope big = envelope(95, 6, 2); // 101 > PreferredMaxBytes
        cutter.ordered(a);
        OrderedBatches result = cutter.ordered(big);
        assertThat(result.batches()).containsExactly(List.of(a), List.of(big));
        assertThat(result.pending()).isFalse();
        assertThat(cutter.pendingCount()).isZero();
    }

    @Test
    void oversizedMessageWithNothingPendingIsOneBatch() {
        Envelope big = envelope(500, 0, 1);
        OrderedBatches result = cutter.ordered(big);
        assertThat(result.batches()).containsExactly(List.of(big));
        assertThat(result.pending()).isFalse();
    }

    @Test
    void overflowAndCountCutCanHappenOnOneMessage() {
        BlockCutter oneMessage = new BlockCutter(new BatchSettings(1, 1000, 100, Duration.ofSeconds(1)));
        Envelope a = envelope(10, 0, 1);
        assertThat(oneMessage.ordered(a).batches()).containsExactly(List.of(a));
        BlockCutter twoMessages = new BlockCutter(new BatchSettings(2, 1000, 100, Duration.ofSeconds(1)));
        Envelope b = envelope(90, 0, 2);
        Envelope c = envelope(20, 0, 3);
        twoMessages.ordered(b);
        // c overflows (90 + 20 > 100): [b] is cut, c starts a new batch of one, still below the count
        OrderedBatches result = twoMessages.ordered(c);
        assertThat(result.batches()).containsExactly(List.of(b));
        assertThat(result.pending()).isTrue();
    }

    @Test
    void timerCutReturnsThePendingBatchAndResets() {
        Envelope a = envelope(10, 0, 1);
        Envelope b = envelope(10, 0, 2);
        cutter.ordered(a);
        cutter.ordered(b);
        assertThat(cutter.cut()).containsExactly(a, b);
        assertThat(cutter.cut()).isEmpty();
        assertThat(cutter.pendingBytes()).isZero();
        Envelope c = envelope(10, 0, 3);
        assertThat(cutter.ordered(c).pending()).isTrue();
        assertThat(cutter.cut()).containsExactly(c);
    }
}
