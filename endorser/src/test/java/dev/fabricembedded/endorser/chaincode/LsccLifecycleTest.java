package dev.fabricembedded.endorser.chaincode;

import com.google.protobuf.ByteString;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.msp.devca.Organization;
import dev.fabricembedded.msp.policy.PolicyDsl;
import dev.fabricembedded.scc.ccprovider.ChaincodeData;
import dev.fabricembedded.scc.ccprovider.ChaincodePackage;
import dev.fabricembedded.scc.ccprovider.ChaincodePackageStore;
import dev.fabricembedded.scc.ccprovider.FileChaincodePackageStore;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.SignedChaincodeDeploymentSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link LsccLifecycle#checkInstantiationPolicy}, the check run before every invoke of an application chaincode. */
class LsccLifecycleTest {

    private static final Organization ORG1 = Organization.generate("Org1MSP", "org1.example.com");
    private static final byte[] JAR = ExampleJars.bytes("example02");

    @TempDir
    Path dir;

    /** The real store, counting reads. */
    private static final class CountingStore implements ChaincodePackageStore {
        final ChaincodePackageStore store;
        final AtomicInteger gets = new AtomicInteger();

        CountingStore(final Path dir) {
            this.store = new FileChaincodePackageStore(dir);
        }

        @Override
        public ChaincodePackage install(final ByteString installBytes) {
            return store.install(installBytes);
        }

        @Override
        public Optional<ChaincodePackage> get(final String name, final String version) {
            gets.incrementAndGet();
            return store.get(name, version);
        }

        @Override
        public List<ChaincodePackage> list() {
            return store.list();
        }
    }

    @Test
    void aMissingPackageFailsUntilItIsInstalledAndAnInstalledOneIsReadOnce() throws Exception {
        final CountingStore store = new CountingStore(dir);
        final LsccLifecycle lifecycle = new LsccLifecycle(store);
        final ChaincodePackage elsewhere = new FileChaincodePackageStore(dir.resolve("other"))
                .install(Installed.cds("mycc", "1.0", JAR).toByteString());
        final ChaincodeData definition = Installed.definition(elsewhere);

        assertThatThrownBy(() -> lifecycle.checkInstantiationPolicy("mycc", "1.0", definition))
                .isInstanceOf(ChaincodeException.class)
                .hasMessage("invalid deployment spec: chaincode mycc:1.0 is not installed");

        store.install(Installed.cds("mycc", "1.0", JAR).toByteString());
        lifecycle.checkInstantiationPolicy("mycc", "1.0", definition);
        lifecycle.checkInstantiationPolicy("mycc", "1.0", definition);
        lifecycle.checkInstantiationPolicy("mycc", "1.0", definition);
        assertThat(store.gets).hasValue(2);
    }

    @Test
    void aSignedPackagesPolicyMustEqualTheDefinitionsEveryTime() throws Exception {
        final CountingStore store = new CountingStore(dir);
        final LsccLifecycle lifecycle = new LsccLifecycle(store);
        final SignaturePolicyEnvelope policy = PolicyDsl.parse("OR('Org1MSP.admin')");
        final ChaincodePackage pkg = store.install(signedPackage(policy, ORG1.signer(NodeRole.ADMIN)));
        assertThat(pkg.instantiationPolicy()).contains(policy.toByteString());

        final ChaincodeData matching = Installed.definition(pkg);
        assertThat(matching.instantiationPolicy()).isEqualTo(policy.toByteString());
        final ChaincodeData other = new ChaincodeData(matching.name(), matching.version(), matching.escc(),
                matching.vscc(), matching.policy(), matching.data(), matching.id(),
                PolicyDsl.parse("OR('Org1MSP.member')").toByteString());
        for (int i = 0; i < 2; i++) {
            lifecycle.checkInstantiationPolicy("mycc", "1.0", matching);
            assertThatThrownBy(() -> lifecycle.checkInstantiationPolicy("mycc", "1.0", other))
                    .isInstanceOf(ChaincodeException.class)
                    .hasMessage("Instantiation policy mismatch for cc mycc/1.0");
        }
        assertThat(store.gets).hasValue(1);
    }

    /** A signed package as Fabric's {@code OwnerCreateSignedCCDepSpec} builds it, in a CHAINCODE_PACKAGE envelope. */
    private static ByteString signedPackage(final SignaturePolicyEnvelope policy, final SigningIdentity owner) {
        final ByteString cds = Installed.cds("mycc", "1.0", JAR).toByteString();
        final ByteString policyBytes = policy.toByteString();
        final ByteString endorser = ByteString.copyFrom(owner.serialize());
        final SignedChaincodeDeploymentSpec signed = SignedChaincodeDeploymentSpec.newBuilder()
                .setChaincodeDeploymentSpec(cds)
                .setInstantiationPolicy(policyBytes)
                .addOwnerEndorsements(Endorsement.newBuilder().setEndorser(endorser).setSignature(ByteString.copyFrom(
                        owner.sign(cds.concat(policyBytes).concat(endorser).toByteArray()))))
                .build();
        final ByteString payload = Payload.newBuilder()
                .setHeader(Header.newBuilder()
                        .setChannelHeader(ChannelHeader.newBuilder().setType(HeaderType.CHAINCODE_PACKAGE_VALUE)
                                .build().toByteString())
                        .setSignatureHeader(SignatureHeader.newBuilder().setCreator(endorser)
                                .setNonce(ByteString.copyFrom("nonce", StandardCharsets.UTF_8)).build()
                                .toByteString()))
                .setData(signed.toByteString())
                .build().toByteString();
        return Envelope.newBuilder().setPayload(payload)
                .setSignature(ByteString.copyFrom(owner.sign(payload.toByteArray()))).build().toByteString();
    }
}
