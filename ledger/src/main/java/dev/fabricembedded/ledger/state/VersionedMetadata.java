package dev.fabricembedded.ledger.state;

/**
 * The version and metadata of a committed entry without its value: what MVCC checks and value-only writes
 * (which keep the key's metadata) need, read without copying the value.
 *
 * @param version  the (block, tx) that last wrote the entry
 * @param metadata serialized metadata, empty array if none
 */
public record VersionedMetadata(Height version, byte[] metadata) {
}
