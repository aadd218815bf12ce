package dev.fabricembedded.ledger.state;

/**
 * One result of a state range scan.
 *
 * @param namespace the chaincode namespace
 * @param key       the key within the namespace
 * @param value     the committed value with its version and metadata
 */
public record VersionedKV(String namespace, String key, VersionedValue value) {
}
