package dev.fabricembedded.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabricembedded.shim.scripted.InJvmChaincode;
import dev.fabricembedded.shim.scripted.ScriptedPeer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage.Type;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The misbehaving chaincode in this JVM (its {@code exit} is tested in a child JVM, see
 * {@link TwoProcessConversationTest}).
 */
class MisbehavingChaincodeTest {

    private InJvmChaincode cc;

    @BeforeEach
    void start() throws Exception {
        cc = InJvmChaincode.ready(new MisbehavingChaincode());
    }

    @AfterEach
    void stop() {
        cc.close();
    }

    private ChaincodeMessage run(final Type type, final String function) throws Exception {
        return cc.peer.execute(type, "ch", function + "-" + type, function).get(30, TimeUnit.SECONDS);
    }

    @Test
    void throwingIsAnErrorWithTheStackTrace() throws Exception {
        final ChaincodeMessage result = run(Type.TRANSACTION, "throw");
        assertThat(result.getType()).isEqualTo(Type.ERROR);
        assertThat(result.getPayload().toStringUtf8())
                .startsWith("java.lang.IllegalStateException: misbehaving chaincode throws on purpose");
    }

    @Test
    void status400IsCompletedAndStatus500IsError() throws Exception {
        for (final Type type : new Type[] {Type.INIT, Type.TRANSACTION}) {
            final ChaincodeMessage bad = run(type, "status400");
            assertThat(bad.getType()).isEqualTo(Type.COMPLETED);
            assertThat(ScriptedPeer.responseOf(bad).getStatus()).isEqualTo(400);
            final ChaincodeMessage broken = run(type, "status500");
            assertThat(broken.getType()).isEqualTo(Type.ERROR);
            assertThat(broken.getPayload().toStringUtf8()).isEqualTo("internal error on purpose");
        }
    }

    @Test
    void aTenMebibyteValueReachesThePeer() throws Exception {
        final ChaincodeMessage result = run(Type.TRANSACTION, "bigValue");
        assertThat(result.getType()).isEqualTo(Type.COMPLETED);
        assertThat(cc.peer.state().get("big")).hasSize(MisbehavingChaincode.BIG_VALUE_SIZE);
    }

    @Test
    void aHangingInvocationNeverAnswersAndIsInterruptedOnClose() throws Exception {
        final CompletableFuture<ChaincodeMessage> hanging = cc.peer.execute(Type.TRANSACTION, "ch", "h", "hang");
        // other transactions keep running beside it
        assertThat(run(Type.TRANSACTION, "ok").getType()).isEqualTo(Type.COMPLETED);
        assertThat(hanging).isNotDone();
        cc.close();
        assertThat(hanging).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                .withMessageContaining("chaincode stream terminated");
        InJvmChaincode.awaitTrue(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("chaincode-" + InJvmChaincode.CHAINCODE_ID)), "workers gone");
    }
}
