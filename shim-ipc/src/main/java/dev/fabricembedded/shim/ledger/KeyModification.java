package dev.fabricembedded.shim.ledger;

import java.time.Instant;

/**
 * One committed change of a key, as returned by {@code ChaincodeStub.getHistoryForKey}: Fabric's
 * {@code queryresult.KeyModification} as chaincode authors see it.
 */
public interface KeyModification {

    /** The transaction that made the change. */
    String getTxId();

    /** A copy of the value written (empty for a delete). */
    byte[] getValue();

    /** The value decoded as UTF-8. */
    String getStringValue();

    /** The timestamp of the transaction (the client's proposal timestamp), or {@code null} if none was recorded. */
    Instant getTimestamp();

    /** {@code true} if the change deleted the key. */
    boolean isDeleted();
}
