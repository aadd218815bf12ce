/**
 * Fabric's membership service providers: X.509 identities ({@link dev.fabricembedded.msp.Identity},
 * {@link dev.fabricembedded.msp.SigningIdentity}), MSPs that validate them and decide principals
 * ({@link dev.fabricembedded.msp.Msp}, configured by {@link dev.fabricembedded.msp.MspConfig}), and the channel's
 * {@link dev.fabricembedded.msp.MspManager} that deserializes and caches identities.
 *
 * <p>Semantics are Fabric 1.4's ({@code msp/mspimpl*.go}, MSP version 1.4.3): chains checked at NotBefore + 1 s,
 * one chain only, issuing CA a leaf of the CA tree, CRLs, NodeOUs with client/peer/admin/orderer, certificates
 * sanitised to low-S before their hash becomes the identity id, and Fabric's error texts.
 *
 * <p>Threads: MSPs and identities are immutable once built (identities memoise their validation result, which
 * cannot change); the manager's identity cache is concurrent. Any thread may call anything here.
 */
package dev.fabricembedded.msp;
