package dev.fabricembedded.endorser.chaincode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.ledger.txmgr.TxSimulator;
import dev.fabricembedded.shim.Chaincode;
import dev.fabricembedded.shim.ChaincodeStub;
import dev.fabricembedded.shim.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.hyperledger.fabric.protos.ledger.queryresult.KV;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.peer.QueryResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fabric's small rules inside chaincode support: chaincode name parsing, system chaincode flags, the registry's
 * registration rules, and query batching with the total query limit.
 */
class ChaincodeRulesTest {

    @TempDir
    Path dir;

    private static final Chaincode NOTHING = new Chaincode() {
        @Override
        public Response init(final ChaincodeStub stub) {
            return Response.success();
        }

        @Override
        public Response invoke(final ChaincodeStub stub) {
            return Response.success();
        }
    };

    @Test
    void chaincodeNamesParseAsNameVersionAndChannelLikeFabric() {
        assertThat(ChaincodeInstance.parse("mycc")).isEqualTo(new ChaincodeInstance("", "mycc", ""));
        assertThat(ChaincodeInstance.parse("mycc:1.0")).isEqualTo(new ChaincodeInstance("", "mycc", "1.0"));
        assertThat(ChaincodeInstance.parse("mycc/other")).isEqualTo(new ChaincodeInstance("other", "mycc", ""));
        assertThat(ChaincodeInstance.parse("mycc:1.0/other")).isEqualTo(new ChaincodeInstance("other", "mycc", "1.0"));
        // splits at the first '/' then the first ':', as Fabric's SplitN
        assertThat(ChaincodeInstance.parse("a:b:c/d/e")).isEqualTo(new ChaincodeInstance("d/e", "a", "b:c"));
        assertThat(ChaincodeInstance.parse("mycc:1.0/other")).hasToString("other.mycc#1.0");
    }

    @Test
    void deprecatedSystemChaincodeNamesAreSystemChaincodesThatNobodyMayInvoke() {
        final SystemChaincodes sysccs = new SystemChaincodes("1.4.12", List.of(
                new SystemChaincode("lscc", NOTHING, true, true),
                new SystemChaincode("cscc", NOTHING, true, false),
                new SystemChaincode("internal", NOTHING, false, false)));
        assertThat(sysccs.isSysCC("lscc")).isTrue();
        assertThat(sysccs.isSysCC("escc")).isTrue();
        assertThat(sysccs.isSysCC("vscc")).isTrue();
        assertThat(sysccs.isSysCC("mycc")).isFalse();
        assertThat(sysccs.isSysCCAndNotInvokableExternal("lscc")).isFalse();
        assertThat(sysccs.isSysCCAndNotInvokableExternal("internal")).isTrue();
        assertThat(sysccs.isSysCCAndNotInvokableExternal("escc")).isTrue();
        assertThat(sysccs.isSysCCAndNotInvokableExternal("mycc")).isFalse();
        assertThat(sysccs.isSysCCAndNotInvokableCC2CC("lscc")).isFalse();
        assertThat(sysccs.isSysCCAndNotInvokableCC2CC("cscc")).isTrue();
        assertThat(sysccs.isSysCCAndNotInvokableCC2CC("vscc")).isTrue();
        assertThat(sysccs.isSysCCAndNotInvokableCC2CC("mycc")).isFalse();
        assertThatThrownBy(() -> new SystemChaincodes("1", List.of(new SystemChaincode("escc", NOTHING, true, true))))
                .hasMessageContaining("deprecated");
        assertThatThrownBy(() -> new SystemChaincodes("1", List.of(new SystemChaincode("a", NOTHING, true, true),
                new SystemChaincode("a", NOTHING, true, true)))).hasMessageContaining("twice");
    }

    @Test
    void theRegistryAcceptsOnlyLaunchedChaincodesInNetModeAndOnlyOnce() throws Exception {
        final HandlerRegistry net = new HandlerRegistry(false);
        final Handler first = new Handler(null, null);
        final Handler second = new Handler(null, null);
        assertThatThrownBy(() -> net.register("cc:1.0", first)).hasMessage(
                "peer will not accept external chaincode connection cc:1.0 (except in dev mode)");
        final HandlerRegistry.Launching launching = net.launching("cc:1.0");
        assertThat(launching.alreadyStarted()).isFalse();
        assertThat(net.launching("cc:1.0").alreadyStarted()).as("one launch per name").isTrue();
        net.register("cc:1.0", first);
        assertThatThrownBy(() -> net.register("cc:1.0", second)).hasMessage("duplicate chaincodeID: cc:1.0");
        net.ready("cc:1.0");
        assertThat(launching.state().outcome().join()).isEmpty();
        // only the registered handler can deregister its name
        net.deregister("cc:1.0", second);
        assertThat(net.handler("cc:1.0")).isSameAs(first);
        net.deregister("cc:1.0", first);
        assertThat(net.handler("cc:1.0")).isNull();
        assertThat(net.launching("cc:1.0").alreadyStarted()).as("a new launch after the stream ended").isFalse();

        final HandlerRegistry dev = new HandlerRegistry(true);
        dev.register("mine:1", first);
        final HandlerRegistry.Launching registered = dev.launching("mine:1");
        assertThat(registered.alreadyStarted()).isTrue();
        assertThat(registered.state().outcome().join()).isEmpty();
    }

