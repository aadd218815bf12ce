package dev.fabricembedded.shim.impl;

/**
 * States of the chaincode-side handler (Fabric's shim states {@code created → established → ready}), plus
 * {@link #CLOSED} once the channel to the peer is gone.
 */
public enum ShimState {
    /** REGISTER sent; waiting for REGISTERED. */
    CREATED,
    /** REGISTERED received; waiting for READY. */
    ESTABLISHED,
    /** READY received: INIT and TRANSACTION are executed, RESPONSE and ERROR routed to waiting requests. */
    READY,
    /** The channel closed; nothing is received any more. */
    CLOSED
}
