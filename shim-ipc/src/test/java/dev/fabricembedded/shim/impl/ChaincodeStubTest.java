package dev.fabricembedded.shim.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.ByteString;
import dev.fabricembedded.shim.ChaincodeStub;
import dev.fabricembedded.shim.PeerRequestException;
import dev.fabricembedded.shim.Response;
import dev.fabricembedded.shim.ledger.CompositeKey;
import dev.fabricembedded.shim.ledger.CompositeKeyFormatException;
import dev.fabricembedded.shim.ledger.KeyModification;
import dev.fabricembedded.shim.ledger.KeyValue;
import dev.fabricembedded.shim.ledger.QueryResultsIterator;
import dev.fabricembedded.shim.ledger.QueryResultsIteratorWithMetadata;
import dev.fabricembedded.shim.scripted.InJvmChaincode;
import dev.fabricembedded.shim.scripted.Proposals;
import dev.fabricembedded.shim.scripted.ScriptedPeer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage.Type;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.GetStateByRange;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stub's ledger calls and transaction data, end to end through the shim and a scripted peer over the in-JVM
 * channel. Each test runs its assertions inside the chaincode and reports failures through the response.
 */
class ChaincodeStubTest {

    private final AtomicReference<Function<ChaincodeStub, Response>> body = new AtomicReference<>();
    private InJvmChaincode shim;
    private int txCounter;

    @BeforeEach
    void connect() throws Exception {
        shim = InJvmChaincode.ready(new FunctionChaincode(stub -> body.get().apply(stub)));
    }

    @AfterEach
    void close() {
        shim.close();
    }

    /** Runs {@code check} inside a transaction; rethrows whatever it threw (AssertionError included). */
    private ChaincodeMessage invoke(final Consumer<ChaincodeStub> check, final String... args) throws Exception {
        return invoke(null, check, args);
    }

    private ChaincodeMessage invoke(final SignedProposal proposal, final Consumer<ChaincodeStub> check,
            final String... args) throws Exception {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        body.set(stub -> {
            try {
                check.accept(stub);
            } catch (Throwable t) {
                failure.set(t);
            }
            return Response.success();
        });
        final ChaincodeMessage result = shim.peer.execute(Type.TRANSACTION, "ch", "tx" + (++txCounter), proposal,
                args).get(10, TimeUnit.SECONDS);
        if (failure.get() instanceof Error e) {
            throw e;
        }
        if (failure.get() instanceof Exception e) {
            throw e;
        }
        return result;
    }

    private List<ChaincodeMessage> requestsOf(final String txId) {
        return shim.peer.receivedLog().stream().filter(m -> m.getTxid().equals(txId))
                .filter(m -> m.getType() != Type.COMPLETED && m.getType() != Type.ERROR).toList();
    }

    private String lastTx() {
        return "tx" + txCounter;
    }

    // ---- arguments and identity ----

    @Test
    void argumentsFunctionAndParameters() throws Exception {
        invoke(stub -> {
            assertThat(stub.getStringArgs()).containsExactly("move", "a", "b", "10");
            assertThat(stub.getArgs()).hasSize(4).first().isEqualTo("move".getBytes(StandardCharsets.UTF_8));
            assertThat(stub.getFunction()).isEqualTo("move");
            assertThat(stub.getParameters()).containsExactly("a", "b", "10");
            assertThat(stub.getTxId()).isEqualTo("tx1");
            assertThat(stub.getChannelId()).isEqualTo("ch");
        }, "move", "a", "b", "10");
        invoke(stub -> {
            assertThat(stub.getFunction()).isNull();
            assertThat(stub.getParameters()).isEmpty();
        });
    }

