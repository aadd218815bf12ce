/**
 * A development certificate authority in the spirit of Fabric's {@code cryptogen}: it generates organisations
 * (a self-signed P-256 CA and admin, peer, client and orderer identities classified by NodeOUs), issues further
 * identities with any validity window (expired ones for tests), intermediate CAs, and CRLs, and writes them in
 * cryptogen's directory layout. Not for production: keys are written unencrypted.
 *
 * <p>Threads: {@link dev.fabricembedded.msp.devca.DevCa} and {@link dev.fabricembedded.msp.devca.Organization}
 * are immutable apart from their {@link java.security.SecureRandom}, which is thread-safe; any thread may issue.
 */
package dev.fabricembedded.msp.devca;
