/**
 * Cryptographic primitives with Fabric's exact rules: SHA-256 ({@link dev.fabricembedded.msp.crypto.Sha256}),
 * ECDSA signatures DER-encoded with low-S produced on sign and enforced on verify
 * ({@link dev.fabricembedded.msp.crypto.EcdsaSigner}, {@link dev.fabricembedded.msp.crypto.EcdsaVerifier},
 * {@link dev.fabricembedded.msp.crypto.EcdsaSignature}), EC key pairs and their PKCS#8 PEM form
 * ({@link dev.fabricembedded.msp.crypto.EcKeyPair}) and a fast PEM codec ({@link dev.fabricembedded.msp.crypto.Pem}).
 *
 * <p>Everything here runs on BouncyCastle's lightweight API with its custom (fast) curve implementations and
 * never touches a JCA provider: on JDK 17 the SunEC provider is 5-10x slower for P-256 and the JDK's PEM
 * certificate path is ~4x slower than decoding the base64 ourselves (see {@code shared/reference/infra.md}).
 *
 * <p>Threads: every type in this package is immutable or stateless, so any thread may use any instance; signers
 * and verifiers allocate their BouncyCastle engine per call. The one exception is
 * {@link dev.fabricembedded.msp.crypto.RecentVerifications}, a verifier's small lock-free memo of its last
 * successful verifications, shared by all threads.
 */
package dev.fabricembedded.msp.crypto;
