package dev.fabricembedded.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.fabricembedded.shim.scripted.InJvmChaincode;
import dev.fabricembedded.shim.scripted.Proposals;
import dev.fabricembedded.shim.scripted.ScriptedPeer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage.Type;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The key-value chaincode through the real shim and a scripted peer (in-JVM channel). */
class KeyValueChaincodeTest {

    private InJvmChaincode cc;
    private int tx;

    @BeforeEach
    void start() throws Exception {
        cc = InJvmChaincode.ready(new KeyValueChaincode());
    }

    @AfterEach
    void stop() {
        cc.close();
    }

    private ChaincodeMessage run(final String... args) throws Exception {
        return cc.peer.execute(Type.TRANSACTION, "ch", "tx" + (++tx), args).get(10, TimeUnit.SECONDS);
    }

    private static String payload(final ChaincodeMessage completed) {
        assertThat(completed.getType()).as("type of %s", completed).isEqualTo(Type.COMPLETED);
        return ScriptedPeer.responseOf(completed).getPayload().toStringUtf8();
    }

    private long requests(final Type type) {
        return cc.peer.receivedLog().stream().filter(m -> m.getType() == type).count();
    }

    @Test
    void putGetDel() throws Exception {
        payload(run("put", "k", "v"));
        assertThat(payload(run("get", "k"))).isEqualTo("v");
        payload(run("del", "k"));
        assertThat(payload(run("get", "k"))).isEmpty();
    }

    @Test
    void rangeOfMoreThan100ResultsIsPagedThroughQueryStateNext() throws Exception {
        payload(run("fill", "key", "250"));
        final List<String> lines = payload(run("range", "key", "key99999")).lines().toList();
        assertThat(lines).hasSize(250).first().isEqualTo("key00000=v0");
        assertThat(lines.get(249)).isEqualTo("key00249=v249");
        assertThat(requests(Type.QUERY_STATE_NEXT)).isEqualTo(2);
        assertThat(requests(Type.QUERY_STATE_CLOSE)).isEqualTo(1);
    }

    @Test
    void pagination() throws Exception {
        payload(run("fill", "p", "25"));
        final List<String> first = payload(run("page", "p", "", "10", "")).lines().toList();
        assertThat(first.get(0)).isEqualTo("bookmark=p00010");
        assertThat(first).hasSize(11);
        final List<String> last = payload(run("page", "p", "", "10", "p00020")).lines().toList();
        assertThat(last).containsExactly("bookmark=", "p00020=v20", "p00021=v21", "p00022=v22", "p00023=v23",
                "p00024=v24");
    }

    @Test
    void compositeKeys() throws Exception {
        payload(run("index", "owner~asset", "tom", "car", "red"));
        payload(run("index", "owner~asset", "tom", "bike", "blue"));
        payload(run("index", "owner~asset", "tomas", "boat", "white"));
        assertThat(payload(run("find", "owner~asset", "tom")).lines())
                .containsExactly("tom/bike=blue", "tom/car=red");
        assertThat(payload(run("find", "owner~asset")).lines()).hasSize(3);
    }

    @Test
    void eventIsSentWithTheResult() throws Exception {
        final ChaincodeMessage result = run("event", "sold", "car");
        assertThat(result.getChaincodeEvent().getEventName()).isEqualTo("sold");
        assertThat(result.getChaincodeEvent().getPayload().toStringUtf8()).isEqualTo("car");
    }

    @Test
    void history() throws Exception {
        run("put", "h", "1");
        run("put", "h", "2");
        run("del", "h");
        assertThat(payload(run("history", "h")).lines()).containsExactly("tx1 false 1", "tx2 false 2", "tx3 true ");
    }

    @Test
    void chaincodeToChaincode() throws Exception {
        cc.peer.callee("other", input -> ScriptedPeer.completed(200, "", "other says "
                + input.getArgs(0).toStringUtf8()));
        cc.peer.callee("other/ch2", input -> ScriptedPeer.failed("no such function"));
        assertThat(payload(run("call", "other", "", "hi"))).isEqualTo("other says hi");
        final ChaincodeMessage failed = run("call", "other", "ch2", "hi");
        // the callee's failure comes back as status 500, which this chaincode returns: the shim sends ERROR
        assertThat(failed.getType()).isEqualTo(Type.ERROR);
        assertThat(failed.getPayload().toStringUtf8()).isEqualTo("no such function");
    }

    @Test
    void whoami() throws Exception {
        final var proposal = Proposals.signed("ch", "me", Proposals.creator("Org2MSP", "cert"),
                ByteString.copyFromUtf8("n"), 0, Instant.now(), Map.of());
        final ChaincodeMessage result = cc.peer.execute(Type.TRANSACTION, "ch", "me", proposal, "whoami")
                .get(10, TimeUnit.SECONDS);
        assertThat(payload(result)).isEqualTo("Org2MSP");
    }
}
