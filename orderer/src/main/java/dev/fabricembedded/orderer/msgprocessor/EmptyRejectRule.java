package dev.fabricembedded.orderer.msgprocessor;

import org.hyperledger.fabric.protos.common.Envelope;

/**
 * Rejects an envelope without payload (Fabric's {@code EmptyRejectRule}): {@code BAD_REQUEST},
 * {@code Message was empty}.
 */
public final class EmptyRejectRule implements Rule {

    /** Fabric's text. */
    public static final String MESSAGE = "Message was empty";

    @Override
    public FilterResult apply(Envelope envelope) {
        return envelope.getPayload().isEmpty() ? FilterResult.badRequest(MESSAGE) : FilterResult.accept();
    }
}
