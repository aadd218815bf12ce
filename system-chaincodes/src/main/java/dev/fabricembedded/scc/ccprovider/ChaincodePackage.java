package dev.fabricembedded.scc.ccprovider;

import com.google.protobuf.ByteString;
import java.util.Optional;
import org.hyperledger.fabric.protos.peer.ChaincodeDeploymentSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An installed chaincode package (Fabric's {@code ccprovider.CCPackage}): either a raw
 * {@code ChaincodeDeploymentSpec} ({@link CdsPackage}) or an {@code Envelope} carrying a
 * {@code SignedChaincodeDeploymentSpec} ({@link SignedCdsPackage}).
 *
 * <p>Guarantees: a package only exists if its bytes parsed and it passed its own fingerprint check (Fabric's
 * self-{@code ValidateCC}); its hashes and id are Fabric's (§2.6 of the reference), so a definition written by a Go
 * peer validates against a package installed here and vice versa. Immutable and thread-safe.
 */
public sealed interface ChaincodePackage permits CdsPackage, SignedCdsPackage {

    /** Fabric's error when install bytes are neither form. */
    String NOT_A_PACKAGE_MESSAGE = "could not unmarshal chaincode package to CDS or SignedCDS";

    /**
     * Parses install bytes as Fabric's {@code GetCCPackage} does: both forms are tried, each must parse and
     * self-validate; when both succeed the signed form wins (and an error is logged, as in Fabric).
     *
     * @throws InvalidChaincodeException {@value #NOT_A_PACKAGE_MESSAGE}
     */
    static ChaincodePackage parse(ByteString installBytes) {
        Optional<CdsPackage> cds = CdsPackage.tryParse(installBytes);
        Optional<SignedCdsPackage> signed = SignedCdsPackage.tryParse(installBytes);
        if (cds.isPresent() && signed.isPresent()) {
            Logger log = LoggerFactory.getLogger(ChaincodePackage.class);
            log.error("Could not determine chaincode package type, guessing SignedCDS");
            return signed.get();
        }
        if (signed.isPresent()) {
            return signed.get();
        }
        return cds.orElseThrow(() -> new InvalidChaincodeException(NOT_A_PACKAGE_MESSAGE));
    }

    /** The chaincode name from the deployment spec. */
    default String name() {
        return deploymentSpec().getChaincodeSpec().getChaincodeId().getName();
    }

    /** The chaincode version from the deployment spec. */
    default String version() {
        return deploymentSpec().getChaincodeSpec().getChaincodeId().getVersion();
    }

    /** The deployment spec (with its code package). */
    ChaincodeDeploymentSpec deploymentSpec();

    /** The deployment spec's bytes as they were packaged (what {@code getdepspec} returns). */
    ByteString deploymentSpecBytes();

    /** The raw install bytes, exactly as stored on disk. */
    ByteString bytes();

    /** The package fingerprint ({@code ChaincodeData.id}). */
    ByteString id();

    /** {@code H(code_package)}. */
    ByteString codeHash();

    /** {@code H(name ‖ version)}. */
    ByteString metadataHash();

    /** The serialized hashes record stored as {@code ChaincodeData.data} ({@code CDSData} or {@code SignedCDSData}). */
    ByteString data();

    /** The instantiation policy bytes carried by a signed package; empty for a raw CDS. */
    Optional<ByteString> instantiationPolicy();

    /**
     * The definition derived from the package (Fabric's {@code GetChaincodeData}): name, version, data, id and,
     * for a signed package, its instantiation policy. escc, vscc and policy are empty; LSCC fills them.
     */
    default ChaincodeData chaincodeData() {
        return new ChaincodeData(name(), version(), "", "", ByteString.EMPTY, data(), id(),
                instantiationPolicy().orElse(ByteString.EMPTY));
    }

    /**
     * The fingerprint check run at every launch and by {@code getdepspec} (Fabric's {@code ValidateCC} behind
     * LSCC's {@code getCCCode}): the ledger definition's name must be printable, its name and version must equal the
     * package's, and its {@code data} hashes must equal the package's field by field.
     *
     * @throws InvalidChaincodeException {@code chaincode fingerprint mismatch: data mismatch}, or
     *                                   {@code chaincode fingerprint mismatch: <reason>} for the other failures
     */
    default void validateAgainst(ChaincodeData fromLedger) {
        Optional<String> problem = mismatch(fromLedger);
        if (problem.isPresent()) {
            throw new InvalidChaincodeException("chaincode fingerprint mismatch: " + problem.get());
        }
    }

    /**
     * Fabric's {@code ccprovider.CheckInstantiationPolicy}, run by the endorser before every invoke of an application
     * chaincode: when this package carries an instantiation policy (a signed package), the ledger definition's must be
     * byte-equal to it, so that a deploy transaction cannot bypass the policy the package owner set.
     *
     * @throws InvalidChaincodeException {@code Instantiation policy mismatch for cc <name>/<version>}
     */
    default void checkInstantiationPolicy(ChaincodeData fromLedger) {
        Optional<ByteString> own = instantiationPolicy();
        if (own.isPresent() && !own.get().equals(fromLedger.instantiationPolicy())) {
            throw new InvalidChaincodeException("Instantiation policy mismatch for cc " + name() + "/" + version());
        }
    }

    /** Fabric's {@code ValidateCC} error text, without the fingerprint prefix; empty when the definition matches. */
    Optional<String> mismatch(ChaincodeData fromLedger);
}
