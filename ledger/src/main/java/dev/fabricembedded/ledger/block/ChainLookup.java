package dev.fabricembedded.ledger.block;

import dev.fabricembedded.ledger.storage.GenerationalMap;
import dev.fabricembedded.ledger.storage.MapSizing;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Transaction id to (block, tx, code) and block hash to block number, in a {@link GenerationalMap} so it grows
 * with the chain. Key {@code 'T' + txid} holds {@code block u64 | tx u32 | code u8}; key {@code 'H' + hash} holds
 * {@code block u64}; the bookkeeping key holds the height indexed so far, the index's savepoint.
 *
 * <p>A transaction id is indexed once, at its first occurrence; later duplicates are not re-indexed (Fabric's
 * {@code blockindex}), so a lookup always answers where the id was first committed.
 *
 * <p>An id longer than {@value #MAX_PLAIN_TX_ID_BYTES} bytes is indexed under {@code 'D' + SHA-256(id)} instead.
 * A valid Fabric transaction id is 64 hex characters, but the channel header's id is whatever the client wrote, and
 * the block store indexes every transaction of a block, invalid ones included: an id of a megabyte would not fit a
 * map entry, the block could not be committed, and the ledger could not reopen either (the index is rebuilt from
 * the blocks). The digest keeps such a block committable and its id findable.
 *
 * <p>Thread ownership: one writer ({@link #index}); concurrent readers.
 */
final class ChainLookup implements AutoCloseable {
    static final String PREFIX = "index";
    private static final byte[] SAVEPOINT = {0, 'S'};
    private static final int TX_VALUE_SIZE = 13;
    /** Longest transaction id (UTF-8 bytes) indexed as itself; longer ones are indexed by digest. */
    static final int MAX_PLAIN_TX_ID_BYTES = 1024;

    private final GenerationalMap map;

    private ChainLookup(final GenerationalMap map) {
        this.map = map;
    }

    static ChainLookup open(final Path directory, final long entries, final int averageTxIdSize,
                            final boolean recover) {
        final MapSizing sizing = new MapSizing(entries, averageTxIdSize + 1, TX_VALUE_SIZE, 64 * 1024, 2.0);
        return new ChainLookup(GenerationalMap.open(directory, PREFIX, sizing, recover));
    }

    static void delete(final Path directory) {
        GenerationalMap.delete(directory, PREFIX);
    }

    /** Height indexed so far (blocks below it are fully indexed). */
    long indexedHeight() {
        final byte[] value = map.getMeta(SAVEPOINT);
        return value == null ? 0 : ByteBuffer.wrap(value).getLong();
    }

    /** Indexes one block (idempotent: re-indexing after a crash writes the same entries). */
    void index(final long number, final byte[] headerHash, final List<String> txIds, final TxValidationFlags flags) {
        final Set<String> seen = new HashSet<>();
        for (int i = 0; i < txIds.size(); i++) {
            final String txId = txIds.get(i);
            if (txId.isEmpty() || !seen.add(txId)) {
                continue;
            }
            // an id first committed earlier is not re-indexed; one re-indexed after a crash is written the same
            map.putIfAbsent(txKey(txId), ByteBuffer.allocate(TX_VALUE_SIZE).putLong(number).putInt(i)
                    .put((byte) flags.flag(i)).array());
        }
        map.put(hashKey(headerHash), ByteBuffer.allocate(8).putLong(number).array());
        map.putMeta(SAVEPOINT, ByteBuffer.allocate(8).putLong(number + 1).array());
    }

    Optional<TransactionLocation> transaction(final String txId) {
        final byte[] value = map.get(txKey(txId));
        if (value == null) {
            return Optional.empty();
        }
        final ByteBuffer buffer = ByteBuffer.wrap(value);
        final long block = buffer.getLong();
        final int tx = buffer.getInt();
        final TxValidationCode code = TxValidationCode.forNumber(buffer.get() & 0xFF);
        return Optional.of(new TransactionLocation(block, tx, code == null ? TxValidationCode.UNRECOGNIZED : code));
    }

    boolean contains(final String txId) {
        return map.get(txKey(txId)) != null;
    }

    OptionalLong blockNumber(final byte[] headerHash) {
        final byte[] value = map.get(hashKey(headerHash));
        return value == null ? OptionalLong.empty() : OptionalLong.of(ByteBuffer.wrap(value).getLong());
    }

    private static byte[] txKey(final String txId) {
        final byte[] id = txId.getBytes(StandardCharsets.UTF_8);
        if (id.length > MAX_PLAIN_TX_ID_BYTES) {
            return prefixed('D', BlockHashes.sha256().digest(id));
        }
        return prefixed('T', id);
    }

    private static byte[] prefixed(final char prefix, final byte[] bytes) {
        final byte[] key = new byte[bytes.length + 1];
        key[0] = (byte) prefix;
        System.arraycopy(bytes, 0, key, 1, bytes.length);
        return key;
    }

    private static byte[] hashKey(final byte[] hash) {
        return prefixed('H', hash);
    }

    @Override
    public void close() {
        map.close();
    }
}
