package dev.fabricembedded.msp.crypto;

import java.util.Objects;

/**
 * One decoded PEM block.
 *
 * @param type    the label of the {@code -----BEGIN <type>-----} line, e.g. {@code CERTIFICATE}
 * @param content the base64-decoded body (DER for certificates and keys); owned by this record, do not modify
 * @param end     offset in the source just past the block's {@code END} line (and its line break): bytes from
 *                there on are what Go's {@code pem.Decode} returns as {@code rest}
 */
public record PemBlock(String type, byte[] content, int end) {

    public PemBlock {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(content, "content");
    }
}
