package dev.fabricembedded.shim.ledger;

/**
 * One entry of a range or composite-key query: a key of this chaincode's namespace and its committed value.
 * Fabric's {@code queryresult.KV} as chaincode authors see it.
 */
public interface KeyValue {

    /** The key (a simple key, or a composite key starting with U+0000). */
    String getKey();

    /** A copy of the value bytes. */
    byte[] getValue();

    /** The value decoded as UTF-8. */
    String getStringValue();
}
