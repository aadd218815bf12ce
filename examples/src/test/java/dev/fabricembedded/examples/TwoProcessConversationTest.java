package dev.fabricembedded.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.chronicle.ChronicleChannel;
import dev.fabricembedded.shim.ChaincodeMain;
import dev.fabricembedded.shim.scripted.ChildJvm;
import dev.fabricembedded.shim.scripted.ScriptedPeer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage.Type;
import org.hyperledger.fabric.protos.peer.GetState;
import org.hyperledger.fabric.protos.peer.PutState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaincode protocol between two processes: a child JVM runs {@link ChaincodeMain} with an example chaincode,
 * this JVM plays the peer with a {@link ScriptedPeer} on the Chronicle channel it creates, as the endorser will.
 */
class TwoProcessConversationTest {

    private static final long SECONDS = 60;

    @TempDir
    Path base;

    /** A peer side on a fresh channel and the chaincode process attached to it; closes and reaps both. */
    private final class Conversation implements AutoCloseable {
        final ScriptedPeer peer = ScriptedPeer.standard();
        final ChronicleChannel channel;
        final ChildJvm child;
        private int consumed;

        Conversation(final String id, final Class<?> chaincode) throws Exception {
            final Path dir = base.resolve(id.replace(':', '-'));
            channel = ChronicleChannel.builder(dir).name(id).create(peer);
            peer.bind(channel);
            ChildJvm started = null;
            try {
                started = ChildJvm.start(base, ChaincodeMain.class.getName(),
                        List.of("--id", id, "--channel-dir", dir.toString(), "--class", chaincode.getName(),
                                "--peer-pid", Long.toString(ProcessHandle.current().pid())));
                channel.watchProcess(started.process());
            } catch (Exception | Error e) {
                channel.close();
                if (started != null) {
                    started.close();
                }
                throw e;
            }
            child = started;
        }

        ChaincodeMessage run(final Type type, final String txId, final String... args) throws Exception {
            return peer.execute(type, "mychannel", txId, args).get(SECONDS, TimeUnit.SECONDS);
        }

        /** The messages received from the chaincode since the last call. */
        List<ChaincodeMessage> newMessages() {
            final List<ChaincodeMessage> all = peer.receivedLog();
            final List<ChaincodeMessage> fresh = all.subList(consumed, all.size());
            consumed = all.size();
            return fresh;
        }

        @Override
        public void close() {
            try {
                channel.close();
            } finally {
                child.close();
            }
        }
    }

    private static List<Type> types(final List<ChaincodeMessage> messages) {
        return messages.stream().map(ChaincodeMessage::getType).toList();
    }

    @Test
    void example02RegistersInitsWithPutStatesAndAnswersTransactions() throws Exception {
        try (Conversation c = new Conversation("example02:1.0", Example02Chaincode.class)) {
            assertThat(c.peer.registered().get(SECONDS, TimeUnit.SECONDS)).isEqualTo("example02:1.0");

            // INIT: PUT_STATE a, PUT_STATE b, COMPLETED
            final ChaincodeMessage init = c.run(Type.INIT, "tx-init", "init", "a", "100", "b", "200");
            final List<ChaincodeMessage> initMessages = c.newMessages();
            assertThat(types(initMessages)).containsExactly(Type.REGISTER, Type.PUT_STATE, Type.PUT_STATE,
                    Type.COMPLETED);
            assertThat(PutState.parseFrom(initMessages.get(1).getPayload()).getKey()).isEqualTo("a");
            assertThat(initMessages.get(1).getTxid()).isEqualTo("tx-init");
            assertThat(initMessages.get(1).getChannelId()).isEqualTo("mychannel");
            assertThat(ScriptedPeer.responseOf(init).getStatus()).isEqualTo(200);
            assertThat(c.peer.get("b")).isEqualTo("200");

            // TRANSACTION query: GET_STATE, COMPLETED with the value
            final ChaincodeMessage query = c.run(Type.TRANSACTION, "tx-query", "query", "a");
            final List<ChaincodeMessage> queryMessages = c.newMessages();
            assertThat(types(queryMessages)).containsExactly(Type.GET_STATE, Type.COMPLETED);
            assertThat(GetState.parseFrom(queryMessages.get(0).getPayload()).getKey()).isEqualTo("a");
            assertThat(ScriptedPeer.responseOf(query).getPayload().toStringUtf8()).isEqualTo("100");

            // TRANSACTION move
            c.run(Type.TRANSACTION, "tx-move", "invoke", "a", "b", "30");
            assertThat(types(c.newMessages())).containsExactly(Type.GET_STATE, Type.GET_STATE, Type.PUT_STATE,
                    Type.PUT_STATE, Type.COMPLETED);
            assertThat(c.peer.get("a")).isEqualTo("70");
            assertThat(c.peer.get("b")).isEqualTo("230");

            // ERROR paths
            final ChaincodeMessage missing = c.run(Type.TRANSACTION, "tx-missing", "query", "nobody");
            assertThat(missing.getType()).isEqualTo(Type.ERROR);
            assertThat(missing.getPayload().toStringUtf8()).isEqualTo("{\"Error\":\"Nil amount for nobody\"}");
            final ChaincodeMessage wrong = c.run(Type.TRANSACTION, "tx-wrong", "steal", "a");
            assertThat(wrong.getType()).isEqualTo(Type.ERROR);
            assertThat(wrong.getPayload().toStringUtf8()).startsWith("Invalid invoke function name");

            c.channel.close();
            assertThat(c.child.awaitExit(SECONDS)).as("exit status; output:\n%s", c.child.output()).isZero();
        }
    }

