package dev.fabricembedded.ledger.state;

/**
 * A committed state entry: its value, its metadata (serialized {@code KVMetadataWrite} entries, empty if none)
 * and the version that wrote it. The arrays are owned by this object; do not modify them.
 *
 * @param value    the value (never empty: Fabric treats an empty write as a delete)
 * @param metadata serialized metadata, empty array if none
 * @param version  the (block, tx) that last wrote the entry
 */
public record VersionedValue(byte[] value, byte[] metadata, Height version) {
}
