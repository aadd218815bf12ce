package dev.fabricembedded.msp.crypto;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class Sha256Test {

    private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);

    @Test
    void matchesTheFips180Vector() {
        assertThat(Sha256.hexDigest(ABC))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void partsHashLikeTheirConcatenation() {
        byte[] whole = "nonce-and-creator".getBytes(StandardCharsets.US_ASCII);
        byte[] a = "nonce-".getBytes(StandardCharsets.US_ASCII);
        byte[] b = "and-creator".getBytes(StandardCharsets.US_ASCII);
        assertThat(Sha256.digest(a, b)).isEqualTo(Sha256.digest(whole));
    }

    @Test
    void byteStringsHashLikeTheirBytes() {
        ByteString concatenated = ByteString.copyFrom(ABC).concat(ByteString.copyFrom(ABC));
        assertThat(Sha256.digest(concatenated)).isEqualTo(Sha256.digest(concatenated.toByteArray()));
        assertThat(HexFormat.of().formatHex(Sha256.digest(ByteString.copyFrom(ABC))))
                .isEqualTo(Sha256.hexDigest(ABC));
    }
}
