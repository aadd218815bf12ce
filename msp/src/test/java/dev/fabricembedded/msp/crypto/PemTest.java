package dev.fabricembedded.msp.crypto;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class PemTest {

    private static final byte[] DER = new byte[200];

    static {
        for (int i = 0; i < DER.length; i++) {
            DER[i] = (byte) (i * 7);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void encodesWith64CharacterLinesAndDecodesBack() {
        byte[] pem = Pem.encode("CERTIFICATE", DER);
        String text = new String(pem, StandardCharsets.US_ASCII);
        assertThat(text).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
        assertThat(text.lines().skip(1).findFirst().orElseThrow()).hasSize(64);

        PemBlock block = Pem.decode(pem);
        assertThat(block.type()).isEqualTo("CERTIFICATE");
        assertThat(block.content()).isEqualTo(DER);
        assertThat(Pem.hasTrailingBytes(pem, block)).isFalse();
    }

    @Test
    void skipsLeadingTextAndToleratesCrlfAndHeaders() {
        String body = new String(Pem.encode("X", DER), StandardCharsets.US_ASCII)
                .replace("-----BEGIN X-----\n", "-----BEGIN X-----\r\nProc-Type: 4,ENCRYPTED\r\n\r\n")
                .replace("\n", "\r\n");
        PemBlock block = Pem.decode(bytes("some text before\n" + body));
        assertThat(block).isNotNull();
        assertThat(block.content()).isEqualTo(DER);
    }

    @Test
    void rejectsMismatchedEndLabelAndMissingEnd() {
        String good = new String(Pem.encode("CERTIFICATE", DER), StandardCharsets.US_ASCII);
        assertThat(Pem.decode(bytes(good.replace("END CERTIFICATE", "END KEY")))).isNull();
        assertThat(Pem.decode(bytes(good.substring(0, good.indexOf("-----END"))))).isNull();
        assertThat(Pem.decode(bytes("not pem at all"))).isNull();
        assertThat(Pem.decode(new byte[0])).isNull();
    }

    @Test
    void skipsABlockWithInvalidBase64AndFindsTheNextOne() {
        String bad = "-----BEGIN A-----\n!!!!\n-----END A-----\n";
        String good = new String(Pem.encode("B", DER), StandardCharsets.US_ASCII);
        PemBlock block = Pem.decode(bytes(bad + good));
        assertThat(block.type()).isEqualTo("B");
    }

    @Test
    void reportsTrailingBytesAndDecodesEveryBlock() {
        byte[] two = bytes(new String(Pem.encode("A", DER), StandardCharsets.US_ASCII)
                + new String(Pem.encode("B", new byte[] {1, 2, 3}), StandardCharsets.US_ASCII));
        PemBlock first = Pem.decode(two);
        assertThat(Pem.hasTrailingBytes(two, first)).isTrue();
        assertThat(Pem.decodeAll(two)).extracting(PemBlock::type).containsExactly("A", "B");
    }

    @Test
    void beginMustStartALine() {
        String good = new String(Pem.encode("A", DER), StandardCharsets.US_ASCII);
        assertThat(Pem.decode(bytes("x" + good))).isNull();
        assertThat(Pem.decode(bytes("x\n" + good))).isNotNull();
    }
}
