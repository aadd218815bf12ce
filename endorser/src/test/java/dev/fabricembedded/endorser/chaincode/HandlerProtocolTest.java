package dev.fabricembedded.endorser.chaincode;

import static dev.fabricembedded.endorser.chaincode.Invocations.context;
import static dev.fabricembedded.endorser.chaincode.Invocations.input;
import static dev.fabricembedded.endorser.chaincode.Invocations.txId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.injvm.ChannelPair;
import dev.fabricembedded.ipc.injvm.InJvmChannels;
import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.ledger.txmgr.TxSimulator;
import dev.fabricembedded.scc.ccprovider.ChaincodeData;
import dev.fabricembedded.scc.ccprovider.ChaincodePackage;
import dev.fabricembedded.shim.testing.LeakCheck;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.ledger.queryresult.KV;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage.Type;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.GetQueryResult;
import org.hyperledger.fabric.protos.peer.GetState;
import org.hyperledger.fabric.protos.peer.GetStateByRange;
import org.hyperledger.fabric.protos.peer.GetStateMetadata;
import org.hyperledger.fabric.protos.peer.PutState;
import org.hyperledger.fabric.protos.peer.PutStateMetadata;
import org.hyperledger.fabric.protos.peer.QueryMetadata;
import org.hyperledger.fabric.protos.peer.QueryResponse;
import org.hyperledger.fabric.protos.peer.QueryResponseMetadata;
import org.hyperledger.fabric.protos.peer.QueryStateClose;
import org.hyperledger.fabric.protos.peer.QueryStateNext;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.StateMetadata;
import org.hyperledger.fabric.protos.peer.StateMetadataResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The peer-side handler's protocol, message by message, against chaincodes the test scripts over in-JVM channels
 * ({@link ScriptedRuntime}), with a real ledger behind the simulators: the handshake, every request type and its
 * Fabric texts, one request per txid, late answers, registration rules, stream ends, launch failures and dev mode.
 * In-JVM channels lend no inbound lease, so here every frame is served by the event-loop thread;
 * {@link HandlerProtocolOverLeaseTest} runs the same cases where the executing thread serves its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HandlerProtocolTest {

    static final String CH = "ch";

    @TempDir
    static Path dir;

    ChannelLedger ledger;
    ScriptedRuntime runtime;
    ChaincodeSupport support;
    private Installed installed;

    @BeforeAll
    void start() {
        ledger = TestLedgers.open(dir.resolve("ledger"), CH);
        final TxReadWriteSet setup;
        try (TxSimulator simulator = ledger.newTxSimulator("setup")) {
            simulator.setState("query", "k0", bytes("committed"));
            simulator.setState("leased", "k0", bytes("committed"));
            simulator.setState("twin", "k0", bytes("committed"));
            for (int i = 0; i < 250; i++) {
                simulator.setState("query", String.format("r%03d", i), bytes("v" + i));
            }
            setup = simulator.getTxSimulationResults();
        }
        TestLedgers.commit(ledger, "setup", setup);
        runtime = newRuntime()
                .onStart("garbled", cc -> cc.send(ChaincodeMessage.newBuilder().setType(Type.GET_STATE)
                        .setTxid("t").setChannelId(CH).build()))
                .failStart("broken", "no docker daemon");
        installed = new Installed(dir.resolve("chaincodes"));
        final List<ChaincodeData> definitions = new ArrayList<>();
        for (final String name : new String[] {"init", "query", "pending", "callee", "late", "dup", "meta", "private",
                "registered", "again", "garbled", "broken", "fresh", "alive", "leased", "twin"}) {
            definitions.add(Installed.definition(installed.install(name, "1.0", ExampleJars.bytes("kv"))));
        }
        // defined on the channel, not installed here
        definitions.add(Installed.definition(ChaincodePackage.parse(
                Installed.cds("uninstalled", "1.0", ExampleJars.bytes("kv")).toByteString())));
        // installed, but not the package the channel's definition was made from
        installed.install("tampered", "1.0", ExampleJars.bytes("kv"));
        definitions.add(Installed.definition(ChaincodePackage.parse(
                Installed.cds("tampered", "1.0", ExampleJars.bytes("misbehaving")).toByteString())));
        Installed.instantiate(ledger, definitions.toArray(ChaincodeData[]::new));
        support = configure(ChaincodeSupport.builder())
                .runtime(runtime)
                .packages(installed.store())
                .executeTimeout(Duration.ofSeconds(2))
                .startupTimeout(Duration.ofSeconds(60))
                .applicationConfig(channel -> switch (channel) {
                    case CH -> java.util.Optional.of(new ApplicationCapabilities(true));
                    case "v12" -> java.util.Optional.of(new ApplicationCapabilities(false));
                    default -> java.util.Optional.empty();
                })
                .build();
    }

    /** The runtime the scripted chaincodes run on. */
    ScriptedRuntime newRuntime() {
        return new ScriptedRuntime();
    }

    /** Settings of the chaincode support under test beyond the common ones. */
    ChaincodeSupport.Builder configure(final ChaincodeSupport.Builder builder) {
        return builder;
    }

    @AfterAll
    void stop() throws IOException {
        support.close();
        ledger.close();
        LeakCheck.threadsNamed("chaincode-", "ipc-").assertNothingLeft();
    }

    @Test
    void registerIsAnsweredWithRegisteredThenReadyAndInitIsServedFromTheSimulator() throws Exception {
        final String txId = txId();
        try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
            final ChaincodeContext context = context(CH, "init", "1.0", txId).simulator(simulator).init(true).build();
            final CompletableFuture<ChaincodeResult> result = async(context, input("init", "a"));
            final ScriptedChaincode cc = runtime.nextStarted();
            assertThat(cc.next().getType()).isEqualTo(Type.REGISTERED);
            assertThat(cc.next().getType()).isEqualTo(Type.READY);
            final ChaincodeMessage init = cc.next();
            assertThat(init.getType()).isEqualTo(Type.INIT);
            assertThat(init.getTxid()).isEqualTo(txId);
            assertThat(init.getChannelId()).isEqualTo(CH);
            assertThat(ChaincodeInput.parseFrom(init.getPayload())).isEqualTo(input("init", "a"));
            assertThat(init.getProposal()).isEqualTo(context.signedProposal());

            final ChaincodeMessage put = cc.request(init, Type.PUT_STATE, PutState.newBuilder().setKey("a")
                    .setValue(ByteString.copyFromUtf8("1")).build().toByteString());
            assertThat(put.getType()).isEqualTo(Type.RESPONSE);
            assertThat(put.getTxid()).isEqualTo(txId);
            assertThat(put.getChannelId()).isEqualTo(CH);
            final ChaincodeMessage del = cc.request(init, Type.DEL_STATE,
                    org.hyperledger.fabric.protos.peer.DelState.newBuilder().setKey("b").build().toByteString());
            assertThat(del.getType()).isEqualTo(Type.RESPONSE);
            final ChaincodeMessage absent = cc.request(init, Type.GET_STATE,
                    GetState.newBuilder().setKey("a").build().toByteString());
            assertThat(absent.getType()).isEqualTo(Type.RESPONSE);
            assertThat(absent.getPayload().isEmpty()).as("no read-your-writes: a is not committed").isTrue();
            cc.complete(init, 200, "inited");

            final ChaincodeResult done = result.get(20, TimeUnit.SECONDS);
            assertThat(done.response().getStatus()).isEqualTo(200);
            assertThat(done.response().getPayload().toStringUtf8()).isEqualTo("inited");
            final KVRWSet rwset = ChaincodeSupportProcessTest.kv(simulator.getTxSimulationResults(), "init");
            assertThat(rwset.getWritesList()).extracting(w -> w.getKey() + "=" + w.getValue().toStringUtf8()
                    + (w.getIsDelete() ? " deleted" : "")).containsExactly("a=1", "b= deleted");
            assertThat(rwset.getReadsList()).extracting(r -> r.getKey()).containsExactly("a");
        }
        assertThat(support.isRunning("init", "1.0")).isTrue();
    }

    @Test
    void rangeQueriesComeInBatchesOfOneHundredAndPagesWithABookmark() throws Exception {
        final Execution tx = transaction("query");
        final ChaincodeMessage first = tx.cc.request(tx.message, Type.GET_STATE_BY_RANGE,
                GetStateByRange.newBuilder().setStartKey("r").setEndKey("s").build().toByteString());
        final QueryResponse batch1 = QueryResponse.parseFrom(first.getPayload());
        assertThat(batch1.getResultsCount()).isEqualTo(100);
        assertThat(batch1.getHasMore()).isTrue();
        assertThat(KV.parseFrom(batch1.getResults(0).getResultBytes()).getKey()).isEqualTo("r000");
        assertThat(KV.parseFrom(batch1.getResults(0).getResultBytes()).getNamespace()).isEqualTo("query");
        final ByteString next = QueryStateNext.newBuilder().setId(batch1.getId()).build().toByteString();
        final QueryResponse batch2 = QueryResponse.parseFrom(tx.cc.request(tx.message, Type.QUERY_STATE_NEXT, next)
                .getPayload());
        assertThat(batch2.getResultsCount()).isEqualTo(100);
        assertThat(batch2.getHasMore()).isTrue();
        assertThat(KV.parseFrom(batch2.getResults(0).getResultBytes()).getKey()).isEqualTo("r100");
        final QueryResponse batch3 = QueryResponse.parseFrom(tx.cc.request(tx.message, Type.QUERY_STATE_NEXT, next)
                .getPayload());
        assertThat(batch3.getResultsCount()).isEqualTo(50);
        assertThat(batch3.getHasMore()).isFalse();
        assertThat(batch3.getId()).isEqualTo(batch1.getId());
        // exhausted: the iterator is gone
        final ChaincodeMessage gone = tx.cc.request(tx.message, Type.QUERY_STATE_NEXT, next);
        assertThat(gone.getType()).isEqualTo(Type.ERROR);
        assertThat(gone.getPayload().toStringUtf8()).isEqualTo("QUERY_STATE_NEXT failed: transaction ID: " + tx.txId
                + ": query iterator not found");
        final ChaincodeMessage closed = tx.cc.request(tx.message, Type.QUERY_STATE_CLOSE,
                QueryStateClose.newBuilder().setId(batch1.getId()).build().toByteString());
        assertThat(QueryResponse.parseFrom(closed.getPayload()))
                .isEqualTo(QueryResponse.newBuilder().setHasMore(false).setId(batch1.getId()).build());

        final ChaincodeMessage paged = tx.cc.request(tx.message, Type.GET_STATE_BY_RANGE, GetStateByRange.newBuilder()
                .setStartKey("r").setEndKey("s").setMetadata(QueryMetadata.newBuilder().setPageSize(30)
                        .setBookmark("r200").build().toByteString()).build().toByteString());
        final QueryResponse page = QueryResponse.parseFrom(paged.getPayload());
        assertThat(page.getResultsCount()).isEqualTo(30);
        assertThat(page.getHasMore()).isFalse();
        assertThat(KV.parseFrom(page.getResults(0).getResultBytes()).getKey()).isEqualTo("r200");
        final QueryResponseMetadata metadata = QueryResponseMetadata.parseFrom(page.getMetadata());
        assertThat(metadata.getFetchedRecordsCount()).isEqualTo(30);
        assertThat(metadata.getBookmark()).isEqualTo("r230");
        tx.complete();
    }

    @Test
    void keepaliveIsIgnoredAndARequestWithoutExecutionHasNoLedgerContext() throws Exception {
        final Execution tx = transaction("query");
        tx.cc.send(ChaincodeMessage.newBuilder().setType(Type.KEEPALIVE).build());
        final ChaincodeMessage orphan = tx.cc.request(ChaincodeMessage.newBuilder().setTxid("nope").setChannelId(CH)
                .build(), Type.GET_STATE, GetState.newBuilder().setKey("k0").build().toByteString());
        // the KEEPALIVE got no answer: the next message is the GET_STATE's
        assertThat(orphan.getType()).isEqualTo(Type.ERROR);
        assertThat(orphan.getTxid()).isEqualTo("nope");
        assertThat(orphan.getPayload().toStringUtf8())
                .isEqualTo("GET_STATE failed: transaction ID: nope: no ledger context");
        final ChaincodeMessage read = tx.cc.request(tx.message, Type.GET_STATE,
                GetState.newBuilder().setKey("k0").build().toByteString());
        assertThat(read.getPayload().toStringUtf8()).isEqualTo("committed");
        tx.complete();
    }

    @Test
    void aSecondRequestForATxidWithOneInProgressGetsNoAnswer() throws Exception {
        final Execution tx = transaction("pending");
        // INVOKE_CHAINCODE keeps the txid busy until the callee answers
        tx.cc.send(ScriptedChaincode.requestOf(tx.message, Type.INVOKE_CHAINCODE, ChaincodeSpec.newBuilder()
                .setChaincodeId(ChaincodeID.newBuilder().setName("callee"))
                .setInput(input("put", "x", "y")).build().toByteString()));
        final ScriptedChaincode callee = runtime.nextStarted();
        assertThat(callee.next().getType()).isEqualTo(Type.REGISTERED);
        assertThat(callee.next().getType()).isEqualTo(Type.READY);
        final ChaincodeMessage calleeTx = callee.next();
        assertThat(calleeTx.getType()).isEqualTo(Type.TRANSACTION);
        assertThat(calleeTx.getTxid()).isEqualTo(tx.txId);
        assertThat(calleeTx.getChannelId()).isEqualTo(CH);
        assertThat(ChaincodeInput.parseFrom(calleeTx.getPayload())).isEqualTo(input("put", "x", "y"));

        // while the call is in progress: a second request on the same txid is dropped...
        tx.cc.send(ScriptedChaincode.requestOf(tx.message, Type.GET_STATE,
                GetState.newBuilder().setKey("dropped").build().toByteString()));
        // ...which a request on another txid, answered in order, proves
        final ChaincodeMessage fence = tx.cc.request(ChaincodeMessage.newBuilder().setTxid("fence").setChannelId(CH)
                .build(), Type.GET_STATE, GetState.newBuilder().setKey("k0").build().toByteString());
        assertThat(fence.getTxid()).isEqualTo("fence");

        // the callee writes into the caller's simulator, then answers
        assertThat(callee.request(calleeTx, Type.PUT_STATE, PutState.newBuilder().setKey("x")
                .setValue(ByteString.copyFromUtf8("y")).build().toByteString()).getType()).isEqualTo(Type.RESPONSE);
        callee.complete(calleeTx, 200, "called");
        final ChaincodeMessage invoked = tx.cc.next();
        assertThat(invoked.getType()).isEqualTo(Type.RESPONSE);
        assertThat(invoked.getTxid()).isEqualTo(tx.txId);
        final ChaincodeMessage calleeAnswer = ChaincodeMessage.parseFrom(invoked.getPayload());
        assertThat(calleeAnswer.getType()).isEqualTo(Type.COMPLETED);
        assertThat(Response.parseFrom(calleeAnswer.getPayload()).getPayload().toStringUtf8()).isEqualTo("called");
        assertThat(tx.cc.received()).as("the dropped GET_STATE was never answered").isEmpty();

        // the txid is free again
        assertThat(tx.cc.request(tx.message, Type.GET_STATE, GetState.newBuilder().setKey("k0").build()
                .toByteString()).getType()).isEqualTo(Type.RESPONSE);
        final TxReadWriteSet results = tx.complete();
        assertThat(ChaincodeSupportProcessTest.kv(results, "callee").getWritesList())
                .extracting(w -> w.getKey() + "=" + w.getValue().toStringUtf8()).containsExactly("x=y");
    }

    @Test
    void anAnswerAfterTheExecuteTimeoutIsIgnored() throws Exception {
        final String txId = txId();
        final ScriptedChaincode cc;
        try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
            final CompletableFuture<ChaincodeResult> timedOut = async(context(CH, "late", "1.0", txId)
                    .simulator(simulator).build(), input("slow"));
            cc = runtime.nextStarted();
            cc.next();
            cc.next();
            final ChaincodeMessage first = cc.next();
            assertThat(causeOf(timedOut)).hasMessage("failed to execute transaction " + txId
                    + ": error sending: timeout expired while executing transaction");
            cc.complete(first, 200, "late");
            // a request of another txid, answered in order, shows the late answer has been handled (and dropped)
            assertThat(cc.request(ChaincodeMessage.newBuilder().setTxid("fence").setChannelId(CH).build(),
                    Type.GET_STATE, GetState.newBuilder().setKey("k").build().toByteString()).getTxid())
                    .isEqualTo("fence");
        }
        try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
            final CompletableFuture<ChaincodeResult> again = async(context(CH, "late", "1.0", txId)
                    .simulator(simulator).build(), input("fast"));
            final ChaincodeMessage second = cc.next();
            assertThat(second.getType()).isEqualTo(Type.TRANSACTION);
            cc.complete(second, 200, "fresh");
            assertThat(again.get(20, TimeUnit.SECONDS).response().getPayload().toStringUtf8()).isEqualTo("fresh");
        }
        assertThat(support.isRunning("late", "1.0")).isTrue();
    }

    @Test
    void aTxidCanExecuteOnlyOnceAtATimeOnAChaincode() throws Exception {
        final Execution tx = transaction("dup");
        try (TxSimulator other = ledger.newTxSimulator(tx.txId)) {
            assertThatThrownBy(() -> support.execute(context(CH, "dup", "1.0", tx.txId).simulator(other).build(),
                    input("again")))
                    .isInstanceOf(ChaincodeException.class)
                    .hasMessage("failed to execute transaction " + tx.txId + ": error sending: txid: " + tx.txId + "("
                            + CH + ") exists");
        }
        tx.complete();
    }

    @Test
    void stateMetadataNeedsTheKeyLevelEndorsementCapability() throws Exception {
        final Execution tx = transaction("meta");
        final ChaincodeMessage put = tx.cc.request(tx.message, Type.PUT_STATE_METADATA, PutStateMetadata.newBuilder()
                .setKey("k0").setMetadata(StateMetadata.newBuilder().setMetakey("VALIDATION_PARAMETER")
                        .setValue(ByteString.copyFromUtf8("policy"))).build().toByteString());
        assertThat(put.getType()).isEqualTo(Type.RESPONSE);
        final ChaincodeMessage get = tx.cc.request(tx.message, Type.GET_STATE_METADATA,
                GetStateMetadata.newBuilder().setKey("k0").build().toByteString());
        assertThat(StateMetadataResult.parseFrom(get.getPayload()).getEntriesCount()).isZero();
        final TxReadWriteSet results = tx.complete();
        assertThat(ChaincodeSupportProcessTest.kv(results, "meta").getMetadataWritesList())
                .singleElement().satisfies(w -> {
                    assertThat(w.getKey()).isEqualTo("k0");
                    assertThat(w.getEntries(0).getName()).isEqualTo("VALIDATION_PARAMETER");
                });

        for (final Map.Entry<String, String> channel : Map.of(
                "v12", "key level endorsement is not enabled, channel application capability of V1_3 or later is"
                        + " required",
                "unknown", "application config does not exist for unknown").entrySet()) {
            final Execution other = transaction("meta", channel.getKey());
            final ChaincodeMessage refused = other.cc.request(other.message, Type.GET_STATE_METADATA,
                    GetStateMetadata.newBuilder().setKey("k0").build().toByteString());
            assertThat(refused.getType()).isEqualTo(Type.ERROR);
            assertThat(refused.getPayload().toStringUtf8()).isEqualTo("GET_STATE_METADATA failed: transaction ID: "
                    + other.txId + ": " + channel.getValue());
            other.complete();
        }
    }

    @Test
    void privateDataIsRefusedInInitAndUnsupportedOtherwiseAndRichQueriesAreUnsupported() throws Exception {
        final String txId = txId();
        try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
            final CompletableFuture<ChaincodeResult> result = async(context(CH, "private", "1.0", txId)
                    .simulator(simulator).init(true).build(), input("init"));
            final ScriptedChaincode cc = launched("private");
            final ChaincodeMessage init = cc.next();
            final ChaincodeMessage refused = cc.request(init, Type.PUT_STATE, PutState.newBuilder().setKey("p")
                    .setCollection("secrets").setValue(ByteString.copyFromUtf8("s")).build().toByteString());
            assertThat(refused.getPayload().toStringUtf8()).isEqualTo("PUT_STATE failed: transaction ID: " + txId
                    + ": private data APIs are not allowed in chaincode Init()");
            cc.complete(init, 200, "");
            result.get(20, TimeUnit.SECONDS);
        }
        final Execution tx = transaction("private");
        final ChaincodeMessage unsupported = tx.cc.request(tx.message, Type.GET_STATE, GetState.newBuilder()
                .setKey("p").setCollection("secrets").build().toByteString());
        assertThat(unsupported.getPayload().toStringUtf8()).isEqualTo("GET_STATE failed: transaction ID: " + tx.txId
                + ": private data is not supported by this peer (collection secrets)");
        final ChaincodeMessage rich = tx.cc.request(tx.message, Type.GET_QUERY_RESULT,
                GetQueryResult.newBuilder().setQuery("{\"selector\":{}}").build().toByteString());
        assertThat(rich.getType()).isEqualTo(Type.ERROR);
        assertThat(rich.getPayload().toStringUtf8()).startsWith("GET_QUERY_RESULT failed: transaction ID: " + tx.txId
                + ": ExecuteQuery not supported");
        tx.complete();
    }

    @Test
    void aRegisterFromAChaincodeThePeerDidNotLaunchIsRefusedInNetMode() throws Exception {
        final ScriptedChaincode rogue = new ScriptedChaincode("rogue:1.0");
        try (ChannelPair pair = InJvmChannels.pair("rogue", support.newConnectionHandler(), rogue)) {
            rogue.bind(pair.second());
            rogue.register();
            assertThat(rogue.closed().get(20, TimeUnit.SECONDS).kind()).isEqualTo(CloseReason.Kind.REMOTE_CLOSE);
            assertThat(rogue.received()).as("no REGISTERED, no READY").isEmpty();
        }
        assertThat(support.isRunning("rogue", "1.0")).isFalse();
    }

    @Test
    void aSecondRegisterOfARegisteredChaincodeIsRefusedAndTheFirstKeepsServing() throws Exception {
        transaction("registered").complete();
        final ScriptedChaincode impostor = new ScriptedChaincode("registered:1.0");
        try (ChannelPair pair = InJvmChannels.pair("impostor", support.newConnectionHandler(), impostor)) {
            impostor.bind(pair.second());
            impostor.register();
            assertThat(impostor.closed().get(20, TimeUnit.SECONDS).kind()).isEqualTo(CloseReason.Kind.REMOTE_CLOSE);
            assertThat(impostor.received()).isEmpty();
        }
        final Execution tx = transaction("registered");
        assertThat(tx.cc.request(tx.message, Type.GET_STATE, GetState.newBuilder().setKey("x").build()
                .toByteString()).getType()).isEqualTo(Type.RESPONSE);
        tx.complete();
    }

    @Test
    void aRegisterInReadyStateEndsTheStreamFailsItsExecutionsAndTheNextExecuteRelaunches() throws Exception {
        final Execution tx = transaction("again");
        final int startsBefore = runtime.starts();
        tx.cc.register();
        // the peer ends the stream, and stops what it launched
        assertThat(tx.cc.closed().get(20, TimeUnit.SECONDS)).isNotNull();
        assertThat(causeOf(tx.result)).hasMessage("failed to execute transaction " + tx.txId
                + ": error sending: chaincode stream terminated");
        tx.simulator.close();
        assertThat(support.isRunning("again", "1.0")).isFalse();
        final Execution relaunched = transaction("again");
        assertThat(runtime.starts()).isEqualTo(startsBefore + 1);
        assertThat(relaunched.cc).isNotSameAs(tx.cc);
        relaunched.complete();
    }

    @Test
    void anyFirstMessageOtherThanRegisterEndsTheStreamAndFailsTheLaunch() throws Exception {
        final String txId = txId();
        try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
            assertThatThrownBy(() -> support.execute(context(CH, "garbled", "1.0", txId).simulator(simulator).build(),
                    input("x")))
                    .isInstanceOf(ChaincodeException.class)
                    .hasMessage("failed to execute transaction " + txId + ": [channel ch] could not launch chaincode"
                            + " garbled:1.0: chaincode registration failed: container exited with 1");
        }
        final ScriptedChaincode cc = runtime.nextStarted();
        // ended by the peer (and then stopped as a failed launch)
        assertThat(cc.closed().get(20, TimeUnit.SECONDS)).isNotNull();
        assertThat(cc.received()).isEmpty();
    }

    @Test
    void launchFailuresCarryFabricsTextsAndAreRetriedByTheNextExecute() throws Exception {
        assertThatThrownBy(() -> execute("undefined"))
                .hasMessageEndingWith(": [channel ch] failed to get chaincode container info for undefined:1.0:"
                        + " chaincode undefined not found");
        assertThatThrownBy(() -> execute("uninstalled"))
                .hasMessageEndingWith(": [channel ch] failed to get chaincode container info for uninstalled:1.0:"
                        + " could not get chaincode code: invalid deployment spec: chaincode uninstalled:1.0 is not"
                        + " installed");
        assertThatThrownBy(() -> execute("tampered"))
                .hasMessageEndingWith(": [channel ch] failed to get chaincode container info for tampered:1.0:"
                        + " could not get chaincode code: chaincode fingerprint mismatch: data mismatch");
        final int before = runtime.starts();
        assertThatThrownBy(() -> execute("broken"))
                .hasMessageEndingWith(": [channel ch] could not launch chaincode broken:1.0: error starting container:"
                        + " cannot start chaincode broken:1.0: no docker daemon");
        assertThatThrownBy(() -> execute("broken")).hasMessageContaining("error starting container");
        assertThat(runtime.starts()).as("a failed launch is forgotten, so the next execute tries again")
                .isEqualTo(before + 2);
        assertThat(support.isRunning("broken", "1.0")).isFalse();
        final String txId = txId();
        try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
            // an INIT's launch failures are Fabric's legacy-init texts, unwrapped
            assertThatThrownBy(() -> support.execute(context(CH, "broken", "1.0", txId).simulator(simulator)
                    .init(true).build(), input("init")))
                    .hasMessage("error starting container: cannot start chaincode broken:1.0: no docker daemon");
        }
    }

    @Test
    void devModeAcceptsAChaincodeTheDeveloperStartedAndUsesItWithoutLaunching() throws Exception {
        final ScriptedRuntime devRuntime = new ScriptedRuntime();
        try (ChaincodeSupport dev = ChaincodeSupport.builder().runtime(devRuntime).mode(ChaincodeMode.DEV).build()) {
            final ScriptedChaincode mine = new ScriptedChaincode("mine:0.1");
            try (ChannelPair pair = InJvmChannels.pair("mine", dev.newConnectionHandler(), mine)) {
                mine.bind(pair.second());
                mine.register();
                assertThat(mine.next().getType()).isEqualTo(Type.REGISTERED);
                assertThat(mine.next().getType()).isEqualTo(Type.READY);
                assertThat(dev.isRunning("mine", "0.1")).isTrue();
                final String txId = txId();
                try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
                    final CompletableFuture<ChaincodeResult> result = CompletableFuture.supplyAsync(() -> {
                        try {
                            return dev.execute(context(CH, "mine", "0.1", txId).simulator(simulator).init(true)
                                    .build(), input("init"));
                        } catch (ChaincodeException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    final ChaincodeMessage init = mine.next();
                    assertThat(init.getType()).isEqualTo(Type.INIT);
                    mine.complete(init, 200, "dev");
                    assertThat(result.get(20, TimeUnit.SECONDS).response().getPayload().toStringUtf8())
                            .isEqualTo("dev");
                }
            }
            assertThat(devRuntime.starts()).isZero();
        }
    }

    @Test
    void closingTheSupportFailsWaitingExecutionsWithStreamTerminated() throws Exception {
        final ScriptedRuntime ownRuntime = new ScriptedRuntime();
        final ChaincodeSupport own = ChaincodeSupport.builder().runtime(ownRuntime).packages(installed.store())
                .build();
        final String txId = txId();
        try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
            final CompletableFuture<ChaincodeResult> result = CompletableFuture.supplyAsync(() -> {
                try {
                    return own.execute(context(CH, "fresh", "1.0", txId).simulator(simulator).build(), input("x"));
                } catch (ChaincodeException e) {
                    throw new IllegalStateException(e);
                }
            });
            final ScriptedChaincode cc = ownRuntime.nextStarted();
            cc.next();
            cc.next();
            assertThat(cc.next().getType()).isEqualTo(Type.TRANSACTION);
            own.close();
            assertThat(causeOf(result)).hasMessage("failed to execute transaction " + txId
                    + ": error sending: chaincode stream terminated");
        }
        assertThatThrownBy(() -> own.execute(context(CH, "fresh", "1.0", txId()).build(), input("x")))
                .hasMessage("chaincode support is closed");
    }

    @Test
    void keepalivesGoToReadyChaincodesAtTheConfiguredInterval() throws Exception {
        final ScriptedRuntime ownRuntime = new ScriptedRuntime();
        try (ChaincodeSupport own = ChaincodeSupport.builder().runtime(ownRuntime).keepalive(Duration.ofMillis(100))
                .packages(installed.store()).build()) {
            final String txId = txId();
            try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
                final CompletableFuture<ChaincodeResult> result = CompletableFuture.supplyAsync(() -> {
                    try {
                        return own.execute(context(CH, "alive", "1.0", txId).simulator(simulator).init(true).build(),
                                input("init"));
                    } catch (ChaincodeException e) {
                        throw new IllegalStateException(e);
                    }
                });
                final ScriptedChaincode cc = ownRuntime.nextStarted();
                assertThat(cc.next().getType()).isEqualTo(Type.REGISTERED);
                assertThat(cc.next().getType()).isEqualTo(Type.READY);
                ChaincodeMessage init = null;
                int keepalives = 0;
                while (init == null || keepalives < 2) {
                    final ChaincodeMessage message = cc.next();
                    if (message.getType() == Type.KEEPALIVE) {
                        keepalives++;
                    } else {
                        assertThat(message.getType()).isEqualTo(Type.INIT);
                        init = message;
                    }
                }
                cc.complete(init, 200, "alive");
                assertThat(result.get(20, TimeUnit.SECONDS).response().getStatus()).isEqualTo(200);
            }
        }
    }

    // ---- helpers ----

    /** A TRANSACTION in progress on a scripted chaincode (launched if needed), waiting for the test's answer. */
    final class Execution {
        final String txId = txId();
        final TxSimulator simulator;
        final CompletableFuture<ChaincodeResult> result;
        final ScriptedChaincode cc;
        final ChaincodeMessage message;

        Execution(final String name, final String channel) throws InterruptedException {
            simulator = ledger.newTxSimulator(txId);
            final boolean running = support.isRunning(name, "1.0");
            result = async(context(channel, name, "1.0", txId).simulator(simulator).build(), input("tx"));
            cc = running ? chaincodeOf(name) : launched(name);
            message = cc.next();
            assertThat(message.getType()).isEqualTo(Type.TRANSACTION);
        }

        /** Answers COMPLETED 200, waits for the result, and returns the simulation results. */
        TxReadWriteSet complete() throws Exception {
            cc.complete(message, 200, "ok");
            assertThat(result.get(20, TimeUnit.SECONDS).response().getStatus()).isEqualTo(200);
            try {
                return simulator.getTxSimulationResults();
            } finally {
                simulator.close();
            }
        }
    }

    private final Map<String, ScriptedChaincode> chaincodes = new java.util.concurrent.ConcurrentHashMap<>();

    private ScriptedChaincode launched(final String name) throws InterruptedException {
        final ScriptedChaincode cc = runtime.nextStarted();
        assertThat(cc.chaincodeId()).isEqualTo(name + ":1.0");
        assertThat(cc.next().getType()).isEqualTo(Type.REGISTERED);
        assertThat(cc.next().getType()).isEqualTo(Type.READY);
        chaincodes.put(name, cc);
        return cc;
    }

    private ScriptedChaincode chaincodeOf(final String name) {
        return chaincodes.get(name);
    }

    Execution transaction(final String name) throws InterruptedException {
        return new Execution(name, CH);
    }

    private Execution transaction(final String name, final String channel) throws InterruptedException {
        return new Execution(name, channel);
    }

    CompletableFuture<ChaincodeResult> async(final ChaincodeContext context, final ChaincodeInput input) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return support.execute(context, input);
            } catch (ChaincodeException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private void execute(final String name) throws ChaincodeException {
        final String txId = txId();
        try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
            support.execute(context(CH, name, "1.0", txId).simulator(simulator).build(), input("x"));
        }
    }

    /** The ChaincodeException a failed async execution ended with. */
    private static Throwable causeOf(final CompletableFuture<?> future) throws InterruptedException {
        try {
            future.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause != null && !(cause instanceof ChaincodeException)) {
                cause = cause.getCause();
            }
            if (cause != null) {
                return cause;
            }
            throw new AssertionError("failed otherwise", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("still running", e);
        }
        throw new AssertionError("did not fail");
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
