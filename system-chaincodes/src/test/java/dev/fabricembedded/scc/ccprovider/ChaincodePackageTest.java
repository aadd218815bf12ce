package dev.fabricembedded.scc.ccprovider;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.msp.devca.Organization;
import dev.fabricembedded.msp.policy.SignaturePolicies;
import dev.fabricembedded.scc.fixtures.TestPackages;
import java.security.MessageDigest;
import java.util.List;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;
import org.hyperledger.fabric.protos.peer.CDSData;
import org.hyperledger.fabric.protos.peer.ChaincodeDeploymentSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ChaincodePackageTest {

    private static Organization org1;

    @BeforeAll
    static void generateOrg() {
        org1 = Organization.generate("Org1MSP", "org1.example.com");
    }

    @Test
    void cdsPackageIdIsTheKnownAnswerOfHashOfCodeHashAndMetadataHash() throws Exception {
        byte[] code = {'P', 'K', 3, 4, 1, 2, 3, 4, 5};
        ChaincodeDeploymentSpec cds = TestPackages.cds("mycc", "1.0", ByteString.copyFrom(code));

        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] codeHash = md.digest(code);
        md.update("mycc".getBytes(UTF_8));
        md.update("1.0".getBytes(UTF_8));
        byte[] metadataHash = md.digest();
        md.update(codeHash);
        md.update(metadataHash);
        byte[] expectedId = md.digest();

        ChaincodePackage pkg = ChaincodePackage.parse(cds.toByteString());

        assertThat(pkg).isInstanceOf(CdsPackage.class);
        assertThat(pkg.codeHash().toByteArray()).isEqualTo(codeHash);
        assertThat(pkg.metadataHash().toByteArray()).isEqualTo(metadataHash);
        assertThat(pkg.id().toByteArray()).isEqualTo(expectedId);
        CDSData data = CDSData.parseFrom(pkg.data());
        assertThat(data.getHash().toByteArray()).isEqualTo(codeHash);
        assertThat(data.getMetadatahash().toByteArray()).isEqualTo(metadataHash);
        ChaincodeData cd = pkg.chaincodeData();
        assertThat(cd.name()).isEqualTo("mycc");
        assertThat(cd.version()).isEqualTo("1.0");
        assertThat(cd.id()).isEqualTo(pkg.id());
        assertThat(cd.data()).isEqualTo(pkg.data());
        assertThat(cd.instantiationPolicy().isEmpty()).isTrue();
        assertThat(pkg.instantiationPolicy()).isEmpty();
        assertThat(pkg.bytes()).isEqualTo(cds.toByteString());
        assertThat(pkg.deploymentSpecBytes()).isEqualTo(cds.toByteString());
    }

    @Test
    void metadataHashHasNoSeparatorBetweenNameAndVersion() {
        ChaincodePackage a = CdsPackage.of(TestPackages.cds("ab", "1.0", TestPackages.jar("x")));
        ChaincodePackage b = CdsPackage.of(TestPackages.cds("a", "b1.0", TestPackages.jar("x")));
        assertThat(a.metadataHash()).isEqualTo(b.metadataHash());
        assertThat(a.id()).isEqualTo(b.id());
    }

    @Test
    void signedPackageHashesCoverThePolicyAndOwnerEndorsers() throws Exception {
        SigningIdentity admin = org1.signer(NodeRole.ADMIN);
        SignaturePolicyEnvelope policy = SignaturePolicies.signedByMspAdmin("Org1MSP");
        ChaincodeDeploymentSpec cds = TestPackages.cds("signedcc", "2.0");
        ByteString bytes = TestPackages.signedPackage(cds, policy, admin);

        ChaincodePackage pkg = ChaincodePackage.parse(bytes);

        assertThat(pkg).isInstanceOf(SignedCdsPackage.class);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] codeHash = md.digest(cds.getCodePackage().toByteArray());
        byte[] metadataHash = md.digest("signedcc2.0".getBytes(UTF_8));
        md.update(policy.toByteArray());
        md.update(admin.serialize());
        byte[] signatureHash = md.digest();
        md.update(codeHash);
        md.update(metadataHash);
        md.update(signatureHash);
        assertThat(pkg.id().toByteArray()).isEqualTo(md.digest());
        assertThat(((SignedCdsPackage) pkg).signatureHash().toByteArray()).isEqualTo(signatureHash);
        assertThat(pkg.instantiationPolicy()).contains(policy.toByteString());
        assertThat(pkg.chaincodeData().instantiationPolicy()).isEqualTo(policy.toByteString());
        assertThat(pkg.deploymentSpecBytes()).isEqualTo(cds.toByteString());
        assertThat(pkg.bytes()).isEqualTo(bytes);
        // SignedCDSData{hash=1, metadatahash=2, signaturehash=3}: three 32-byte fields, in order
        byte[] data = pkg.data().toByteArray();
        assertThat(data).hasSize(3 * 34);
        assertThat(new byte[] {data[0], data[1], data[34], data[35], data[68], data[69]})
                .containsExactly(0x0a, 32, 0x12, 32, 0x1a, 32);
    }

    @Test
    void signedPackageNeedsAnInstantiationPolicyAndThePackageHeaderType() {
        ChaincodeDeploymentSpec cds = TestPackages.cds("signedcc", "2.0");
        SigningIdentity admin = org1.signer(NodeRole.ADMIN);

        assertThatThrownBy(() -> SignedCdsPackage.parse(TestPackages.signedPackage(cds, null, admin)))
                .hasMessage("instantiation policy cannot be nil");
        ByteString wrongType = TestPackages.envelope(HeaderType.ENDORSER_TRANSACTION,
                org.hyperledger.fabric.protos.peer.SignedChaincodeDeploymentSpec.newBuilder()
                        .setChaincodeDeploymentSpec(cds.toByteString())
                        .setInstantiationPolicy(SignaturePolicies.acceptAll().toByteString()).build().toByteString(),
                admin);
        assertThatThrownBy(() -> SignedCdsPackage.parse(wrongType))
                .hasMessage("invalid type of envelope for chaincode package");
        assertThatThrownBy(() -> ChaincodePackage.parse(wrongType))
                .hasMessage("could not unmarshal chaincode package to CDS or SignedCDS");
    }

    @Test
    void garbageIsNeitherForm() {
        for (ByteString bad : List.of(ByteString.copyFromUtf8("not a package"), ByteString.EMPTY,
                ByteString.copyFrom(new byte[] {0x0a, 0x05, 1}))) {
            assertThatThrownBy(() -> ChaincodePackage.parse(bad))
                    .isInstanceOf(InvalidChaincodeException.class)
                    .hasMessage("could not unmarshal chaincode package to CDS or SignedCDS");
        }
    }

    @Test
    void unprintableNameFailsSelfValidation() {
        ChaincodeDeploymentSpec cds = TestPackages.cds("bad\u0001name", "1.0");
        assertThatThrownBy(() -> ChaincodePackage.parse(cds.toByteString()))
                .hasMessage("could not unmarshal chaincode package to CDS or SignedCDS");
    }

    @Test
    void fingerprintCheckAcceptsTheOwnDefinitionAndRejectsEveryMismatch() {
        ChaincodePackage pkg = CdsPackage.of(TestPackages.cds("mycc", "1.0"));
        ChaincodeData own = pkg.chaincodeData().withInstance("escc", "vscc", ByteString.copyFromUtf8("p"));
        assertThat(pkg.mismatch(own)).isEmpty();

        ChaincodePackage other = CdsPackage.of(TestPackages.cds("mycc", "1.0", TestPackages.jar("tampered")));
        assertThatThrownBy(() -> other.validateAgainst(own))
                .isInstanceOf(InvalidChaincodeException.class)
                .hasMessage("chaincode fingerprint mismatch: data mismatch");

        ChaincodeData otherVersion = new ChaincodeData("mycc", "2.0", "escc", "vscc", own.policy(), own.data(),
                own.id(), own.instantiationPolicy());
        assertThatThrownBy(() -> pkg.validateAgainst(otherVersion))
                .hasMessageStartingWith("chaincode fingerprint mismatch: invalid chaincode data");
        ChaincodeData unprintable = new ChaincodeData("my\u0000cc", "1.0", "", "", null, own.data(), null, null);
        assertThatThrownBy(() -> pkg.validateAgainst(unprintable))
                .hasMessageStartingWith("chaincode fingerprint mismatch: invalid chaincode name");
        ChaincodeData otherInstance = own.withInstance("other", "other", ByteString.EMPTY)
                .withInstantiationPolicy(ByteString.EMPTY);
        ChaincodeData garbageData = new ChaincodeData("mycc", "1.0", "", "", null,
                ByteString.copyFrom(new byte[] {0x0a, 0x7f}), null, null);
        assertThatThrownBy(() -> pkg.validateAgainst(garbageData))
                .hasMessageStartingWith("chaincode fingerprint mismatch: ");
        // the fingerprint covers the package only, not the instance fields LSCC sets
        assertThat(pkg.mismatch(otherInstance)).isEmpty();
    }

    @Test
    void signedPackageFingerprintComparesTheSignatureHashToo() {
        SigningIdentity admin = org1.signer(NodeRole.ADMIN);
        ChaincodeDeploymentSpec cds = TestPackages.cds("signedcc", "2.0");
        ChaincodePackage a = ChaincodePackage.parse(
                TestPackages.signedPackage(cds, SignaturePolicies.signedByMspAdmin("Org1MSP"), admin));
        ChaincodePackage b = ChaincodePackage.parse(
                TestPackages.signedPackage(cds, SignaturePolicies.signedByMspMember("Org1MSP"), admin));
        assertThat(a.codeHash()).isEqualTo(b.codeHash());
        assertThat(a.mismatch(a.chaincodeData())).isEmpty();
        assertThatThrownBy(() -> b.validateAgainst(a.chaincodeData()))
                .hasMessage("chaincode fingerprint mismatch: data mismatch");
    }

    @Test
    void signedPackageInstantiationPolicyMustMatchTheLedgersByteForByte() {
        SigningIdentity admin = org1.signer(NodeRole.ADMIN);
        ChaincodeDeploymentSpec cds = TestPackages.cds("signedcc", "2.0");
        SignaturePolicyEnvelope admins = SignaturePolicies.signedByMspAdmin("Org1MSP");
        ChaincodePackage signed = ChaincodePackage.parse(TestPackages.signedPackage(cds, admins, admin));
        ChaincodeData onLedger = signed.chaincodeData();
        assertThat(onLedger.instantiationPolicy()).isEqualTo(admins.toByteString());
        signed.checkInstantiationPolicy(onLedger);

        ChaincodeData bypassed = onLedger.withInstantiationPolicy(SignaturePolicies.acceptAll().toByteString());
        assertThatThrownBy(() -> signed.checkInstantiationPolicy(bypassed))
                .isInstanceOf(InvalidChaincodeException.class)
                .hasMessage("Instantiation policy mismatch for cc signedcc/2.0");
        // a raw CDS carries no policy of its own: any ledger policy is accepted
        CdsPackage.of(cds).checkInstantiationPolicy(bypassed);
        assertThat(CdsPackage.of(cds).instantiationPolicy()).isEmpty();
    }
}