    @Test
    void proposalDataCreatorMspIdTransientTimestampAndBinding() throws Exception {
        final ByteString creator = Proposals.creator("Org1MSP", "-----BEGIN CERTIFICATE-----\nMIIB\n");
        final ByteString nonce = ByteString.copyFromUtf8("nonce-24-bytes-long-....");
        final Instant timestamp = Instant.parse("2024-05-01T10:15:30.123456789Z");
        final SignedProposal proposal = Proposals.signed("ch", "tx1", creator, nonce, 7, timestamp,
                Map.of("secret", ByteString.copyFromUtf8("s3cr3t")));
        final MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update(nonce.toByteArray());
        sha256.update(creator.toByteArray());
        sha256.update(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(7).array());
        final byte[] expectedBinding = sha256.digest();

        invoke(proposal, stub -> {
            assertThat(stub.getSignedProposal()).isEqualTo(proposal);
            assertThat(stub.getCreator()).isEqualTo(creator.toByteArray());
            assertThat(stub.getMspId()).isEqualTo("Org1MSP");
            assertThat(stub.getTransient()).containsOnlyKeys("secret");
            assertThat(stub.getTransient().get("secret")).isEqualTo("s3cr3t".getBytes(StandardCharsets.UTF_8));
            assertThat(stub.getTxTimestamp()).isEqualTo(timestamp);
            assertThat(stub.getBinding()).isEqualTo(expectedBinding);
        });
    }

    @Test
    void withoutAProposalThereIsNoCreatorAndNoMspId() throws Exception {
        invoke(stub -> {
            assertThat(stub.getSignedProposal()).isNull();
            assertThat(stub.getCreator()).isNull();
            assertThat(stub.getBinding()).isNull();
            assertThat(stub.getTxTimestamp()).isNull();
            assertThat(stub.getTransient()).isEmpty();
            assertThatThrownBy(stub::getMspId).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no signed proposal");
        });
    }

    // ---- state ----

    @Test
    void readsSeeCommittedStateAndWritesCommitWithTheTransaction() throws Exception {
        shim.peer.put("a", "100");
        invoke(stub -> {
            assertThat(stub.getStringState("a")).isEqualTo("100");
            assertThat(stub.getState("missing")).isEmpty();
            stub.putStringState("a", "90");
            stub.putState("b", "10".getBytes(StandardCharsets.UTF_8));
            assertThat(stub.getStringState("a")).as("own writes are not visible, as in Fabric").isEqualTo("100");
            stub.delState("gone");
        });
        assertThat(requestsOf("tx1")).extracting(ChaincodeMessage::getType).containsExactly(Type.GET_STATE,
                Type.GET_STATE, Type.PUT_STATE, Type.PUT_STATE, Type.GET_STATE, Type.DEL_STATE);
        assertThat(shim.peer.get("a")).isEqualTo("90");
        assertThat(shim.peer.get("b")).isEqualTo("10");
    }

    @Test
    void emptyOrNullKeysAreRejectedBeforeAnythingIsSent() throws Exception {
        invoke(stub -> {
            assertThatThrownBy(() -> stub.putState("", new byte[] {1})).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("key must not be an empty string");
            assertThatThrownBy(() -> stub.putState(null, new byte[] {1})).isInstanceOf(NullPointerException.class)
                    .hasMessage("key cannot be null");
            assertThatThrownBy(() -> stub.putState("k", null)).isInstanceOf(NullPointerException.class);
        });
        assertThat(requestsOf("tx1")).isEmpty();
    }

    @Test
    void compositeKeysMayBeWrittenWithPutState() throws Exception {
        invoke(stub -> stub.putStringState(stub.createCompositeKey("owner", "tom", "m1").toString(), "x"));
        assertThat(shim.peer.get("\u0000owner\u0000tom\u0000m1\u0000")).isEqualTo("x");
    }

    // ---- range queries ----

    private void seed(final int count) {
        for (int i = 0; i < count; i++) {
            shim.peer.put(String.format("key%04d", i), "v" + i);
        }
    }

    @Test
    void rangeQueryWithMoreThan100ResultsPagesLazilyWithQueryStateNext() throws Exception {
        seed(250);
        final List<Long> nextRequestsSeen = new ArrayList<>();
        final List<String> keys = new ArrayList<>();
        invoke(stub -> {
            try (QueryResultsIterator<KeyValue> results = stub.getStateByRange("key0000", "key9999")) {
                for (final KeyValue kv : results) {
                    if (keys.size() == 100 || keys.size() == 200) {
                        nextRequestsSeen.add(countOf(Type.QUERY_STATE_NEXT));
                    }
                    keys.add(kv.getKey());
                    assertThat(kv.getStringValue()).isEqualTo("v" + (keys.size() - 1));
                }
            }
        });
        assertThat(keys).hasSize(250).isSorted();
        assertThat(keys.get(0)).isEqualTo("key0000");
        // the second batch is requested only when the first 100 are used up, the third after 200
        assertThat(nextRequestsSeen).containsExactly(1L, 2L);
        assertThat(requestsOf("tx1")).extracting(ChaincodeMessage::getType).containsExactly(Type.GET_STATE_BY_RANGE,
                Type.QUERY_STATE_NEXT, Type.QUERY_STATE_NEXT, Type.QUERY_STATE_CLOSE);
        assertThat(shim.peer.openIterators()).isZero();
    }

