package dev.fabricembedded.endorser;

import dev.fabricembedded.endorser.TestPeer.Endorsed;
import dev.fabricembedded.msp.devca.Organization;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the endorser turns chaincode statuses into responses (fabric-1.4-flow.md §1.7, §1.8, §9.3), with the examples'
 * misbehaving chaincode in a child JVM: an Init of 500 fails the deploy, an Init of 400 does not; an invoke of 400 is
 * answered without payload or endorsement; a Java-shim invoke of 500 is an execution failure.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaincodeStatusTest {

    @TempDir
    static Path dir;

    private static TestPeer peer;

    @BeforeAll
    static void peer() throws Exception {
        peer = new TestPeer(dir, Organization.generate("Org1MSP", "org1.example.com"),
                Organization.generate("Org2MSP", "org2.example.com"), Duration.ofSeconds(30));
        peer.install("bad", "1.0", ExamplePackages.MISBEHAVING);
    }

    @AfterAll
    static void close() {
        peer.close();
    }

    @Test
    @Order(1)
    void initWithStatus500FailsTheDeploy() {
        final Endorsed deploy = peer.deploy("bad", "1.0", "status500");
        assertThat(deploy.status()).isEqualTo(500);
        assertThat(deploy.message()).isEqualTo("transaction returned with failure: internal error on purpose");
        assertThat(deploy.response().hasEndorsement()).isFalse();
        assertThat(deploy.response().getPayload()).isEmpty();
    }

    @Test
    @Order(2)
    void initWithStatus400StillInstantiates() {
        final Endorsed deploy = peer.deploy("bad", "1.0", "status400");
        assertThat(deploy.status()).as(deploy.message()).isEqualTo(200);
        assertThat(deploy.response().hasEndorsement()).isTrue();
        assertThat(peer.commit(deploy).code(0)).isEqualTo(TxValidationCode.VALID);
    }

    @Test
    @Order(3)
    void invokeWithStatus400IsAnsweredWithoutPayloadOrEndorsement() {
        final Endorsed invoke = peer.invoke("bad", "status400");
        assertThat(invoke.status()).isEqualTo(400);
        assertThat(invoke.message()).isEqualTo("bad request on purpose");
        assertThat(invoke.response().getPayload()).isEmpty();
        assertThat(invoke.response().hasEndorsement()).isFalse();
    }

    @Test
    @Order(4)
    void javaShimInvokeWithStatus500IsATransactionFailure() {
        final Endorsed invoke = peer.invoke("bad", "status500");
        assertThat(invoke.status()).isEqualTo(500);
        assertThat(invoke.message()).isEqualTo("transaction returned with failure: internal error on purpose");
        assertThat(invoke.response().getPayload()).isEmpty();
        assertThat(invoke.response().hasEndorsement()).isFalse();
    }

    @Test
    @Order(5)
    void successfulInvokeIsEndorsed() {
        final Endorsed invoke = peer.invoke("bad", "ok");
        assertThat(invoke.status()).isEqualTo(200);
        assertThat(invoke.response().getResponse().getPayload().toStringUtf8()).isEqualTo("fine");
        assertThat(invoke.response().hasEndorsement()).isTrue();
    }

    @Test
    @Order(6)
    void concurrentProposalsAreEndorsedIndependently() throws Exception {
        final ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            final List<Future<Endorsed>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                final String function = i % 2 == 0 ? "ok" : "status400";
                results.add(clients.submit(() -> peer.invoke("bad", function)));
            }
            for (int i = 0; i < results.size(); i++) {
                final Endorsed endorsed = results.get(i).get(60, TimeUnit.SECONDS);
                assertThat(endorsed.status()).as(endorsed.message()).isEqualTo(i % 2 == 0 ? 200 : 400);
                assertThat(endorsed.response().hasEndorsement()).isEqualTo(i % 2 == 0);
            }
        } finally {
            clients.shutdownNow();
        }
    }
}
