package dev.fabricembedded.msp;

import com.google.protobuf.ByteString;
import dev.fabricembedded.msp.devca.Organization;
import org.junit.jupiter.api.Test;

import static dev.fabricembedded.msp.Fixtures.serialized;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MspManagerTest {

    private static final Organization ORG1 = Organization.generate("Org1MSP", "org1.example.com");
    private static final Organization ORG2 = Organization.generate("Org2MSP", "org2.example.com");

    @Test
    void selectsTheMspNamedByTheIdentity() {
        MspManager manager = MspManager.of(ORG1.msp(), ORG2.msp());
        assertThat(manager.deserializeIdentity(serialized("Org2MSP", ORG2.peer())).mspId()).isEqualTo("Org2MSP");
        assertThat(manager.msp("Org1MSP")).isSameAs(ORG1.msp());
        assertThat(manager.msps()).containsOnlyKeys("Org1MSP", "Org2MSP");
    }

    @Test
    void anUnknownMspIsNamedInTheError() {
        MspManager manager = MspManager.of(ORG1.msp());
        assertThatThrownBy(() -> manager.deserializeIdentity(serialized("Org9MSP", ORG2.peer())))
                .isInstanceOfSatisfying(InvalidIdentityException.class, e -> assertThat(e.reason())
                        .isEqualTo(InvalidIdentityException.Reason.UNKNOWN_MSP))
                .hasMessage("MSP Org9MSP is unknown");
        assertThatThrownBy(() -> manager.msp("Org9MSP")).hasMessage("MSP Org9MSP is unknown");
        assertThat(manager.find("Org9MSP")).isEmpty();
    }

    @Test
    void anIdentityOfTheRightNameButAnotherCaIsRejected() {
        MspManager manager = MspManager.of(ORG1.msp());
        assertThatThrownBy(() -> manager.deserializeIdentity(serialized("Org1MSP", ORG2.peer())))
                .hasMessage("the supplied identity is not valid: x509: certificate signed by unknown authority");
    }

    @Test
    void repeatedIdentitiesComeFromTheCache() {
        MspManager manager = MspManager.of(ORG1.msp());
        ByteString bytes = serialized("Org1MSP", ORG1.client());
        Identity first = manager.deserializeIdentity(bytes);
        Identity second = manager.deserializeIdentity(ByteString.copyFrom(bytes.toByteArray()));
        assertThat(second).isSameAs(first);
        assertThat(manager.cachedIdentities()).isEqualTo(1);
    }

    @Test
    void theCacheIsBoundedAndKeepsRecentlyUsedEntries() {
        MspManager manager = MspManager.builder().add(ORG1.msp()).identityCacheSize(2).build();
        ByteString peer = serialized("Org1MSP", ORG1.peer());
        ByteString client = serialized("Org1MSP", ORG1.client());
        ByteString admin = serialized("Org1MSP", ORG1.admin());

        Identity peerIdentity = manager.deserializeIdentity(peer);
        manager.deserializeIdentity(client);
        manager.deserializeIdentity(peer); // referenced: survives the next eviction
        manager.deserializeIdentity(admin);

        assertThat(manager.cachedIdentities()).isEqualTo(2);
        assertThat(manager.deserializeIdentity(peer)).isSameAs(peerIdentity);
    }

    @Test
    void duplicateMspsAreRejected() {
        assertThatThrownBy(() -> MspManager.of(ORG1.msp(), ORG1.msp())).hasMessage("duplicate MSP Org1MSP");
    }

    @Test
    void wellFormednessIsCheckedWithoutAnMspLookup() {
        MspManager manager = MspManager.of(ORG1.msp());
        assertThat(manager.isWellFormed(serialized("Org9MSP", ORG2.peer())).isValid()).isTrue();
        assertThat(manager.isWellFormed(serialized("Org1MSP", "junk")).message())
                .isEqualTo("PEM decoding resulted in an empty block");
    }
}
