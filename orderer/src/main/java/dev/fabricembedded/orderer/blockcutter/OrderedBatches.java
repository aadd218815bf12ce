package dev.fabricembedded.orderer.blockcutter;

import org.hyperledger.fabric.protos.common.Envelope;

import java.util.List;
import java.util.Objects;

/**
 * What {@link BlockCutter#ordered(Envelope)} returns: the batches cut by this envelope (zero, one or two, in order;
 * each becomes one block) and whether envelopes are left pending (the caller runs the batch timer while they are).
 *
 * @param batches the cut batches, oldest first; never empty batches
 * @param pending whether the cutter holds envelopes not yet in a batch
 */
public record OrderedBatches(List<List<Envelope>> batches, boolean pending) {

    public OrderedBatches {
        Objects.requireNonNull(batches, "batches");
        batches = List.copyOf(batches);
    }
}
