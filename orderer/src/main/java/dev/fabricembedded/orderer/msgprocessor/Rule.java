package dev.fabricembedded.orderer.msgprocessor;

import org.hyperledger.fabric.protos.common.Envelope;

/**
 * One broadcast filter rule (Fabric's {@code msgprocessor.Rule}): accepts an envelope or rejects it with a status
 * and Fabric's text. Rejection is an expected outcome, returned, never thrown.
 *
 * <p>Implementations are immutable and thread-safe: broadcast runs the rules on the caller's thread, so many
 * clients are filtered in parallel.
 */
@FunctionalInterface
public interface Rule {

    /** Applies the rule. */
    FilterResult apply(Envelope envelope);
}
