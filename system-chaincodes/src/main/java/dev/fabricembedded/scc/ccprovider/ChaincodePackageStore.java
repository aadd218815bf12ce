package dev.fabricembedded.scc.ccprovider;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Optional;

/**
 * The peer's installed chaincode packages (Fabric's {@code <fileSystemPath>/chaincodes} directory seen through
 * {@code ccprovider}). LSCC installs and lists through it; the endorser loads a package at every launch and checks its
 * fingerprint against the ledger definition ({@link ChaincodePackage#validateAgainst(ChaincodeData)}).
 *
 * <p>Implementations are thread-safe. A package, once installed, is never replaced: installing the same name and
 * version again is an error, as in Fabric.
 */
public interface ChaincodePackageStore {

    /**
     * Installs a package (the checks of Fabric's {@code executeInstall}, in order): the bytes parse as a CDS or
     * signed CDS ({@code could not unmarshal chaincode package to CDS or SignedCDS}); the name and version match
     * Fabric's patterns ({@link ChaincodeNames}); the name is not a system chaincode's
     * ({@code cannot install: <n> is the name of a system chaincode}); the code package is a JAVA jar or tar.gz of
     * jars ({@link JavaCodePackage}, a documented deviation); no package with that name and version exists
     * ({@code error installing chaincode code <n>:<v>(chaincode <path> exists)}).
     *
     * @param installBytes the raw bytes sent in {@code install}, stored exactly as they are
     * @return the installed package
     * @throws InvalidChaincodeException with Fabric's text when a check fails; nothing is written then
     */
    ChaincodePackage install(ByteString installBytes);

    /**
     * The package installed under {@code <name>.<version>}, read afresh (so a tampered file is noticed by the next
     * fingerprint check). Like Fabric, the CDS inside is not compared with the name and version asked for: the
     * fingerprint check against the ledger definition does that.
     *
     * @return empty when no such package is installed
     * @throws InvalidChaincodeException when the stored file exists but cannot be read or parsed
     */
    Optional<ChaincodePackage> get(String name, String version);

    /**
     * The installed packages, in file-name order, for {@code getinstalledchaincodes}: unreadable files and files
     * whose name does not match the CDS inside are skipped with an error log, as in Fabric.
     */
    List<ChaincodePackage> list();
}
