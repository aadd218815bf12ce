package dev.fabricembedded.endorser.chaincode;

import static dev.fabricembedded.endorser.chaincode.Invocations.context;
import static dev.fabricembedded.endorser.chaincode.Invocations.input;
import static dev.fabricembedded.endorser.chaincode.Invocations.txId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.endorser.runtime.ProcessRuntime;
import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.ledger.txmgr.TxSimulator;
import dev.fabricembedded.shim.Chaincode;
import dev.fabricembedded.shim.ChaincodeStub;
import dev.fabricembedded.shim.Response;
import dev.fabricembedded.shim.testing.LeakCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaincode support with real chaincode processes (the {@code examples} jars, started by {@link ProcessRuntime}) and
 * a real ledger: launch and handshake, INIT and TRANSACTION served from the simulator, range queries paged by 100,
 * history, chaincode-to-chaincode calls on one simulator, system chaincodes in-process, and Init statuses. The
 * chaincodes are launched once for the class and reused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChaincodeSupportProcessTest {

    private static final String CHANNEL = "ch";

    @TempDir
    static Path dir;

    private ChannelLedger ledger;
    private ChaincodeSupport support;
    private Path channels;
    private Path packages;
    private TxReadWriteSet deployResults;

    /** An in-process system chaincode that answers with its first argument. */
    static final class EchoSystemChaincode implements Chaincode {
        @Override
        public Response init(final ChaincodeStub stub) {
            return Response.success();
        }

        @Override
        public Response invoke(final ChaincodeStub stub) {
            return Response.success("echo " + String.join(" ", stub.getStringArgs()));
        }
    }

    @BeforeAll
    void start() throws Exception {
        ledger = TestLedgers.open(dir.resolve("ledger"), CHANNEL);
        channels = dir.resolve("channels");
        packages = dir.resolve("packages");
        final Installed installed = new Installed(dir.resolve("chaincodes"));
        installed.install("mycc", "1.0", ExampleJars.bytes("example02"));
        installed.install("bad", "1.0", ExampleJars.bytes("misbehaving"));
        Installed.instantiate(ledger, Installed.definition(installed.install("kv", "1.0", ExampleJars.bytes("kv"))),
                Installed.definition(installed.install("kv2", "1.0", ExampleJars.bytes("kv"))));
        support = ChaincodeSupport.builder()
                .runtime(ProcessRuntime.builder().channelBaseDir(channels).stopGracePeriod(Duration.ofSeconds(2))
                        .build())
                .packageDir(packages)
                .startupTimeout(Duration.ofSeconds(120))
                .packages(installed.store())
                .systemChaincode(new SystemChaincode("echo", new EchoSystemChaincode(), true, true))
                .systemChaincode(new SystemChaincode("cscc", new EchoSystemChaincode(), true, false))
                .build();
        // the seed flow's second half: INIT of a freshly launched chaincode, its PUT_STATEs on the simulator
        final String txId = txId();
        try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
            final ChaincodeResult result = support.execute(context(CHANNEL, "mycc", "1.0", txId).simulator(simulator)
                    .init(true).build(), input("init", "a", "100", "b", "200"));
            assertThat(result.response().getStatus()).isEqualTo(200);
            deployResults = simulator.getTxSimulationResults();
        }
        TestLedgers.commit(ledger, txId, deployResults);
    }

    @AfterAll
    void stop() throws IOException {
        if (support != null) {
            support.close();
        }
        if (ledger != null) {
            ledger.close();
        }
        LeakCheck.threadsNamed("chaincode-", "ipc-").assertNothingLeft(channels, packages);
    }

    @Test
    void initPutStatesLandInTheSimulatorOfTheTransaction() throws Exception {
        assertThat(support.isRunning("mycc", "1.0")).isTrue();
        assertThat(deployResults.getNsRwsetList()).extracting(NsReadWriteSet::getNamespace).containsExactly("mycc");
        final KVRWSet rwset = kv(deployResults, "mycc");
        assertThat(rwset.getWritesList()).extracting(KVWrite::getKey, w -> w.getValue().toStringUtf8(),
                KVWrite::getIsDelete)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", "100", false),
                        org.assertj.core.groups.Tuple.tuple("b", "200", false));
        assertThat(LeakCheck.chaincodeProcesses("mycc:1.0")).hasSize(1);
    }

    @Test
    void transactionReadsTheCommittedStateThroughGetState() throws Exception {
        final String txId = txId();
        try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
            final ChaincodeContext invoke = context(CHANNEL, "mycc", "1.0", txId).simulator(simulator).build();
            final ChaincodeResult moved = support.execute(invoke, input("invoke", "a", "b", "10"));
            assertThat(moved.response().getStatus()).isEqualTo(200);
            final KVRWSet rwset = kv(simulator.getTxSimulationResults(), "mycc");
            // both reads carry the committed version (block 1: the deploy's INIT); no read-your-writes
            assertThat(rwset.getReadsList()).extracting(KVRead::getKey, r -> r.getVersion().getBlockNum())
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("a", 1L),
                            org.assertj.core.groups.Tuple.tuple("b", 1L));
            assertThat(rwset.getWritesList()).extracting(KVWrite::getKey, w -> w.getValue().toStringUtf8())
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("a", "90"),
                            org.assertj.core.groups.Tuple.tuple("b", "210"));
        }
        final String queryTx = txId();
        try (TxSimulator simulator = ledger.newTxSimulator(queryTx)) {
            final ChaincodeResult query = support.execute(context(CHANNEL, "mycc", "1.0", queryTx)
                    .simulator(simulator).build(), input("query", "a"));
            assertThat(query.response().getPayload().toStringUtf8()).isEqualTo("100");
        }
    }

    @Test
    void rangeQueriesOfMoreThanOneHundredResultsArePagedThroughQueryStateNext() throws Exception {
        commit("kv", input("fill", "r", "250"));
        final String txId = txId();
        try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
            final ChaincodeResult range = support.execute(context(CHANNEL, "kv", "1.0", txId).simulator(simulator)
                    .build(), input("range", "r", "s"));
            final List<String> lines = range.response().getPayload().toStringUtf8().lines().toList();
            assertThat(lines).hasSize(250);
            assertThat(lines.get(0)).isEqualTo("r00000=v0");
            assertThat(lines.get(249)).isEqualTo("r00249=v249");
            final KVRWSet rwset = kv(simulator.getTxSimulationResults(), "kv");
            assertThat(rwset.getRangeQueriesInfoCount()).isEqualTo(1);
            assertThat(rwset.getRangeQueriesInfo(0).getItrExhausted()).isTrue();
            // more reads than Fabric's Merkle degree (50): the range is recorded as a Merkle summary, not raw reads
            assertThat(rwset.getRangeQueriesInfo(0).hasReadsMerkleHashes()).isTrue();
        }
        final String pageTx = txId();
        try (TxSimulator simulator = ledger.newTxSimulator(pageTx)) {
            final ChaincodeResult page = support.execute(context(CHANNEL, "kv", "1.0", pageTx).simulator(simulator)
                    .build(), input("page", "r", "s", "30", "r00100"));
            final List<String> lines = page.response().getPayload().toStringUtf8().lines().toList();
            assertThat(lines).hasSize(31);
            assertThat(lines.get(0)).isEqualTo("bookmark=r00130");
            assertThat(lines.get(1)).isEqualTo("r00100=v100");
        }
    }

    @Test
    void historyForKeyListsTheCommittedChangesNewestFirst() throws Exception {
        final String first = commit("kv", input("put", "h", "one"));
        final String second = commit("kv", input("put", "h", "two"));
        final String txId = txId();
        try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
            final ChaincodeResult history = support.execute(context(CHANNEL, "kv", "1.0", txId).simulator(simulator)
                    .historyExecutor(ledger.newHistoryQueryExecutor()).build(), input("history", "h"));
            assertThat(history.response().getPayload().toStringUtf8().lines())
                    .containsExactly(second + " false two", first + " false one");
        }
    }

    @Test
    void chaincodeToChaincodeCallsShareTheCallersSimulatorAndTransaction() throws Exception {
        final String txId = txId();
        try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
            final ChaincodeResult call = support.execute(context(CHANNEL, "kv", "1.0", txId).simulator(simulator)
                    .build(), input("call", "kv2", "", "put", "x", "from-kv"));
            assertThat(call.response().getStatus()).isEqualTo(200);
            final TxReadWriteSet results = simulator.getTxSimulationResults();
            // the callee's definition was read from lscc through the same simulator, as in Fabric
            // (and kv's, if this transaction was the one that launched kv)
            assertThat(results.getNsRwsetList()).extracting(NsReadWriteSet::getNamespace)
                    .containsExactly("kv2", "lscc");
            assertThat(kv(results, "lscc").getReadsList()).extracting(KVRead::getKey).contains("kv2");
            assertThat(kv(results, "lscc").getWritesList()).isEmpty();
            assertThat(kv(results, "kv2").getWritesList()).extracting(KVWrite::getKey, w -> w.getValue()
                    .toStringUtf8()).containsExactly(org.assertj.core.groups.Tuple.tuple("x", "from-kv"));
        }
        assertThat(support.isRunning("kv2", "1.0")).as("the callee was launched for the call").isTrue();
        // kv's conversation ran bound to its lane's home CPU; the invoke worker and launch threads it started, and the
        // callee's process, are not bound with it (a Linux thread inherits its creator's CPU mask)
        final String processCpus = CpusAllowed.of(Path.of("/proc/self/status"));
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (final Path task : tasks.toList()) {
                final String name = Files.readString(task.resolve("comm")).trim();
                if (name.startsWith("chaincode-invok") || name.startsWith("chaincode-launc")) {
                    assertThat(CpusAllowed.of(task.resolve("status"))).as(name).isEqualTo(processCpus);
                }
            }
        }
        final ProcessHandle callee = LeakCheck.chaincodeProcesses("kv2:1.0").get(0);
        assertThat(CpusAllowed.of(Path.of("/proc", Long.toString(callee.pid()), "status"))).as("the callee's process")
                .isEqualTo(processCpus);
    }

    @Test
    void systemChaincodesRunInProcessUnderTheSystemVersionAndObeyTheirCc2ccFlag() throws Exception {
        final String txId = txId();
        try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
            final ChaincodeResult echoed = support.execute(context(CHANNEL, "kv", "1.0", txId).simulator(simulator)
                    .build(), input("call", "echo", "", "hello"));
            assertThat(echoed.response().getPayload().toStringUtf8()).isEqualTo("echo hello");
        }
        assertThat(support.isRunning("echo", ChaincodeSupport.DEFAULT_SYSTEM_CHAINCODE_VERSION)).isTrue();
        final String refusedTx = txId();
        try (TxSimulator simulator = ledger.newTxSimulator(refusedTx)) {
            // the peer answers INVOKE_CHAINCODE with ERROR; the shim throws it into kv, which fails with it
            assertThatThrownBy(() -> support.execute(context(CHANNEL, "kv", "1.0", refusedTx).simulator(simulator)
                    .build(), input("call", "cscc", "", "GetChannels")))
                    .isInstanceOf(ChaincodeException.class)
                    .hasMessageStartingWith("transaction returned with failure: ")
                    .hasMessageContaining("INVOKE_CHAINCODE failed: transaction ID: " + refusedTx
                            + ": system chaincode cscc cannot be invoked with a cc2cc invocation");
        }
        final String escc = txId();
        try (TxSimulator simulator = ledger.newTxSimulator(escc)) {
            assertThatThrownBy(() -> support.execute(context(CHANNEL, "kv", "1.0", escc).simulator(simulator)
                    .build(), input("call", "escc", "", "x")))
                    .hasMessageContaining("system chaincode escc cannot be invoked with a cc2cc invocation");
        }
    }

    @Test
    void initWithStatus500FailsAndInitWithStatus400Completes() throws Exception {
        final String failing = txId();
        try (TxSimulator simulator = ledger.newTxSimulator(failing)) {
            assertThatThrownBy(() -> support.execute(context(CHANNEL, "bad", "1.0", failing).simulator(simulator)
                    .init(true).build(), input("status500")))
                    .isInstanceOf(ChaincodeException.class)
                    .hasMessage("transaction returned with failure: internal error on purpose");
        }
        final String badRequest = txId();
        try (TxSimulator simulator = ledger.newTxSimulator(badRequest)) {
            final ChaincodeResult result = support.execute(context(CHANNEL, "bad", "1.0", badRequest)
                    .simulator(simulator).init(true).build(), input("status400"));
            assertThat(result.response().getStatus()).isEqualTo(400);
            assertThat(result.response().getMessage()).isEqualTo("bad request on purpose");
        }
    }

    @Test
    void chaincodeEventsGetTheChaincodeNameAndTransactionIdFromThePeer() throws Exception {
        final String txId = txId();
        try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
            final ChaincodeResult result = support.execute(context(CHANNEL, "kv", "1.0", txId).simulator(simulator)
                    .build(), input("event", "moved", "payload"));
            assertThat(result.event()).hasValueSatisfying(event -> {
                assertThat(event.getEventName()).isEqualTo("moved");
                assertThat(event.getPayload().toStringUtf8()).isEqualTo("payload");
                assertThat(event.getChaincodeId()).isEqualTo("kv");
                assertThat(event.getTxId()).isEqualTo(txId);
            });
        }
    }

    @Test
    void writesOfTheWrongKindAreAnsweredWithTheLedgersError() throws Exception {
        final String txId = txId();
        try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
            // the kv chaincode writes a key whose value is above the ledger's 64 KiB limit
            final String big = "x".repeat(70 * 1024);
            assertThatThrownBy(() -> support.execute(context(CHANNEL, "kv", "1.0", txId).simulator(simulator).build(),
                    input("put", "big", big)))
                    .isInstanceOf(ChaincodeException.class)
                    .hasMessageStartingWith("transaction returned with failure: ")
                    .hasMessageContaining("PUT_STATE failed: transaction ID: " + txId + ": ");
        }
    }

    /** Executes a transaction on its own simulator and commits its results; returns its txid. */
    private String commit(final String chaincode, final ChaincodeInput input) throws ChaincodeException {
        final String txId = txId();
        final TxReadWriteSet results;
        try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
            final ChaincodeResult result = support.execute(context(CHANNEL, chaincode, "1.0", txId)
                    .simulator(simulator).build(), input);
            assertThat(result.response().getStatus()).isEqualTo(200);
            results = simulator.getTxSimulationResults();
        }
        TestLedgers.commit(ledger, txId, results);
        return txId;
    }

    static KVRWSet kv(final TxReadWriteSet results, final String namespace) throws InvalidProtocolBufferException {
        final Map<String, ByteString> byNamespace = results.getNsRwsetList().stream()
                .collect(Collectors.toMap(NsReadWriteSet::getNamespace, NsReadWriteSet::getRwset));
        assertThat(byNamespace).containsKey(namespace);
        return KVRWSet.parseFrom(byNamespace.get(namespace));
    }


}
