package dev.fabricembedded.ledger.state;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
    /** In-place reads of the header's numbers (a {@code ByteBuffer} wrapper per read is left to escape analysis). */
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());

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
        return decode(stored, 0);
    }

    /** Decodes the stored form that starts at {@code offset} and runs to the end of {@code data}. */
    static VersionedValue decode(final byte[] data, final int offset) {
        final ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.nativeOrder());
        final long block = buffer.getLong(offset);
        final long tx = buffer.getInt(offset + 8) & 0xFFFFFFFFL;
        final int valueEnd = offset + HEADER_SIZE + buffer.getInt(offset + 12);
        final byte[] value = Arrays.copyOfRange(data, offset + HEADER_SIZE, valueEnd);
        final byte[] metadata = data.length == valueEnd ? EMPTY : Arrays.copyOfRange(data, valueEnd, data.length);
        return new VersionedValue(value, metadata, new Height(block, tx));
    }

    static Height version(final byte[] stored) {
        return version(stored, 0);
    }

    static Height version(final byte[] data, final int offset) {
        return new Height((long) LONG.get(data, offset), (int) INT.get(data, offset + 8) & 0xFFFFFFFFL);
    }

    static VersionedMetadata versionedMetadata(final byte[] data, final int offset) {
        final ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.nativeOrder());
        final Height version = new Height(buffer.getLong(offset), buffer.getInt(offset + 8) & 0xFFFFFFFFL);
        final int metadataStart = offset + HEADER_SIZE + buffer.getInt(offset + 12);
        return new VersionedMetadata(version, Arrays.copyOfRange(data, metadataStart, data.length));
    }

    /** The value of the stored form that starts at {@code offset}, as a view of {@code data} (not copied). */
    static ValueView view(final byte[] data, final int offset) {
        return new ValueView(valueView(data, offset), version(data, offset));
    }

    static byte[] value(final byte[] stored) {
        return value(stored, 0);
    }

    static byte[] value(final byte[] data, final int offset) {
        final int start = offset + HEADER_SIZE;
        return Arrays.copyOfRange(data, start, start + valueLength(data, offset));
    }

    /** A read-only view of the value alone (no version decoded, nothing copied). */
    static ByteString valueView(final byte[] data, final int offset) {
        return UnsafeByteOperations.unsafeWrap(data, offset + HEADER_SIZE, valueLength(data, offset));
    }

    private static int valueLength(final byte[] data, final int offset) {
        return (int) INT.get(data, offset + 12);
    }
}
