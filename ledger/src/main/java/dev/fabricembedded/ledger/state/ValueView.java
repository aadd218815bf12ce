package dev.fabricembedded.ledger.state;

import com.google.protobuf.ByteString;

/**
 * A committed value as a read-only view, and the version that wrote it: what a read that only forwards the value
 * needs, without the copy a {@code byte[]} read must make (callers may modify an array they are handed). The view
 * shares the bytes the state cache holds (an entry's bytes are replaced by a commit, never changed in place) or
 * those the Chronicle Map read produced; a {@link ByteString} cannot be modified, so nobody can corrupt either.
 *
 * @param value   the value (never empty: Fabric treats an empty write as a delete)
 * @param version the (block, tx) that last wrote the entry
 */
public record ValueView(ByteString value, Height version) {
}
