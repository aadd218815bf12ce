package dev.fabricembedded.ledger.state;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The byte layout of a world-state value in the Chronicle Map: {@code block u64 | tx u32 | value length u32 |
 * value | metadata}, numbers in native byte order (as Chronicle's own, so that the version and length can be read
 * in place from the mapped entry without copying it). Stateless.
 */
final class StoredValue {
    static final int HEADER_SIZE = 16;
    private static final byte[] EMPTY = new byte[0];

    private StoredValue() {
    }

    static byte[] encode(final byte[] value, final byte[] metadata, final Height version) {
        final int metadataLength = metadata == null ? 0 : metadata.length;
        final ByteBuffer buffer = ByteBuffer.allocate(HEADER_SIZE + value.length + metadataLength)
                .order(ByteOrder.nativeOrder());
        buffer.putLong(version.blockNum()).putInt((int) version.txNum()).putInt(value.length).put(value);
        if (metadataLength > 0) {
            buffer.put(metadata);
        }
        return buffer.array();
    }

    static VersionedValue decode(final byte[] stored) {
        final ByteBuffer buffer = ByteBuffer.wrap(stored).order(ByteOrder.nativeOrder());
        final long block = buffer.getLong();
        final long tx = buffer.getInt() & 0xFFFFFFFFL;
        final int length = buffer.getInt();
        final byte[] value = Arrays.copyOfRange(stored, HEADER_SIZE, HEADER_SIZE + length);
        final byte[] metadata = stored.length == HEADER_SIZE + length ? EMPTY
                : Arrays.copyOfRange(stored, HEADER_SIZE + length, stored.length);
        return new VersionedValue(value, metadata, new Height(block, tx));
    }

    static Height version(final byte[] stored) {
        final ByteBuffer buffer = ByteBuffer.wrap(stored).order(ByteOrder.nativeOrder());
        return new Height(buffer.getLong(), buffer.getInt() & 0xFFFFFFFFL);
    }

    static VersionedMetadata versionedMetadata(final byte[] stored) {
        final ByteBuffer buffer = ByteBuffer.wrap(stored).order(ByteOrder.nativeOrder());
        final Height version = new Height(buffer.getLong(), buffer.getInt() & 0xFFFFFFFFL);
        final int metadataStart = HEADER_SIZE + buffer.getInt();
        return new VersionedMetadata(version, Arrays.copyOfRange(stored, metadataStart, stored.length));
    }

    static byte[] value(final byte[] stored) {
        final int length = ByteBuffer.wrap(stored, 12, 4).order(ByteOrder.nativeOrder()).getInt();
        return Arrays.copyOfRange(stored, HEADER_SIZE, HEADER_SIZE + length);
    }
}
