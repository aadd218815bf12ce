package dev.fabricembedded.msp.crypto;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link EcdsaVerifier#verifyAndRemember} and {@link EcdsaVerifier#verifyOrRecall}. */
class VerifyAndRecallTest {

    private static final ByteString MESSAGE = ByteString.copyFromUtf8("a signed proposal");
    private static final BigInteger N = EcCurves.P256.getN();

    private final EcKeyPair keys = EcKeyPair.generate();
    private final EcdsaSigner signer = new EcdsaSigner(keys.privateKey());
    private final RecentVerifications memo = new RecentVerifications(16, Duration.ofMinutes(10), System::nanoTime);
    private final EcdsaVerifier verifier = new EcdsaVerifier(keys.publicKey(), memo);

    private ByteString sign(ByteString message) {
        return ByteString.copyFrom(signer.sign(message.toByteArray()));
    }

    @Test
    void aRememberedSuccessIsRecalledForTheSameMessageAndSignature() {
        ByteString signature = sign(MESSAGE);
        assertThat(verifier.verifyAndRemember(MESSAGE, signature).isValid()).isTrue();
        assertThat(memo.recall(Sha256.digest(MESSAGE), signature.toByteArray())).isTrue();
        // a fresh copy of the same bytes, as a second parse of the proposal gives
        assertThat(verifier.verifyOrRecall(ByteString.copyFrom(MESSAGE.toByteArray()),
                ByteString.copyFrom(signature.toByteArray())).isValid()).isTrue();
    }

    @Test
    void aTamperedSignatureIsRefusedAfterTheGenuineOneWasRemembered() {
        ByteString signature = sign(MESSAGE);
        assertThat(verifier.verifyAndRemember(MESSAGE, signature).isValid()).isTrue();

        byte[] tampered = signature.toByteArray();
        tampered[tampered.length - 1] ^= 1;
        VerificationResult result = verifier.verifyOrRecall(MESSAGE, ByteString.copyFrom(tampered));
        assertThat(result.isValid()).isFalse();
        assertThat(result.code()).isEqualTo(VerificationResult.Code.INVALID);

        EcdsaSignature low = EcdsaSignature.fromDer(signature.toByteArray());
        ByteString highS = ByteString.copyFrom(new EcdsaSignature(low.r(), N.subtract(low.s())).toDer());
        assertThat(verifier.verifyOrRecall(MESSAGE, highS).code()).isEqualTo(VerificationResult.Code.HIGH_S);
    }

    @Test
    void otherDataUnderARememberedSignatureIsRefused() {
        ByteString signature = sign(MESSAGE);
        assertThat(verifier.verifyAndRemember(MESSAGE, signature).isValid()).isTrue();
        assertThat(verifier.verifyOrRecall(ByteString.copyFromUtf8("a signed proposal!"), signature).code())
                .isEqualTo(VerificationResult.Code.INVALID);
    }

    @Test
    void anotherKeyDoesNotSeeThisKeysMemo() {
        ByteString signature = sign(MESSAGE);
        assertThat(verifier.verifyAndRemember(MESSAGE, signature).isValid()).isTrue();
        EcdsaVerifier other = new EcdsaVerifier(EcKeyPair.generate().publicKey());
        assertThat(other.verifyOrRecall(MESSAGE, signature).code()).isEqualTo(VerificationResult.Code.INVALID);
    }

    @Test
    void failuresAreNeverRemembered() {
        ByteString forged = ByteString.copyFrom(new EcdsaSigner(EcKeyPair.generate().privateKey())
                .sign(MESSAGE.toByteArray()));
        assertThat(verifier.verifyAndRemember(MESSAGE, forged).code()).isEqualTo(VerificationResult.Code.INVALID);
        assertThat(memo.recall(Sha256.digest(MESSAGE), forged.toByteArray())).isFalse();
        assertThat(verifier.verifyOrRecall(MESSAGE, forged).code()).isEqualTo(VerificationResult.Code.INVALID);
    }

    @Test
    void verifyOrRecallDoesNotRememberAndPlainVerifyNeverRecalls() {
        ByteString signature = sign(MESSAGE);
        assertThat(verifier.verifyOrRecall(MESSAGE, signature).isValid()).isTrue();
        assertThat(memo.recall(Sha256.digest(MESSAGE), signature.toByteArray())).isFalse();

        // white box: an entry the arithmetic would refuse is answered from the memo by verifyOrRecall only,
        // which shows that the second verification is really skipped (and why only verifyAndRemember may fill it)
        ByteString foreign = ByteString.copyFrom(new EcdsaSigner(EcKeyPair.generate().privateKey())
                .sign(MESSAGE.toByteArray()));
        memo.remember(Sha256.digest(MESSAGE), foreign.toByteArray());
        assertThat(verifier.verifyOrRecall(MESSAGE, foreign).isValid()).isTrue();
        assertThat(verifier.verify(MESSAGE, foreign).code()).isEqualTo(VerificationResult.Code.INVALID);
    }
}
