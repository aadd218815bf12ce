package dev.fabricembedded.msp.crypto;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * PEM encoding and decoding, done by hand because it is on the hot path: every transaction carries its
 * creator's certificate as PEM, and the JDK's {@code CertificateFactory} PEM path costs ~4x a plain DER parse.
 *
 * <p>Decoding follows Go's {@code encoding/pem.Decode}, which Fabric uses: text before a block is skipped, the
 * {@code BEGIN} and {@code END} labels must match, optional {@code Key: value} headers are skipped, whitespace in
 * the body is ignored, and a block whose body is not valid base64 is skipped. Stateless and thread-safe.
 */
public final class Pem {

    private static final byte[] BEGIN = "-----BEGIN ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "-----END ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DASHES = "-----".getBytes(StandardCharsets.US_ASCII);

    private Pem() {
    }

    /** The first well-formed block in {@code data}, or {@code null} when there is none (Go: {@code nil}). */
    public static PemBlock decode(byte[] data) {
        return decodeFrom(Objects.requireNonNull(data, "data"), 0);
    }

    /** Every well-formed block in {@code data}, in order. */
    public static List<PemBlock> decodeAll(byte[] data) {
        Objects.requireNonNull(data, "data");
        List<PemBlock> blocks = new ArrayList<>(1);
        int from = 0;
        PemBlock block;
        while ((block = decodeFrom(data, from)) != null) {
            blocks.add(block);
            from = block.end();
        }
        return blocks;
    }

    /** {@code true} when anything follows the block in {@code data} (Fabric's {@code IsWellFormed} rejects that). */
    public static boolean hasTrailingBytes(byte[] data, PemBlock block) {
        return block.end() < data.length;
    }

    /** Encodes DER bytes as a PEM block with 64-character lines and a final newline. */
    public static byte[] encode(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        String text = "-----BEGIN " + type + "-----\n" + body + (body.isEmpty() ? "" : "\n") + "-----END " + type
                + "-----\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static PemBlock decodeFrom(byte[] data, int from) {
        int search = from;
        while (true) {
            int begin = indexOf(data, BEGIN, search);
            if (begin < 0) {
                return null;
            }
            // Go only accepts BEGIN at the start of the data or of a line
            if (begin > from && data[begin - 1] != '\n') {
                search = begin + 1;
                continue;
            }
            PemBlock block = tryBlock(data, begin);
            if (block != null) {
                return block;
            }
            search = begin + BEGIN.length;
        }
    }

    private static PemBlock tryBlock(byte[] data, int begin) {
        int typeStart = begin + BEGIN.length;
        int lineEnd = lineEnd(data, typeStart);
        int typeLineEnd = trimRight(data, typeStart, lineEnd);
        if (typeLineEnd - typeStart < DASHES.length || !endsWith(data, typeLineEnd, DASHES)) {
            return null;
        }
        String type = new String(data, typeStart, typeLineEnd - DASHES.length - typeStart, StandardCharsets.US_ASCII);
        int bodyStart = nextLine(data, lineEnd);

        // skip RFC 1421 headers ("Key: value" lines, then a blank line)
        int cursor = bodyStart;
        boolean sawHeader = false;
        while (cursor < data.length) {
            int end = lineEnd(data, cursor);
            if (indexOfByte(data, (byte) ':', cursor, end) < 0) {
                break;
            }
            sawHeader = true;
            cursor = nextLine(data, end);
        }
        if (sawHeader) {
            int end = lineEnd(data, cursor);
            if (trimRight(data, cursor, end) == cursor) {
                cursor = nextLine(data, end);
            }
            bodyStart = cursor;
        }

        // the END line: "-----END <type>-----", at the start of a line
        int endLine = bodyStart;
        while (true) {
            endLine = indexOf(data, END, endLine);
            if (endLine < 0) {
                return null;
            }
            if (endLine == bodyStart || data[endLine - 1] == '\n') {
                break;
            }
            endLine++;
        }
        int endTypeStart = endLine + END.length;
        int endLineEnd = lineEnd(data, endTypeStart);
        int endTrim = trimRight(data, endTypeStart, endLineEnd);
        if (endTrim - endTypeStart != type.length() + DASHES.length || !endsWith(data, endTrim, DASHES)
                || !type.equals(new String(data, endTypeStart, type.length(), StandardCharsets.US_ASCII))) {
            return null;
        }
        byte[] content = decodeBase64(data, bodyStart, endLine);
        if (content == null) {
            return null;
        }
        return new PemBlock(type, content, nextLine(data, endLineEnd));
    }

    private static byte[] decodeBase64(byte[] data, int start, int end) {
        byte[] compact = new byte[end - start];
        int n = 0;
        for (int i = start; i < end; i++) {
            byte b = data[i];
            if (b != '\n' && b != '\r' && b != ' ' && b != '\t') {
                compact[n++] = b;
            }
        }
        try {
            return Base64.getDecoder().decode(n == compact.length ? compact : java.util.Arrays.copyOf(compact, n));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static int lineEnd(byte[] data, int from) {
        int i = from;
        while (i < data.length && data[i] != '\n') {
            i++;
        }
        return i;
    }

    private static int nextLine(byte[] data, int lineEnd) {
        return lineEnd < data.length ? lineEnd + 1 : lineEnd;
    }

    private static int trimRight(byte[] data, int start, int end) {
        int e = end;
        while (e > start && (data[e - 1] == ' ' || data[e - 1] == '\t' || data[e - 1] == '\r')) {
            e--;
        }
        return e;
    }

    private static boolean endsWith(byte[] data, int end, byte[] suffix) {
        int start = end - suffix.length;
        if (start < 0) {
            return false;
        }
        for (int i = 0; i < suffix.length; i++) {
            if (data[start + i] != suffix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOfByte(byte[] data, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = Math.max(from, 0); i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
