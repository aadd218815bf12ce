package dev.fabricembedded.endorser.chaincode;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Code packages the tests "installed": name:version to package bytes, the launcher's view of the package store.
 */
final class InstalledPackages implements PackageProvider {

    private final Map<String, byte[]> packages = new ConcurrentHashMap<>();

    InstalledPackages install(final String name, final String version, final byte[] codePackage) {
        packages.put(name + ":" + version, codePackage.clone());
        return this;
    }

    @Override
    public byte[] codePackage(final String name, final String version) throws ChaincodeException {
        final byte[] codePackage = packages.get(name + ":" + version);
        if (codePackage == null) {
            throw new ChaincodeException("could not find chaincode package " + name + ":" + version);
        }
        return codePackage.clone();
    }
}
