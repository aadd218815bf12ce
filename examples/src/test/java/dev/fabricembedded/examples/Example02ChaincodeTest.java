package dev.fabricembedded.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabricembedded.shim.scripted.InJvmChaincode;
import dev.fabricembedded.shim.scripted.ScriptedPeer;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage.Type;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** example02 through the real shim and a scripted peer (in-JVM channel). */
class Example02ChaincodeTest {

    private InJvmChaincode cc;
    private int tx;

    @BeforeEach
    void start() throws Exception {
        cc = InJvmChaincode.ready(new Example02Chaincode());
    }

    @AfterEach
    void stop() {
        cc.close();
    }

    private ChaincodeMessage run(final Type type, final String... args) throws Exception {
        return cc.peer.execute(type, "ch", "tx" + (++tx), args).get(10, TimeUnit.SECONDS);
    }

    private static String payload(final ChaincodeMessage completed) {
        assertThat(completed.getType()).as("type of %s", completed).isEqualTo(Type.COMPLETED);
        return ScriptedPeer.responseOf(completed).getPayload().toStringUtf8();
    }

    private static String error(final ChaincodeMessage result) {
        assertThat(result.getType()).isEqualTo(Type.ERROR);
        return result.getPayload().toStringUtf8();
    }

    @Test
    void initMoveQueryDelete() throws Exception {
        assertThat(payload(run(Type.INIT, "init", "a", "100", "b", "200"))).isEmpty();
        assertThat(cc.peer.get("a")).isEqualTo("100");
        assertThat(cc.peer.get("b")).isEqualTo("200");

        payload(run(Type.TRANSACTION, "invoke", "a", "b", "10"));
        payload(run(Type.TRANSACTION, "move", "b", "a", "5"));
        assertThat(payload(run(Type.TRANSACTION, "query", "a"))).isEqualTo("95");
        assertThat(payload(run(Type.TRANSACTION, "query", "b"))).isEqualTo("205");

        payload(run(Type.TRANSACTION, "delete", "a"));
        assertThat(cc.peer.get("a")).isNull();
        assertThat(error(run(Type.TRANSACTION, "query", "a"))).isEqualTo("{\"Error\":\"Nil amount for a\"}");
    }

    @Test
    void example02ErrorTexts() throws Exception {
        assertThat(error(run(Type.INIT, "init", "a", "100"))).isEqualTo("Incorrect number of arguments. Expecting 4");
        assertThat(error(run(Type.INIT, "init", "a", "x", "b", "1")))
                .isEqualTo("Expecting integer value for asset holding");
        run(Type.INIT, "init", "a", "100", "b", "200");
        assertThat(error(run(Type.TRANSACTION, "invoke", "a", "b"))).isEqualTo("Incorrect number of arguments. Expecting 3");
        assertThat(error(run(Type.TRANSACTION, "invoke", "a", "zz", "1"))).isEqualTo("Entity not found");
        assertThat(error(run(Type.TRANSACTION, "invoke", "a", "b", "ten")))
                .isEqualTo("Invalid transaction amount, expecting a integer value");
        assertThat(error(run(Type.TRANSACTION, "query")))
                .isEqualTo("Incorrect number of arguments. Expecting name of the person to query");
        assertThat(error(run(Type.TRANSACTION, "delete"))).isEqualTo("Incorrect number of arguments. Expecting 1");
        assertThat(error(run(Type.TRANSACTION, "transfer")))
                .isEqualTo("Invalid invoke function name. Expecting \"invoke\" \"delete\" \"query\"");
        assertThat(cc.peer.get("a")).as("nothing of the failed transactions was committed").isEqualTo("100");
    }
}