    private long countOf(final Type type) {
        return shim.peer.receivedLog().stream().filter(m -> m.getType() == type).count();
    }

    @Test
    void closingARangeEarlyReleasesThePeersIterator() throws Exception {
        seed(250);
        invoke(stub -> {
            try (QueryResultsIterator<KeyValue> results = stub.getStateByRange("", "")) {
                final Iterator<KeyValue> it = results.iterator();
                for (int i = 0; i < 150; i++) {
                    it.next();
                }
                assertThat(shim.peer.openIterators()).isEqualTo(1);
            }
        });
        assertThat(requestsOf("tx1")).extracting(ChaincodeMessage::getType).containsExactly(Type.GET_STATE_BY_RANGE,
                Type.QUERY_STATE_NEXT, Type.QUERY_STATE_CLOSE);
        assertThat(shim.peer.openIterators()).isZero();
    }

    @Test
    void emptyStartBecomesU0001AndEmptyOrNullEndIsUnbounded() throws Exception {
        seed(3);
        shim.peer.put("\u0000composite\u0000", "hidden");
        final List<String> keys = new ArrayList<>();
        invoke(stub -> {
            try (var all = stub.getStateByRange("", "")) {
                all.forEach(kv -> keys.add(kv.getKey()));
            }
            try (var fromKey1 = stub.getStateByRange("key0001", null)) {
                fromKey1.forEach(kv -> keys.add(kv.getKey()));
            }
            try (var toKey1 = stub.getStateByRange(null, "key0001")) {
                toKey1.forEach(kv -> keys.add(kv.getKey()));
            }
        });
        assertThat(keys).containsExactly("key0000", "key0001", "key0002", "key0001", "key0002", "key0000");
        final List<GetStateByRange> ranges = requestsOf("tx1").stream()
                .filter(m -> m.getType() == Type.GET_STATE_BY_RANGE).map(m -> parseRange(m.getPayload())).toList();
        assertThat(ranges).extracting(GetStateByRange::getStartKey).containsExactly("\u0001", "key0001", "\u0001");
        assertThat(ranges).extracting(GetStateByRange::getEndKey).containsExactly("", "", "key0001");
    }

