package dev.fabricembedded.scc.ccprovider;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.msp.crypto.Sha256;
import java.util.Optional;
import org.hyperledger.fabric.protos.peer.CDSData;
import org.hyperledger.fabric.protos.peer.ChaincodeDeploymentSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A package that is a raw {@code ChaincodeDeploymentSpec} (Fabric's {@code CDSPackage}). Hashes:
 * {@code codehash = H(code_package)}, {@code metadatahash = H(name ‖ version)} (UTF-8, no separator),
 * {@code id = H(codehash ‖ metadatahash)}; {@code data = CDSData{codehash, metadatahash}}. Immutable.
 */
public final class CdsPackage implements ChaincodePackage {

    private static final Logger LOG = LoggerFactory.getLogger(CdsPackage.class);

    private final ByteString bytes;
    private final ChaincodeDeploymentSpec spec;
    private final ByteString codeHash;
    private final ByteString metadataHash;
    private final ByteString data;
    private final ByteString id;

    private CdsPackage(ByteString bytes, ChaincodeDeploymentSpec spec) {
        this.bytes = bytes;
        this.spec = spec;
        this.codeHash = ByteString.copyFrom(Sha256.digest(spec.getCodePackage()));
        this.metadataHash = PackageHashes.metadataHash(name(), version());
        this.data = CDSData.newBuilder().setHash(codeHash).setMetadatahash(metadataHash).build().toByteString();
        this.id = ByteString.copyFrom(Sha256.digest(codeHash.toByteArray(), metadataHash.toByteArray()));
    }

    /**
     * A package from a deployment spec (the bytes are the spec's serialization).
     *
     * @throws InvalidChaincodeException when the spec has no chaincode id or an unprintable name
     */
    public static CdsPackage of(ChaincodeDeploymentSpec spec) {
        ByteString bytes = spec.toByteString();
        return parseStrict(bytes);
    }

    /** Parses and self-validates raw CDS bytes; empty with a debug log when they are not a valid CDS. */
    static Optional<CdsPackage> tryParse(ByteString bytes) {
        try {
            return Optional.of(parseStrict(bytes));
        } catch (InvalidChaincodeException e) {
            LOG.debug("not a raw CDS package: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private static CdsPackage parseStrict(ByteString bytes) {
        ChaincodeDeploymentSpec spec;
        try {
            spec = ChaincodeDeploymentSpec.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidChaincodeException("failed to unmarshal deployment spec from bytes", e);
        }
        PackageHashes.requireChaincodeId(spec);
        CdsPackage pkg = new CdsPackage(bytes, spec);
        pkg.mismatch(pkg.chaincodeData()).ifPresent(problem -> {
            throw new InvalidChaincodeException(problem);
        });
        return pkg;
    }

    @Override
    public ChaincodeDeploymentSpec deploymentSpec() {
        return spec;
    }

    @Override
    public ByteString deploymentSpecBytes() {
        return bytes;
    }

    @Override
    public ByteString bytes() {
        return bytes;
    }

    @Override
    public ByteString id() {
        return id;
    }

    @Override
    public ByteString codeHash() {
        return codeHash;
    }

    @Override
    public ByteString metadataHash() {
        return metadataHash;
    }

    @Override
    public ByteString data() {
        return data;
    }

    @Override
    public Optional<ByteString> instantiationPolicy() {
        return Optional.empty();
    }

    @Override
    public Optional<String> mismatch(ChaincodeData fromLedger) {
        Optional<String> identity = PackageHashes.identityMismatch(this, fromLedger);
        if (identity.isPresent()) {
            return identity;
        }
        CDSData other;
        try {
            other = CDSData.parseFrom(fromLedger.data());
        } catch (InvalidProtocolBufferException e) {
            return Optional.of(e.getMessage());
        }
        if (!codeHash.equals(other.getHash()) || !metadataHash.equals(other.getMetadatahash())) {
            return Optional.of("data mismatch");
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "CdsPackage{" + name() + ":" + version() + ", id=" + ChaincodeData.hex(id) + "}";
    }
}
