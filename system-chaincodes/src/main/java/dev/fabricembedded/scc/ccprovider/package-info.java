/**
 * Installed chaincode packages (Fabric's {@code core/common/ccprovider}): parsing install bytes as a
 * {@code ChaincodeDeploymentSpec} or a signed one ({@link dev.fabricembedded.scc.ccprovider.ChaincodePackage}),
 * Fabric's package hashes and fingerprint check, the name and version rules
 * ({@link dev.fabricembedded.scc.ccprovider.ChaincodeNames}), the byte-exact {@code ChaincodeData} that LSCC stores
 * ({@link dev.fabricembedded.scc.ccprovider.ChaincodeData}), and the store of installed packages
 * ({@link dev.fabricembedded.scc.ccprovider.ChaincodePackageStore}, with a directory implementation).
 *
 * <p>Threads: everything here is immutable or stateless apart from the files of the store, which any thread may
 * install into or read from concurrently (installs are atomic and never overwrite).
 */
package dev.fabricembedded.scc.ccprovider;
