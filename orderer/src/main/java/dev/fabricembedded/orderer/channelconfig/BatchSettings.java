package dev.fabricembedded.orderer.channelconfig;

import org.hyperledger.fabric.protos.orderer.BatchSize;
import org.hyperledger.fabric.protos.orderer.BatchTimeout;

import java.time.Duration;
import java.util.Objects;

/**
 * The orderer's batch settings of a channel (the {@code BatchSize} and {@code BatchTimeout} values of the
 * {@code Orderer} group), which drive the block cutter (fabric-1.4-flow.md §5.3).
 *
 * <p>Always valid: the constructor applies Fabric's checks ({@code common/channelconfig/orderer.go}) with Fabric's
 * texts, so an instance can be trusted by the cutter and the broadcast filters: every size &gt; 0,
 * {@code preferredMaxBytes <= absoluteMaxBytes}, a positive timeout, sizes within uint32 as in the protobuf.
 *
 * @param maxMessageCount   a block is cut when it holds this many envelopes
 * @param absoluteMaxBytes  an envelope ({@code payload + signature}) larger than this is rejected at broadcast
 * @param preferredMaxBytes a block is cut before it would exceed this many bytes; a larger envelope gets a block
 *                          of its own
 * @param batchTimeout      a pending batch is cut this long after its first envelope arrived
 */
public record BatchSettings(long maxMessageCount, long absoluteMaxBytes, long preferredMaxBytes,
        Duration batchTimeout) {

    private static final long UINT32_MAX = 0xFFFF_FFFFL;
    private static final long MB = 1024 * 1024;

    /**
     * Fabric's sample defaults ({@code sampleconfig/configtx.yaml}): BatchTimeout 2 s, MaxMessageCount 500,
     * AbsoluteMaxBytes 10 MB, PreferredMaxBytes 2 MB.
     */
    public static final BatchSettings FABRIC_SAMPLE = new BatchSettings(500, 10 * MB, 2 * MB, Duration.ofSeconds(2));

    /**
     * The embedded default: Fabric's sample sizes with a 100 ms BatchTimeout. A networked orderer waits 2 s to fill
     * blocks across many clients; an embedded one mostly serves a host application waiting on its own
     * transactions, where the timeout is pure latency when load is light (under load, MaxMessageCount and
     * PreferredMaxBytes cut blocks before the timer fires).
     */
    public static final BatchSettings EMBEDDED_DEFAULT = FABRIC_SAMPLE.withBatchTimeout(Duration.ofMillis(100));

    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException with Fabric's text, e.g. {@code Attempted to set the batch size preferred
     *                                  max bytes (3) greater than the absolute max bytes (2).}
     */
    public BatchSettings {
        Objects.requireNonNull(batchTimeout, "batchTimeout");
        if (maxMessageCount == 0) {
            throw new IllegalArgumentException(
                    "Attempted to set the batch size max message count to an invalid value: 0");
        }
        if (absoluteMaxBytes == 0) {
            throw new IllegalArgumentException(
                    "Attempted to set the batch size absolute max bytes to an invalid value: 0");
        }
        if (preferredMaxBytes == 0) {
            throw new IllegalArgumentException(
                    "Attempted to set the batch size preferred max bytes to an invalid value: 0");
        }
        checkUint32("max message count", maxMessageCount);
        checkUint32("absolute max bytes", absoluteMaxBytes);
        checkUint32("preferred max bytes", preferredMaxBytes);
        if (preferredMaxBytes > absoluteMaxBytes) {
            throw new IllegalArgumentException("Attempted to set the batch size preferred max bytes ("
                    + preferredMaxBytes + ") greater than the absolute max bytes (" + absoluteMaxBytes + ").");
        }
        if (batchTimeout.isNegative() || batchTimeout.isZero()) {
            throw new IllegalArgumentException("Attempted to set the batch timeout to a non-positive value: "
                    + GoDuration.format(batchTimeout));
        }
    }

    /**
     * Reads the protobuf values of a channel configuration.
     *
     * @throws IllegalArgumentException with Fabric's text when they are not valid
     */
    public static BatchSettings fromProto(BatchSize size, BatchTimeout timeout) {
        Duration parsed;
        try {
            parsed = GoDuration.parse(timeout.getTimeout());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Attempted to set the batch timeout to a invalid value: "
                    + e.getMessage(), e);
        }
        return new BatchSettings(Integer.toUnsignedLong(size.getMaxMessageCount()),
                Integer.toUnsignedLong(size.getAbsoluteMaxBytes()), Integer.toUnsignedLong(size.getPreferredMaxBytes()),
                parsed);
    }

    /** The {@code BatchSize} value. */
    public BatchSize batchSizeProto() {
        return BatchSize.newBuilder().setMaxMessageCount((int) maxMessageCount)
                .setAbsoluteMaxBytes((int) absoluteMaxBytes).setPreferredMaxBytes((int) preferredMaxBytes).build();
    }

    /** The {@code BatchTimeout} value, the timeout written as Go writes durations. */
    public BatchTimeout batchTimeoutProto() {
        return BatchTimeout.newBuilder().setTimeout(GoDuration.format(batchTimeout)).build();
    }

    public BatchSettings withMaxMessageCount(long count) {
        return new BatchSettings(count, absoluteMaxBytes, preferredMaxBytes, batchTimeout);
    }

    public BatchSettings withAbsoluteMaxBytes(long bytes) {
        return new BatchSettings(maxMessageCount, bytes, preferredMaxBytes, batchTimeout);
    }

    public BatchSettings withPreferredMaxBytes(long bytes) {
        return new BatchSettings(maxMessageCount, absoluteMaxBytes, bytes, batchTimeout);
    }

    public BatchSettings withBatchTimeout(Duration timeout) {
        return new BatchSettings(maxMessageCount, absoluteMaxBytes, preferredMaxBytes, timeout);
    }

    private static void checkUint32(String what, long value) {
        if (value < 0 || value > UINT32_MAX) {
            throw new IllegalArgumentException("batch size " + what + " " + value + " is outside 1.." + UINT32_MAX);
        }
    }
}