    @Test
    void aFailedLaunchLeavesNothingRegistered() throws Exception {
        final HandlerRegistry registry = new HandlerRegistry(false);
        final HandlerRegistry.Launching launching = registry.launching("cc:1.0");
        registry.failed("cc:1.0", "container exited with 1");
        assertThat(launching.state().outcome().join()).contains("container exited with 1");
        registry.deregisterLaunch("cc:1.0", launching.state());
        assertThat(registry.launching("cc:1.0").alreadyStarted()).isFalse();
    }

    @Test
    void queryBatchesStopAtTheTotalQueryLimit() throws Exception {
        try (ChannelLedger ledger = TestLedgers.open(dir.resolve("ledger"), "ch")) {
            final TxReadWriteSet setup;
            try (TxSimulator simulator = ledger.newTxSimulator("setup")) {
                for (int i = 0; i < 250; i++) {
                    simulator.setState("cc", String.format("k%03d", i), "v".getBytes(StandardCharsets.UTF_8));
                }
                setup = simulator.getTxSimulationResults();
            }
            TestLedgers.commit(ledger, "setup", setup);
            try (TxSimulator simulator = ledger.newTxSimulator("q")) {
                final TransactionContext context = new TransactionContext(ChaincodeContext.builder("ch", "cc", "1", "q")
                        .simulator(simulator).build());
                final QueryResponseGenerator generator = new QueryResponseGenerator(100);
                synchronized (context.lock()) {
                    final String id = context.openQuery(simulator.getStateRangeScanIterator("cc", "", ""));
                    final QueryResponse first = generator.build(context, id, false, 150);
                    assertThat(first.getResultsCount()).isEqualTo(100);
                    assertThat(first.getHasMore()).isTrue();
                    final QueryResponse second = generator.build(context, id, false, 150);
                    assertThat(second.getResultsCount()).isEqualTo(50);
                    assertThat(second.getHasMore()).as("the limit ends the query").isFalse();
                    assertThat(key(second, 49)).isEqualTo("k149");
                    assertThat(context.query(id)).as("iterator closed").isNull();

                    final String exact = context.openQuery(simulator.getStateRangeScanIterator("cc", "k000", "k100"));
                    final QueryResponse all = generator.build(context, exact, false, 1000);
                    assertThat(all.getResultsCount()).isEqualTo(100);
                    assertThat(all.getHasMore()).as("exactly 100: no second batch").isFalse();
                }
            }
        }
    }

    @Test
    void chaincodeObjectsOfTheHostRunInProcessWithTheJavaShimsRules() throws Exception {
        final Chaincode writer = new Chaincode() {
            @Override
            public Response init(final ChaincodeStub stub) {
                stub.putStringState("written", "in-process");
                return Response.success("init done");
            }

            @Override
            public Response invoke(final ChaincodeStub stub) {
                return Response.error("invoke refused");
            }
        };
        try (ChannelLedger ledger = TestLedgers.open(dir.resolve("objects"), "ch");
             ChaincodeSupport support = ChaincodeSupport.builder().runtime(new ScriptedRuntime())
                     .inProcessChaincode("obj", "1.0", writer).build()) {
            try (TxSimulator simulator = ledger.newTxSimulator("t1")) {
                final ChaincodeResult init = support.execute(ChaincodeContext.builder("ch", "obj", "1.0", "t1")
                        .simulator(simulator).init(true).build(), Invocations.input("init"));
                assertThat(init.response().getPayload().toStringUtf8()).isEqualTo("init done");
                assertThat(ChaincodeSupportProcessTest.kv(simulator.getTxSimulationResults(), "obj").getWrites(0)
                        .getValue().toStringUtf8()).isEqualTo("in-process");
            }
            try (TxSimulator simulator = ledger.newTxSimulator("t2")) {
                // a host object is not a system chaincode: an Invoke with 500 is the Java shim's ERROR
                assertThatThrownBy(() -> support.execute(ChaincodeContext.builder("ch", "obj", "1.0", "t2")
                        .simulator(simulator).build(), Invocations.input("x")))
                        .isInstanceOf(ChaincodeException.class)
                        .hasMessage("transaction returned with failure: invoke refused");
            }
        }
    }

    private static String key(final QueryResponse response, final int index) throws InvalidProtocolBufferException {
        return KV.parseFrom(response.getResults(index).getResultBytes()).getKey();
    }
}
