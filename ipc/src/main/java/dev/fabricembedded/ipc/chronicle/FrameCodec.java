package dev.fabricembedded.ipc.chronicle;

import java.util.zip.CRC32C;
import net.openhft.chronicle.bytes.Bytes;

/**
 * The framing of one excerpt: a fixed header then the payload.
 *
 * <pre>
 * int  magic    0x46455031 ("FEP1"): format and version; anything else is not ours
 * byte kind     {@link FrameKind}
 * int  length   payload bytes; must equal what the excerpt holds after the header
 * int  crc32c   of the payload
 * byte[length]  payload
 * </pre>
 *
 * <p>Chronicle already delimits excerpts; the header is what lets a reader refuse an excerpt that was
 * truncated, overwritten or written by something else, instead of handing garbage to the handler. CRC32C
 * is a hardware instruction on current CPUs (a few ns for a 100-byte frame).
 */
final class FrameCodec {

    static final int MAGIC = 0x46455031;
    static final int HEADER_SIZE = 4 + 1 + 4 + 4;
    private static final byte[] EMPTY = new byte[0];

    private FrameCodec() {
    }

    /** Writes one frame into an excerpt being written. */
    static void write(Bytes<?> out, FrameKind kind, byte[] payload) {
        out.writeInt(MAGIC);
        out.writeByte(kind.code);
        out.writeInt(payload.length);
        out.writeInt(crc(payload));
        out.write(payload);
    }

    /**
     * Reads one frame from an excerpt; returns its kind, and for {@link FrameKind#DATA} stores the payload in
     * {@code payloadOut[0]}.
     *
     * @throws CorruptFrameException naming what is wrong; nothing is returned in that case
     */
    static FrameKind read(Bytes<?> in, int maxFrameSize, byte[][] payloadOut) throws CorruptFrameException {
        long available = in.readRemaining();
        if (available < HEADER_SIZE) {
            throw new CorruptFrameException("truncated frame: " + available + " bytes, shorter than the "
                    + HEADER_SIZE + "-byte header");
        }
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new CorruptFrameException(String.format("bad frame magic 0x%08x (expected 0x%08x)", magic, MAGIC));
        }
        byte code = in.readByte();
        FrameKind kind = FrameKind.of(code);
        if (kind == null) {
            throw new CorruptFrameException("unknown frame kind " + code);
        }
        int length = in.readInt();
        int expectedCrc = in.readInt();
        long body = in.readRemaining();
        if (length < 0 || length > maxFrameSize) {
            throw new CorruptFrameException("frame length " + length + " outside 0.." + maxFrameSize);
        }
        if (body != length) {
            throw new CorruptFrameException("truncated frame: header says " + length + " bytes, excerpt holds " + body);
        }
        byte[] payload = length == 0 ? EMPTY : new byte[length];
        in.read(payload);
        int actualCrc = crc(payload);
        if (actualCrc != expectedCrc) {
            throw new CorruptFrameException(String.format("frame checksum mismatch: crc32c 0x%08x, header says 0x%08x",
                    actualCrc, expectedCrc));
        }
        if (kind != FrameKind.DATA && length != 0) {
            throw new CorruptFrameException(kind + " frame with a " + length + "-byte payload");
        }
        payloadOut[0] = payload;
        return kind;
    }

    private static int crc(byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload, 0, payload.length);
        return (int) crc.getValue();
    }
}
