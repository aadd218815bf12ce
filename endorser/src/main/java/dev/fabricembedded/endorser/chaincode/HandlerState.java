package dev.fabricembedded.endorser.chaincode;

import java.util.Locale;

/**
 * The states of the peer-side handler of one chaincode connection (Fabric 1.4 §3.3). The handler passes through
 * {@link #ESTABLISHED} within the handling of REGISTER: it sends REGISTERED, becomes established, sends READY and is
 * ready.
 */
enum HandlerState {
    /** Connected; only REGISTER (and KEEPALIVE) is accepted. */
    CREATED,
    /** REGISTERED sent, READY not yet. */
    ESTABLISHED,
    /** Serving transactions and the chaincode's requests. */
    READY;

    /** Fabric's lower-case name, as in its log and error texts. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
