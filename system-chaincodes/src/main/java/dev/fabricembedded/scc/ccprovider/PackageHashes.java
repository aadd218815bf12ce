package dev.fabricembedded.scc.ccprovider;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.ByteString;
import dev.fabricembedded.msp.crypto.Sha256;
import java.util.Optional;
import org.hyperledger.fabric.protos.peer.ChaincodeDeploymentSpec;

/** The rules both package forms share: the metadata hash, the chaincode-id presence check, the name/version check. */
final class PackageHashes {

    private PackageHashes() {
    }

    /** {@code H(name ‖ version)}, UTF-8, no separator. */
    static ByteString metadataHash(String name, String version) {
        return ByteString.copyFrom(Sha256.digest(name.getBytes(UTF_8), version.getBytes(UTF_8)));
    }

    static void requireChaincodeId(ChaincodeDeploymentSpec spec) {
        if (!spec.hasChaincodeSpec() || !spec.getChaincodeSpec().hasChaincodeId()) {
            throw new InvalidChaincodeException("chaincode deployment spec has no chaincode id");
        }
    }

    /** Fabric's first {@code ValidateCC} checks: a printable ledger name equal to the package's, same version. */
    static Optional<String> identityMismatch(ChaincodePackage pkg, ChaincodeData fromLedger) {
        if (!ChaincodeNames.isPrintable(fromLedger.name())) {
            return Optional.of("invalid chaincode name: \"" + fromLedger.name() + "\"");
        }
        if (!fromLedger.name().equals(pkg.name()) || !fromLedger.version().equals(pkg.version())) {
            return Optional.of("invalid chaincode data " + fromLedger + " (" + pkg.name() + ":" + pkg.version() + ")");
        }
        return Optional.empty();
    }
}