    @Test
    void keyValueRangeOfMoreThan100ResultsIsPagedAcrossProcesses() throws Exception {
        try (Conversation c = new Conversation("kv:1.0", KeyValueChaincode.class)) {
            c.peer.registered().get(SECONDS, TimeUnit.SECONDS);
            c.run(Type.TRANSACTION, "tx-fill", "fill", "k", "250");
            assertThat(c.peer.state()).hasSize(250);
            c.newMessages();

            final ChaincodeMessage range = c.run(Type.TRANSACTION, "tx-range", "range", "k", "");
            assertThat(types(c.newMessages())).containsExactly(Type.GET_STATE_BY_RANGE, Type.QUERY_STATE_NEXT,
                    Type.QUERY_STATE_NEXT, Type.QUERY_STATE_CLOSE, Type.COMPLETED);
            final List<String> lines = ScriptedPeer.responseOf(range).getPayload().toStringUtf8().lines().toList();
            assertThat(lines).hasSize(250).startsWith("k00000=v0").endsWith("k00249=v249");

            // a request the peer refuses fails the transaction with the peer's text
            final ChaincodeMessage refused = c.run(Type.TRANSACTION, "tx-call", "call", "absent", "", "x");
            assertThat(refused.getType()).isEqualTo(Type.ERROR);
            assertThat(refused.getPayload().toStringUtf8())
                    .contains("PeerRequestException: INVOKE_CHAINCODE failed: no chaincode absent");
        }
    }

    @Test
    void misbehavingChaincodeSendsTenMebibytesThenExitsMidTransaction() throws Exception {
        try (Conversation c = new Conversation("misbehaving:1.0", MisbehavingChaincode.class)) {
            c.peer.registered().get(SECONDS, TimeUnit.SECONDS);
            assertThat(c.run(Type.TRANSACTION, "tx-big", "bigValue").getType()).isEqualTo(Type.COMPLETED);
            assertThat(c.peer.state().get("big")).hasSize(MisbehavingChaincode.BIG_VALUE_SIZE);
            assertThat(c.run(Type.INIT, "tx-500", "status500").getType()).isEqualTo(Type.ERROR);

            final CompletableFuture<ChaincodeMessage> exiting = c.peer.execute(Type.TRANSACTION, "mychannel",
                    "tx-exit", "exit", "5");
            assertThat(c.child.awaitExit(SECONDS)).isEqualTo(5);
            final CloseReason reason = c.peer.closed().get(SECONDS, TimeUnit.SECONDS);
            assertThat(reason.kind()).isEqualTo(CloseReason.Kind.REMOTE_PROCESS_EXITED);
            assertThat(exiting).failsWithin(SECONDS, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .withMessageContaining("chaincode stream terminated");
            assertThat(types(c.peer.receivedLog())).endsWith(Type.PUT_STATE);
        }
    }
}
