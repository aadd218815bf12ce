package dev.fabricembedded.scc.ccprovider;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The format check for the {@code code_package} of a JAVA chaincode deployment spec on this peer.
 *
 * <p>A deliberate deviation from Fabric's Java platform, which expects a tar.gz of <em>source</em> (entries under
 * {@code src/}, no {@code .class} files) and builds it in a container: here chaincode runs from compiled code, so
 * the code package is a jar (a zip) or a tar.gz of jars. The check is structural: the bytes must be non-empty and
 * be either a zip with at least one readable entry or a gzip-compressed tar with at least one well-formed entry
 * (header checksums verified, every entry readable to its end). Stateless.
 */
public final class JavaCodePackage {

    private static final int TAR_BLOCK = 512;

    private JavaCodePackage() {
    }

    /**
     * Checks a code package.
     *
     * @throws InvalidChaincodeException naming what is wrong: empty, not a zip or tar.gz, or unreadable
     */
    public static void validate(ByteString codePackage) {
        if (codePackage == null || codePackage.isEmpty()) {
            throw new InvalidChaincodeException("code package is empty: a JAVA chaincode package must carry a jar "
                    + "or a tar.gz of jars");
        }
        if (startsWith(codePackage, 0x50, 0x4b, 0x03, 0x04)) {
            validateZip(codePackage);
        } else if (startsWith(codePackage, 0x1f, 0x8b)) {
            validateTarGz(codePackage);
        } else {
            throw new InvalidChaincodeException("code package is neither a jar (zip) nor a tar.gz: a JAVA chaincode "
                    + "package must carry a jar or a tar.gz of jars");
        }
    }

    private static boolean startsWith(ByteString bytes, int... magic) {
        if (bytes.size() < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((bytes.byteAt(i) & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static void validateZip(ByteString codePackage) {
        int entries = 0;
        try (ZipInputStream zip = new ZipInputStream(codePackage.newInput())) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                zip.transferTo(OutputStream.nullOutputStream());
                entries++;
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidChaincodeException("code package is not a readable jar: " + describe(e), e);
        }
        if (entries == 0) {
            throw new InvalidChaincodeException("code package is not a readable jar: it has no entries");
        }
    }

    private static void validateTarGz(ByteString codePackage) {
        int entries = 0;
        try (InputStream in = new GZIPInputStream(codePackage.newInput())) {
            byte[] header = new byte[TAR_BLOCK];
            while (true) {
                if (in.readNBytes(header, 0, TAR_BLOCK) != TAR_BLOCK) {
                    throw new IOException("truncated tar header");
                }
                if (isZeroBlock(header)) {
                    break;
                }
                checkTarChecksum(header);
                long size = parseOctal(header, 124, 12);
                long padded = (size + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
                in.skipNBytes(padded);
                entries++;
            }
        } catch (IOException e) {
            throw new InvalidChaincodeException("code package is not a readable tar.gz: " + describe(e), e);
        }
        if (entries == 0) {
            throw new InvalidChaincodeException("code package is not a readable tar.gz: it has no entries");
        }
    }

    private static boolean isZeroBlock(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static void checkTarChecksum(byte[] header) throws IOException {
        long expected = parseOctal(header, 148, 8);
        long sum = 0;
        for (int i = 0; i < TAR_BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xff);
        }
        if (sum != expected) {
            throw new IOException("bad tar header checksum");
        }
    }

    private static long parseOctal(byte[] header, int offset, int length) throws IOException {
        String field = new String(header, offset, length, StandardCharsets.US_ASCII).trim();
        int nul = field.indexOf('\0');
        if (nul >= 0) {
            field = field.substring(0, nul).trim();
        }
        if (field.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(field, 8);
        } catch (NumberFormatException e) {
            throw new IOException("bad octal field in tar header: " + field, e);
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() != null ? e.getMessage() : "unexpected end of data (" + e.getClass().getSimpleName() + ")";
    }
}
