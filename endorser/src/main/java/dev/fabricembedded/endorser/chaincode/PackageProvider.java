package dev.fabricembedded.endorser.chaincode;

/**
 * The code packages of installed chaincodes (Fabric's {@code PackageProvider}): what the launcher starts when a
 * chaincode that is not running is needed.
 *
 * <p>The package store of {@code system-chaincodes} ({@code <data>/chaincodes/<name>.<version>}) is the production
 * implementation; this interface is the launcher's only view of it, so that launching does not depend on how
 * packages are stored or signed.
 */
@FunctionalInterface
public interface PackageProvider {

    /**
     * The {@code code_package} of the installed {@code ChaincodeDeploymentSpec} of {@code name:version}: one jar or a
     * tar.gz of jars.
     *
     * @throws ChaincodeException with a message naming why there is none (typically: not installed)
     */
    byte[] codePackage(String name, String version) throws ChaincodeException;
}
