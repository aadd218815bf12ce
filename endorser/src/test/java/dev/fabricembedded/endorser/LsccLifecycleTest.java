package dev.fabricembedded.endorser;

import com.google.protobuf.ByteString;
import dev.fabricembedded.endorser.chaincode.ChaincodeContainerInfo;
import dev.fabricembedded.endorser.chaincode.ChaincodeException;
import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.ledger.txmgr.TxSimulator;
import dev.fabricembedded.msp.policy.SignaturePolicies;
import dev.fabricembedded.scc.ccprovider.ChaincodeData;
import dev.fabricembedded.scc.ccprovider.ChaincodePackage;
import dev.fabricembedded.scc.ccprovider.FileChaincodePackageStore;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Definitions read from a real simulator's {@code lscc} namespace and checked against a real package store. */
class LsccLifecycleTest {

    @TempDir
    Path dir;

    private ChannelLedger ledger;
    private FileChaincodePackageStore store;
    private LsccLifecycle lifecycle;
    private ChaincodePackage installed;

    @BeforeEach
    void setUp() throws Exception {
        ledger = ChannelLedger.builder(dir.resolve("ledger"), "mychannel").stateEntries(1_000).open();
        store = new FileChaincodePackageStore(dir.resolve("chaincodes"));
        installed = store.install(ExamplePackages.spec("mycc", "1.0",
                ExamplePackages.jar(ExamplePackages.EXAMPLE02, dir.resolve("jars"))).toByteString());
        lifecycle = new LsccLifecycle(store);
    }

    @AfterEach
    void tearDown() {
        ledger.close();
    }

    private ChaincodeData definition() {
        return installed.chaincodeData().withInstance("escc", "vscc",
                SignaturePolicies.signedByAnyMember(List.of("Org1MSP")).toByteString());
    }

    @Test
    void missingDefinitionAndMissingLedgerContextHaveFabricsTexts() {
        try (TxSimulator simulator = ledger.newTxSimulator("tx1")) {
            assertThatThrownBy(() -> lifecycle.definition("mycc", simulator)).isInstanceOf(ChaincodeException.class)
                    .hasMessage("chaincode mycc not found");
            assertThatThrownBy(() -> lifecycle.chaincodeContainerInfo("mychannel", "mycc", simulator))
                    .hasMessage("chaincode mycc not found");
            final KVRWSet reads = readSet(simulator);
            assertThat(reads.getReadsList()).extracting(r -> r.getKey()).containsExactly("mycc");
        }
        assertThatThrownBy(() -> lifecycle.definition("mycc", null))
                .hasMessage("could not get definition for chaincode mycc without a ledger context");
    }

    @Test
    void definitionIsCheckedAgainstTheInstalledPackage() throws Exception {
        final ChaincodeData matching = definition();
        lifecycle.checkInstantiationPolicy("mycc", "1.0", matching);
        assertThat(ChaincodeData.parse(matching.toByteString())).isEqualTo(matching);
        assertThatThrownBy(() -> lifecycle.checkInstantiationPolicy("mycc", "9.9", matching))
                .hasMessage("cannot get package for chaincode (mycc:9.9)");
        assertThat(lifecycle.codePackage("mycc", "1.0"))
                .isEqualTo(installed.deploymentSpec().getCodePackage().toByteArray());
        assertThatThrownBy(() -> lifecycle.codePackage("other", "1.0"))
                .hasMessage("cannot get package for chaincode (other:1.0)");
    }

    @Test
    void containerInfoRunsTheFingerprintCheck() throws Exception {
        final CommittedDefinitions committed = new CommittedDefinitions(ledger);
        committed.put("mycc", definition());
        committed.put("notinstalled", new ChaincodeData("notinstalled", "1.0", "escc", "vscc", ByteString.EMPTY,
                installed.data(), installed.id(), ByteString.EMPTY));
        store.install(ExamplePackages.spec("othercc", "1.0",
                ExamplePackages.jar(ExamplePackages.MISBEHAVING, dir.resolve("jars"))).toByteString());
        committed.put("othercc", new ChaincodeData("othercc", "1.0", "escc", "vscc", ByteString.EMPTY,
                installed.data(), installed.id(), ByteString.EMPTY));
        committed.put("garbage", null);
        try (TxSimulator simulator = ledger.newTxSimulator("tx2")) {
            assertThat(lifecycle.chaincodeContainerInfo("mychannel", "mycc", simulator))
                    .isEqualTo(new ChaincodeContainerInfo("mycc", "1.0"));
            assertThat(lifecycle.chaincodeDefinition("mychannel", "mycc", simulator).getVersion()).isEqualTo("1.0");
            assertThatThrownBy(() -> lifecycle.chaincodeContainerInfo("mychannel", "notinstalled", simulator))
                    .hasMessage("could not get chaincode code: invalid deployment spec: chaincode notinstalled.1.0 is "
                            + "not installed");
            assertThatThrownBy(() -> lifecycle.chaincodeContainerInfo("mychannel", "othercc", simulator))
                    .hasMessage("could not get chaincode code: chaincode fingerprint mismatch: data mismatch");
            assertThatThrownBy(() -> lifecycle.definition("garbage", simulator))
                    .hasMessageStartingWith("chaincode garbage has bad definition: ");
        }
    }

    private static KVRWSet readSet(final TxSimulator simulator) {
        try {
            return KVRWSet.parseFrom(simulator.getTxSimulationResults().getNsRwset(0).getRwset());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