    private static GetStateByRange parseRange(final ByteString payload) {
        try {
            return GetStateByRange.parseFrom(payload);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void rangeBoundsInTheCompositeNamespaceAreRejected() throws Exception {
        invoke(stub -> {
            assertThatThrownBy(() -> stub.getStateByRange("\u0000a", "b"))
                    .isInstanceOf(CompositeKeyFormatException.class)
                    .hasMessage("First character of the key [\u0000a] contains a 'U+000000' which is not allowed");
            assertThatThrownBy(() -> stub.getStateByRangeWithPagination("a", "\u0000b", 10, ""))
                    .isInstanceOf(CompositeKeyFormatException.class);
        });
        assertThat(requestsOf("tx1")).isEmpty();
    }

    @Test
    void paginatedRangeReturnsOnePageWithBookmark() throws Exception {
        seed(25);
        final List<String> pages = new ArrayList<>();
        invoke(stub -> {
            String bookmark = "";
            do {
                try (QueryResultsIteratorWithMetadata<KeyValue> page =
                             stub.getStateByRangeWithPagination("key0000", "", 10, bookmark)) {
                    final StringBuilder keys = new StringBuilder();
                    page.forEach(kv -> keys.append(kv.getKey().substring(3)).append(' '));
                    pages.add(page.getMetadata().getFetchedRecordsCount() + ": " + keys.toString().trim());
                    bookmark = page.getMetadata().getBookmark();
                }
            } while (!bookmark.isEmpty());
        });
        assertThat(pages).hasSize(3);
        assertThat(pages.get(0)).startsWith("10: 0000 0001").endsWith("0009");
        assertThat(pages.get(1)).startsWith("10: 0010").endsWith("0019");
        assertThat(pages.get(2)).isEqualTo("5: 0020 0021 0022 0023 0024");
    }

    // ---- composite keys ----

    @Test
    void partialCompositeKeyQueriesSelectByPrefixOfWholeSegments() throws Exception {
        final String[][] marbles = {{"blue", "m1"}, {"blue", "m2"}, {"bluish", "m3"}, {"red", "m4"}};
        invoke(stub -> {
            for (final String[] m : marbles) {
                stub.putStringState(stub.createCompositeKey("color~name", m).toString(), m[1]);
            }
            stub.putStringState("plain", "p");
        });
        final List<String> blue = new ArrayList<>();
        final List<String> all = new ArrayList<>();
        final List<String> viaString = new ArrayList<>();
        invoke(stub -> {
            try (var it = stub.getStateByPartialCompositeKey("color~name", "blue")) {
                it.forEach(kv -> blue.add(String.join("/", stub.splitCompositeKey(kv.getKey()).getAttributes())));
            }
            try (var it = stub.getStateByPartialCompositeKey(new CompositeKey("color~name"))) {
                it.forEach(kv -> all.add(kv.getStringValue()));
            }
            try (var it = stub.getStateByPartialCompositeKey("color~name")) {
                it.forEach(kv -> viaString.add(kv.getStringValue()));
            }
        });
        assertThat(blue).containsExactly("blue/m1", "blue/m2");
        assertThat(all).containsExactly("m1", "m2", "m3", "m4");
        assertThat(viaString).isEqualTo(all);
        final GetStateByRange sent = parseRange(requestsOf("tx2").get(0).getPayload());
        assertThat(sent.getStartKey()).isEqualTo("\u0000color~name\u0000blue\u0000");
        assertThat(sent.getEndKey()).isEqualTo("\u0000color~name\u0000blue\u0000\uDBFF\uDFFF");
    }

    @Test
    void paginatedPartialCompositeKeyQuery() throws Exception {
        invoke(stub -> {
            for (int i = 0; i < 5; i++) {
                stub.putStringState(stub.createCompositeKey("item", "n" + i).toString(), "" + i);
            }
        });
        final List<String> values = new ArrayList<>();
        invoke(stub -> {
            try (var page = stub.getStateByPartialCompositeKeyWithPagination(new CompositeKey("item"), 3, "")) {
                page.forEach(kv -> values.add(kv.getStringValue()));
                assertThat(page.getMetadata().getBookmark()).isEqualTo("\u0000item\u0000n3\u0000");
            }
        });
        assertThat(values).containsExactly("0", "1", "2");
    }

    // ---- history ----

    @Test
    void historyForKeyListsEveryCommittedChange() throws Exception {
        invoke(stub -> stub.putStringState("h", "one"));
        invoke(stub -> stub.putStringState("h", "two"));
        invoke(stub -> stub.delState("h"));
        final List<KeyModification> changes = new ArrayList<>();
        invoke(stub -> {
            try (QueryResultsIterator<KeyModification> history = stub.getHistoryForKey("h")) {
                history.forEach(changes::add);
            }
        });
        assertThat(changes).extracting(KeyModification::getTxId).containsExactly("tx1", "tx2", "tx3");
        assertThat(changes).extracting(KeyModification::getStringValue).containsExactly("one", "two", "");
        assertThat(changes).extracting(KeyModification::isDeleted).containsExactly(false, false, true);
        assertThat(changes.get(0).getTimestamp()).isNotNull();
    }

    // ---- chaincode to chaincode ----

    @Test
    void invokeChaincodeReturnsTheCalleesResponse() throws Exception {
        final AtomicReference<ChaincodeInput> calleeInput = new AtomicReference<>();
        shim.peer.callee("other", input -> {
            calleeInput.set(input);
            return ScriptedPeer.completed(201, "created", "hello from other");
        });
        shim.peer.callee("other/ch2", input -> ScriptedPeer.failed("callee exploded"));
        final List<Response> responses = new ArrayList<>();
        invoke(stub -> {
            responses.add(stub.invokeChaincodeWithStringArgs("other", "f", "x"));
            responses.add(stub.invokeChaincodeWithStringArgs("other", List.of("g"), "ch2"));
        });
        assertThat(responses.get(0)).isEqualTo(Response.of(201, "created", "hello from other".getBytes()));
        assertThat(responses.get(1)).isEqualTo(Response.of(500, "callee exploded", null));
        assertThat(calleeInput.get().getArgsList()).extracting(ByteString::toStringUtf8).containsExactly("f", "x");
        final ChaincodeSpec spec = ChaincodeSpec.parseFrom(requestsOf("tx1").get(1).getPayload());
        assertThat(spec.getChaincodeId().getName()).isEqualTo("other/ch2");
    }

    @Test
    void aPeerErrorIsAPeerRequestExceptionWithThePeersText() throws Exception {
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        invoke(stub -> thrown.set(catchThrowable(() -> stub.invokeChaincode("nobody", List.of()))));
        assertThat(thrown.get()).isInstanceOf(PeerRequestException.class)
                .hasMessage("INVOKE_CHAINCODE failed: no chaincode nobody");
        assertThat(((PeerRequestException) thrown.get()).requestType()).isEqualTo(Type.INVOKE_CHAINCODE);
    }

    @Test
    void anUncaughtPeerErrorFailsTheTransactionWithThePeersText() throws Exception {
        body.set(stub -> {
            stub.getQueryResult("{\"selector\":{}}");
            return Response.success();
        });
        final ChaincodeMessage result = shim.peer.execute(Type.TRANSACTION, "ch", "rich", "f")
                .get(10, TimeUnit.SECONDS);
        assertThat(result.getType()).isEqualTo(Type.ERROR);
        assertThat(result.getPayload().toStringUtf8()).startsWith(
                "dev.fabricembedded.shim.PeerRequestException: GET_QUERY_RESULT failed: not supported");
    }

    // ---- events ----

    @Test
    void eventNamesMustNotBeBlank() throws Exception {
        invoke(stub -> {
            assertThatThrownBy(() -> stub.setEvent(" ", null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("event name can not be nil string");
            assertThatThrownBy(() -> stub.setEvent(null, null)).isInstanceOf(IllegalArgumentException.class);
            assertThat(stub.getEvent()).isNull();
        });
    }

    // ---- one request at a time, and stubs are per invocation ----

    @Test
    void aSecondConcurrentRequestOfOneTransactionIsRefused() throws Exception {
        shim.peer.holdGetState("slow");
        final CompletableFuture<byte[]> first = new CompletableFuture<>();
        invoke(stub -> {
            final Thread reader = new Thread(() -> {
                try {
                    first.complete(stub.getState("slow"));
                } catch (Throwable t) {
                    first.completeExceptionally(t);
                }
            }, "test-concurrent-reader");
            reader.start();
            try {
                InJvmChaincode.awaitTrue(() -> countOf(Type.GET_STATE) == 1, "first GET_STATE sent");
                assertThatThrownBy(() -> stub.getState("other")).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("GET_STATE while another request of the same transaction is outstanding");
                shim.peer.releaseHeld();
                reader.join(10_000);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(first.get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(countOf(Type.GET_STATE)).isEqualTo(1);
    }

    @Test
    void aStubUsedAfterItsInvocationReturnedFails() throws Exception {
        final AtomicReference<ChaincodeStub> leaked = new AtomicReference<>();
        invoke(leaked::set);
        assertThatThrownBy(() -> leaked.get().getState("a")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("after the transaction completed");
    }

    // ---- private data ----

    @Test
    void privateDataMethodsThrowUnsupportedOperationNamingTheMethod() throws Exception {
        invoke(stub -> {
            assertThatThrownBy(() -> stub.getPrivateData("c", "k")).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageStartingWith("getPrivateData is not supported");
            assertThatThrownBy(() -> stub.putPrivateData("c", "k", new byte[0]))
                    .hasMessageStartingWith("putPrivateData is not supported");
            assertThatThrownBy(() -> stub.delPrivateData("c", "k")).hasMessageStartingWith("delPrivateData");
            assertThatThrownBy(() -> stub.getPrivateDataHash("c", "k")).hasMessageStartingWith("getPrivateDataHash");
            assertThatThrownBy(() -> stub.getPrivateDataByRange("c", "a", "b"))
                    .hasMessageStartingWith("getPrivateDataByRange");
            assertThatThrownBy(() -> stub.getPrivateDataByPartialCompositeKey("c", "t"))
                    .hasMessageStartingWith("getPrivateDataByPartialCompositeKey");
            assertThatThrownBy(() -> stub.getPrivateDataQueryResult("c", "q"))
                    .hasMessageStartingWith("getPrivateDataQueryResult");
        });
        assertThat(requestsOf("tx1")).isEmpty();
    }
}
