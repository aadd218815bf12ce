/**
 * X.509 certificates and CRLs as Fabric's MSP needs them: a parsed certificate view that keeps the exact
 * bytes that were signed ({@link dev.fabricembedded.msp.x509.X509Cert}), Fabric's low-S certificate
 * sanitisation, revocation lists ({@link dev.fabricembedded.msp.x509.RevocationList}) and a pool of trusted
 * certificates that builds validation chains the way Go's {@code x509.Certificate.Verify} does
 * ({@link dev.fabricembedded.msp.x509.CertPool}).
 *
 * <p>Threads: all types are immutable once built and may be shared by any threads.
 */
package dev.fabricembedded.msp.x509;
