package dev.fabricembedded.msp.crypto;

import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EcdsaTest {

    private static final byte[] MESSAGE = "a proposal".getBytes(StandardCharsets.UTF_8);
    private static final BigInteger N = EcCurves.P256.getN();

    private final EcKeyPair keys = EcKeyPair.generate();
    private final EcdsaSigner signer = new EcdsaSigner(keys.privateKey());
    private final EcdsaVerifier verifier = new EcdsaVerifier(keys.publicKey());

    @Test
    void signaturesVerifyAndAreAlwaysLowS() {
        for (int i = 0; i < 40; i++) {
            byte[] message = ("message " + i).getBytes(StandardCharsets.UTF_8);
            byte[] signature = signer.sign(message);
            assertThat(verifier.verify(message, signature).isValid()).isTrue();
            assertThat(EcdsaSignature.fromDer(signature).isLowS(N.shiftRight(1))).isTrue();
        }
    }

    @Test
    void signingIsDeterministic() {
        assertThat(signer.sign(MESSAGE)).isEqualTo(signer.sign(MESSAGE));
    }

    @Test
    void aSignatureOverOtherDataIsInvalid() {
        byte[] signature = signer.sign(MESSAGE);
        VerificationResult result = verifier.verify("another proposal".getBytes(StandardCharsets.UTF_8), signature);
        assertThat(result.code()).isEqualTo(VerificationResult.Code.INVALID);
        assertThat(result.message()).isEqualTo("The signature is invalid");
    }

    @Test
    void aSignatureByAnotherKeyIsInvalid() {
        byte[] signature = new EcdsaSigner(EcKeyPair.generate().privateKey()).sign(MESSAGE);
        assertThat(verifier.verify(MESSAGE, signature).code()).isEqualTo(VerificationResult.Code.INVALID);
    }

    @Test
    void theHighSTwinOfAValidSignatureIsRejectedWithFabricsMessage() {
        EcdsaSignature low = EcdsaSignature.fromDer(signer.sign(MESSAGE));
        EcdsaSignature high = new EcdsaSignature(low.r(), N.subtract(low.s()));

        VerificationResult result = verifier.verify(MESSAGE, high.toDer());

        assertThat(result.code()).isEqualTo(VerificationResult.Code.HIGH_S);
        assertThat(result.message()).isEqualTo("could not determine if signature is valid: Invalid S. Must be "
                + "smaller than half the order [" + high.s() + "][" + N.shiftRight(1) + "].");
        assertThat(high.toLowS(N)).isEqualTo(low);
    }

    @Test
    void malformedSignaturesAreReportedNotThrown() {
        VerificationResult garbage = verifier.verify(MESSAGE, new byte[] {0x04, 0x01, 0x00});
        assertThat(garbage.code()).isEqualTo(VerificationResult.Code.MALFORMED);
        assertThat(garbage.message()).startsWith("could not determine if signature is valid: Failed unmashalling "
                + "signature [failed unmashalling signature [asn1: structure error: tags don't match");

        byte[] zeroR = new EcdsaSignature(BigInteger.ZERO, BigInteger.ONE).toDer();
        assertThat(verifier.verify(MESSAGE, zeroR).message())
                .endsWith("[invalid signature, R must be larger than zero]");

        byte[] empty = new byte[0];
        assertThat(verifier.verify(MESSAGE, empty).message()).contains("asn1: syntax error: data truncated");
    }

    @Test
    void derDecodingIsAsStrictAsGoForIntegersButIgnoresTrailingBytes() {
        byte[] signature = signer.sign(MESSAGE);
        // a non-minimal INTEGER encoding (an extra leading zero) is rejected
        EcdsaSignature parsed = EcdsaSignature.fromDer(signature);
        byte[] r = parsed.r().toByteArray();
        byte[] paddedR = new byte[r.length + 1];
        System.arraycopy(r, 0, paddedR, 1, r.length);
        if ((paddedR[1] & 0x80) == 0) {
            byte[] nonMinimal = DerReader.element(DerReader.TAG_SEQUENCE,
                    DerReader.element(DerReader.TAG_INTEGER, paddedR),
                    DerReader.element(DerReader.TAG_INTEGER, parsed.s().toByteArray()));
            assertThat(verifier.verify(MESSAGE, nonMinimal).message()).contains("integer not minimally-encoded");
        }
        // Go's asn1.Unmarshal, which Fabric uses, ignores bytes after the sequence
        byte[] trailing = Arrays.copyOf(signature, signature.length + 2);
        assertThat(verifier.verify(MESSAGE, trailing).isValid()).isTrue();
    }

    @Test
    void interoperatesWithTheJdkImplementation() throws Exception {
        KeyFactory factory = KeyFactory.getInstance("EC");
        PublicKey jdkPublic = factory.generatePublic(new X509EncodedKeySpec(keys.subjectPublicKeyInfo().getEncoded()));
        Signature jdkVerify = Signature.getInstance("SHA256withECDSA");
        jdkVerify.initVerify(jdkPublic);
        jdkVerify.update(MESSAGE);
        assertThat(jdkVerify.verify(signer.sign(MESSAGE))).isTrue();

        byte[] pkcs8 = Pem.decode(keys.toPkcs8Pem()).content();
        Signature jdkSign = Signature.getInstance("SHA256withECDSA");
        jdkSign.initSign(factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8)));
        jdkSign.update(MESSAGE);
        byte[] jdkSignature = jdkSign.sign();
        EcdsaSignature parsed = EcdsaSignature.fromDer(jdkSignature);
        VerificationResult expected = parsed.isLowS(N.shiftRight(1)) ? VerificationResult.valid()
                : verifier.verify(MESSAGE, jdkSignature);
        assertThat(verifier.verify(MESSAGE, jdkSignature)).isEqualTo(expected);
        assertThat(verifier.verify(MESSAGE, parsed.toLowS(N).toDer()).isValid()).isTrue();
    }

    @Test
    void keyPairsRoundTripThroughPkcs8Pem() {
        byte[] pem = keys.toPkcs8Pem();
        assertThat(new String(pem, StandardCharsets.US_ASCII)).startsWith("-----BEGIN PRIVATE KEY-----");
        EcKeyPair read = EcKeyPair.fromPem(pem);
        assertThat(read.privateKey().getD()).isEqualTo(keys.privateKey().getD());
        assertThat(read.matches(keys.publicKey())).isTrue();
        assertThat(read.toString()).doesNotContain(keys.privateKey().getD().toString(16));
    }

    @Test
    void readsCryptogensKeystoreFileAndReproducesItsName() throws Exception {
        byte[] pem;
        try (var in = getClass().getResourceAsStream(
                "/cryptogen-org1/a1993072d65632fab2be261fa0d41218badd164eda336545366fc1ea9558161a_sk")) {
            pem = in.readAllBytes();
        }
        EcKeyPair cryptogenKey = EcKeyPair.fromPem(pem);
        assertThat(HexFormat.of().formatHex(cryptogenKey.subjectKeyIdentifier()))
                .isEqualTo("a1993072d65632fab2be261fa0d41218badd164eda336545366fc1ea9558161a");
    }

    @Test
    void rejectsPemThatIsNotAPrivateKey() {
        assertThatThrownBy(() -> EcKeyPair.fromPem(Pem.encode("CERTIFICATE", new byte[] {1})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PEM block of type 'CERTIFICATE' is not a private key (expected 'PRIVATE KEY' or "
                        + "'EC PRIVATE KEY')");
        assertThatThrownBy(() -> EcKeyPair.fromPem("nothing".getBytes(StandardCharsets.US_ASCII)))
                .hasMessage("no PEM block found in private key data");
        assertThatThrownBy(() -> EcKeyPair.fromPem(Pem.encode("PRIVATE KEY", new byte[] {1, 2})))
                .hasMessageStartingWith("could not parse EC private key");
    }

    @Test
    void importsPublicKeysFromSubjectPublicKeyInfo() {
        SubjectPublicKeyInfo info = keys.subjectPublicKeyInfo();
        assertThat(EcCurves.publicKey(info).getQ()).isEqualTo(keys.publicKey().getQ());
    }
}
