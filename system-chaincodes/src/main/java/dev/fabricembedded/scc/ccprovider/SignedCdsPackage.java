package dev.fabricembedded.scc.ccprovider;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.msp.crypto.Sha256;
import java.security.MessageDigest;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.peer.ChaincodeDeploymentSpec;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.SignedChaincodeDeploymentSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A package that is an {@code Envelope} of type {@code CHAINCODE_PACKAGE} carrying a
 * {@code SignedChaincodeDeploymentSpec} (Fabric's {@code SignedCDSPackage}). Hashes: {@code hash = H(code_package)},
 * {@code metadatahash = H(name ‖ version)}, {@code signaturehash = H(instantiation_policy ‖ endorser_1 ‖ … ‖
 * endorser_n)}, {@code id = H(hash ‖ metadatahash ‖ signaturehash)}; {@code data = SignedCDSData{…}}. The package's
 * instantiation policy must be present and becomes the chaincode's. The owner endorsements' signatures are not
 * verified here, as in Fabric 1.4. Immutable.
 */
public final class SignedCdsPackage implements ChaincodePackage {

    private static final Logger LOG = LoggerFactory.getLogger(SignedCdsPackage.class);

    private final ByteString bytes;
    private final SignedChaincodeDeploymentSpec signedSpec;
    private final ChaincodeDeploymentSpec spec;
    private final SignedCdsData hashes;
    private final ByteString data;
    private final ByteString id;

    private SignedCdsPackage(ByteString bytes, SignedChaincodeDeploymentSpec signedSpec, ChaincodeDeploymentSpec spec) {
        this.bytes = bytes;
        this.signedSpec = signedSpec;
        this.spec = spec;
        ByteString codeHash = ByteString.copyFrom(Sha256.digest(spec.getCodePackage()));
        ByteString metadataHash = PackageHashes.metadataHash(name(), version());
        MessageDigest md = Sha256.newDigest();
        Sha256.update(md, signedSpec.getInstantiationPolicy());
        for (Endorsement owner : signedSpec.getOwnerEndorsementsList()) {
            Sha256.update(md, owner.getEndorser());
        }
        ByteString signatureHash = ByteString.copyFrom(md.digest());
        this.hashes = new SignedCdsData(codeHash, metadataHash, signatureHash);
        this.data = hashes.toByteString();
        this.id = ByteString.copyFrom(Sha256.digest(codeHash.toByteArray(), metadataHash.toByteArray(),
                signatureHash.toByteArray()));
    }

    /**
     * Parses and self-validates signed-package bytes.
     *
     * @throws InvalidChaincodeException with Fabric's text for the first problem found
     */
    public static SignedCdsPackage parse(ByteString bytes) {
        Envelope envelope;
        Payload payload;
        ChannelHeader channelHeader;
        SignedChaincodeDeploymentSpec signedSpec;
        try {
            envelope = Envelope.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidChaincodeException("failed to unmarshal envelope from bytes", e);
        }
        try {
            payload = Payload.parseFrom(envelope.getPayload());
            if (!payload.hasHeader()) {
                throw new InvalidChaincodeException("invalid envelope: payload header cannot be nil");
            }
            channelHeader = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
            signedSpec = SignedChaincodeDeploymentSpec.parseFrom(payload.getData());
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidChaincodeException("error extracting signed chaincode deployment spec: "
                    + e.getMessage(), e);
        }
        if (channelHeader.getType() != HeaderType.CHAINCODE_PACKAGE_VALUE) {
            throw new InvalidChaincodeException("invalid type of envelope for chaincode package");
        }
        ChaincodeDeploymentSpec spec;
        try {
            spec = ChaincodeDeploymentSpec.parseFrom(signedSpec.getChaincodeDeploymentSpec());
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidChaincodeException("error getting deployment spec", e);
        }
        PackageHashes.requireChaincodeId(spec);
        if (signedSpec.getInstantiationPolicy().isEmpty()) {
            throw new InvalidChaincodeException("instantiation policy cannot be nil");
        }
        SignedCdsPackage pkg = new SignedCdsPackage(bytes, signedSpec, spec);
        pkg.mismatch(pkg.chaincodeData()).ifPresent(problem -> {
            throw new InvalidChaincodeException(problem);
        });
        return pkg;
    }

    static Optional<SignedCdsPackage> tryParse(ByteString bytes) {
        try {
            return Optional.of(parse(bytes));
        } catch (InvalidChaincodeException e) {
            LOG.debug("not a signed CDS package: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /** The signed deployment spec (deployment spec bytes, instantiation policy, owner endorsements). */
    public SignedChaincodeDeploymentSpec signedDeploymentSpec() {
        return signedSpec;
    }

    /** {@code H(instantiation_policy ‖ endorser_1 ‖ … ‖ endorser_n)}. */
    public ByteString signatureHash() {
        return hashes.signatureHash();
    }

    @Override
    public ChaincodeDeploymentSpec deploymentSpec() {
        return spec;
    }

    @Override
    public ByteString deploymentSpecBytes() {
        return signedSpec.getChaincodeDeploymentSpec();
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
        return hashes.codeHash();
    }

    @Override
    public ByteString metadataHash() {
        return hashes.metadataHash();
    }

    @Override
    public ByteString data() {
        return data;
    }

    @Override
    public Optional<ByteString> instantiationPolicy() {
        return Optional.of(signedSpec.getInstantiationPolicy());
    }

    @Override
    public Optional<String> mismatch(ChaincodeData fromLedger) {
        Optional<String> identity = PackageHashes.identityMismatch(this, fromLedger);
        if (identity.isPresent()) {
            return identity;
        }
        SignedCdsData other;
        try {
            other = SignedCdsData.parse(fromLedger.data());
        } catch (InvalidProtocolBufferException e) {
            return Optional.of(e.getMessage());
        }
        if (!hashes.equals(other)) {
            return Optional.of("data mismatch");
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "SignedCdsPackage{" + name() + ":" + version() + ", id=" + ChaincodeData.hex(id) + "}";
    }
}
