package dev.fabricembedded.orderer.msgprocessor;

import org.hyperledger.fabric.protos.common.Envelope;

/**
 * Rejects an envelope larger than the channel's {@code AbsoluteMaxBytes} (Fabric's {@code MaxBytesRule}), counting
 * {@code len(payload) + len(signature)}: {@code BAD_REQUEST},
 * {@code message payload is X bytes and exceeds maximum allowed Y bytes}. Immutable.
 */
public final class MaxBytesRule implements Rule {

    private final long absoluteMaxBytes;

    public MaxBytesRule(long absoluteMaxBytes) {
        this.absoluteMaxBytes = absoluteMaxBytes;
    }

    @Override
    public FilterResult apply(Envelope envelope) {
        long size = (long) envelope.getPayload().size() + envelope.getSignature().size();
        if (size > absoluteMaxBytes) {
            return FilterResult.badRequest("message payload is " + size + " bytes and exceeds maximum allowed "
                    + absoluteMaxBytes + " bytes");
        }
        return FilterResult.accept();
    }
}
