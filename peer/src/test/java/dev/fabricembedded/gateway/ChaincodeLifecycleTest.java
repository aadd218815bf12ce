package dev.fabricembedded.gateway;

import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.msp.policy.InvalidPolicyException;
import dev.fabricembedded.peer.ExampleJars;
import dev.fabricembedded.peer.TestNetwork;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static dev.fabricembedded.peer.TestNetwork.ORG1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

/** Install, instantiate and upgrade through the gateway, and their refusals with Fabric's texts. */
class ChaincodeLifecycleTest {

    @Test
    void upgradeKeepsTheStateAndRefusalsCarryFabricsTexts(@TempDir final Path root) {
        try (TestNetwork network = TestNetwork.create(root, ORG1);
             Gateway admin = network.gateway(ORG1.signer(NodeRole.ADMIN));
             Gateway client = network.gateway(ORG1.signer(NodeRole.CLIENT))) {
            final Network channel = admin.network(TestNetwork.CHANNEL);
            admin.install(ExampleJars.jar("kv"), "kv", "1.0");
            assertThatThrownBy(() -> admin.install(ExampleJars.jar("kv"), "kv", "1.0"))
                    .asInstanceOf(type(EndorseException.class))
                    .satisfies(e -> {
                        assertThat(e.status()).isEqualTo(500);
                        assertThat(e.responseMessage()).startsWith("error installing chaincode code kv:1.0(chaincode ")
                                .endsWith("exists)");
                    });
            assertThatThrownBy(() -> client.install(ExampleJars.jar("kv"), "kv", "9.0"))
                    .as("only the peer's local admins may install")
                    .asInstanceOf(type(EndorseException.class))
                    .satisfies(e -> assertThat(e.responseMessage()).contains("Failed verifying that proposal's "
                            + "creator satisfies local MSP principal during channelless check policy"));

            assertThatThrownBy(() -> channel.instantiate("kv", "1.0", List.of("init"), "AND('Org1MSP.member'"))
                    .isInstanceOf(InvalidPolicyException.class);
            assertThatThrownBy(() -> channel.instantiate("missing", "1.0", List.of("init"), null))
                    .asInstanceOf(type(EndorseException.class))
                    .satisfies(e -> assertThat(e.responseMessage())
                            .contains("cannot get package for chaincode (missing:1.0)"));
            assertThat(network.peer(0).channel(TestNetwork.CHANNEL).orElseThrow().height())
                    .as("refused lifecycle proposals are not ordered").isEqualTo(1);

            assertThat(channel.instantiate("kv", "1.0", List.of("init"), "OR('Org1MSP.member')").code())
                    .isEqualTo(TxValidationCode.VALID);
            final Contract kv = client.network(TestNetwork.CHANNEL).contract("kv");
            kv.submit("put", "kept", "across the upgrade");

            admin.install(ExampleJars.jar("kv"), "kv", "2.0");
            final SubmitResult upgraded = channel.upgrade("kv", "2.0", List.of("init"), null);
            assertThat(upgraded.code()).isEqualTo(TxValidationCode.VALID);
            assertThat(new String(kv.evaluate("get", "kept"), StandardCharsets.UTF_8)).isEqualTo("across the upgrade");
            assertThat(kv.submitTransaction("put", "after", "upgrade").code()).isEqualTo(TxValidationCode.VALID);

            assertThatThrownBy(() -> channel.upgrade("kv", "2.0", List.of("init"), null))
                    .asInstanceOf(type(EndorseException.class))
                    .satisfies(e -> assertThat(e.responseMessage())
                            .isEqualTo("version already exists for chaincode with name 'kv'"));
        }
    }
}
