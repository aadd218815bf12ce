package dev.fabricembedded.orderer.blockcutter;

import dev.fabricembedded.orderer.channelconfig.BatchSettings;
import org.hyperledger.fabric.protos.common.Envelope;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Fabric 1.4's block cutter ({@code orderer/common/blockcutter}, fabric-1.4-flow.md §5.3): groups ordered envelopes
 * into batches, one batch per block. With {@code size = len(payload) + len(signature)}, {@link #ordered(Envelope)}:
 * <ol>
 *   <li>if {@code size > PreferredMaxBytes}: cuts the pending batch (if any), then emits the envelope alone in its
 *   own batch; nothing is left pending;</li>
 *   <li>otherwise, if {@code pendingBytes + size > PreferredMaxBytes}: cuts the pending batch first;</li>
 *   <li>appends the envelope; if the pending batch now holds {@code MaxMessageCount} envelopes, cuts it.</li>
 * </ol>
 * {@link #cut()} is the batch timer's cut. {@code AbsoluteMaxBytes} is not applied here: broadcast rejects larger
 * envelopes before they are ordered.
 *
 * <p>Thread ownership: not thread-safe; one instance per channel, owned by that channel's ordering thread.
 */
public final class BlockCutter {

    private final BatchSettings settings;
    private List<Envelope> pendingBatch = new ArrayList<>();
    private long pendingBatchSizeBytes;

    /** A cutter applying these batch settings. */
    public BlockCutter(BatchSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The size the cutter counts for an envelope: {@code len(payload) + len(signature)}. */
    public static long messageSizeBytes(Envelope envelope) {
        return (long) envelope.getPayload().size() + envelope.getSignature().size();
    }

    /** Orders one envelope; see the class comment for the rules. */
    public OrderedBatches ordered(Envelope envelope) {
        Objects.requireNonNull(envelope, "envelope");
        long size = messageSizeBytes(envelope);
        List<List<Envelope>> batches = new ArrayList<>(2);
        if (size > settings.preferredMaxBytes()) {
            if (!pendingBatch.isEmpty()) {
                batches.add(cut());
            }
            batches.add(List.of(envelope));
            return new OrderedBatches(batches, false);
        }
        if (pendingBatchSizeBytes + size > settings.preferredMaxBytes()) {
            batches.add(cut());
        }
        pendingBatch.add(envelope);
        pendingBatchSizeBytes += size;
        boolean pending = true;
        if (pendingBatch.size() >= settings.maxMessageCount()) {
            batches.add(cut());
            pending = false;
        }
        return new OrderedBatches(batches, pending);
    }

    /** Returns the pending batch (possibly empty) and starts a new one. */
    public List<Envelope> cut() {
        List<Envelope> batch = List.copyOf(pendingBatch);
        pendingBatch = new ArrayList<>();
        pendingBatchSizeBytes = 0;
        return batch;
    }

    /** Number of envelopes pending. */
    public int pendingCount() {
        return pendingBatch.size();
    }

    /** Bytes pending (as counted by {@link #messageSizeBytes(Envelope)}). */
    public long pendingBytes() {
        return pendingBatchSizeBytes;
    }

    /** The settings applied. */
    public BatchSettings settings() {
        return settings;
    }
}
