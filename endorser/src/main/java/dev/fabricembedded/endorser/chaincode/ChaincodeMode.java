package dev.fabricembedded.endorser.chaincode;

/**
 * Fabric's {@code chaincode.mode}: whether the peer accepts a chaincode connection it did not launch itself.
 */
public enum ChaincodeMode {
    /**
     * The default: only chaincodes the peer launched may register; an unsolicited REGISTER is refused with
     * {@code peer will not accept external chaincode connection <name> (except in dev mode)}.
     */
    NET,
    /**
     * Development: a chaincode the developer started and connected (see
     * {@link ChaincodeSupport#newConnectionHandler()}) may register under any name, and is used instead of launching
     * one.
     */
    DEV
}
