package dev.fabricembedded.peer.committer;

import static dev.fabricembedded.peer.committer.CommitterAcceptanceTest.assertCodes;
import static dev.fabricembedded.peer.committer.CommitterNetwork.OR_POLICY;
import static dev.fabricembedded.peer.committer.CommitterNetwork.deploy;
import static dev.fabricembedded.peer.committer.CommitterNetwork.invoke;
import static dev.fabricembedded.peer.committer.CommitterNetwork.lifecycle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.fabricembedded.scc.vscc.DefaultValidation;
import dev.fabricembedded.scc.vscc.ValidationPluginRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The validator pool: plugins chosen by the chaincode definition run on the named worker threads, an execution
 * failure aborts the block with nothing committed, one committing thread at a time, and no thread left after close.
 */
class ValidatorPoolTest {

    private static final String WORKER_PREFIX = "committer-mychannel-validator-";

    @TempDir
    Path dir;

    @Test
    void anUnknownValidationPluginAbortsTheBlockAndARegisteredOneRunsOnTheWorkers() {
        Set<String> pluginThreads = ConcurrentHashMap.newKeySet();
        DefaultValidation vscc = new DefaultValidation();
        try (CommitterNetwork net = new CommitterNetwork(dir)) {
            assertCodes(net.commit(deploy("mycc", "1.0", OR_POLICY).build(),
                    lifecycle("deploy", "plugcc", "1.0", OR_POLICY, "custom").build()),
                    TxValidationCode.VALID, TxValidationCode.VALID);
            long height = net.ledger.height();
            Envelope valid = invoke("mycc", "1.0").writes("mycc", "k", "v").build();
            Block block = net.nextBlock(valid,
                    invoke("plugcc", "1.0").writes("plugcc", "k", "1").build(),
                    invoke("plugcc", "1.0").writes("plugcc", "k", "2").build());

            BlockValidationException failure = catchThrowableOfType(() -> net.committer.commit(block),
                    BlockValidationException.class);

            assertThat(failure.blockNumber()).isEqualTo(height);
            assertThat(failure.txIndex()).isEqualTo(1);
            assertThat(failure.getMessage()).isEqualTo("validation of block " + height
                    + " failed at transaction 1: plugin with name custom wasn't found");
            assertThat(net.ledger.height()).isEqualTo(height);
            assertThat(net.state("mycc", "k")).isNull();
            assertThat(net.ledger.containsTxId(txId(valid))).isFalse();
            // the block stays refused until the plugin exists: the outcome must not depend on this peer's failure
            assertThatThrownBy(() -> net.committer.commit(block)).isInstanceOf(BlockValidationException.class);
            assertThat(net.ledger.height()).isEqualTo(height);
        }
        ValidationPluginRegistry plugins = ValidationPluginRegistry.builder().register("custom", request -> {
            pluginThreads.add(Thread.currentThread().getName());
            return vscc.validate(request);
        }).build();
        try (CommitterNetwork reopened = new CommitterNetwork(dir.resolve("second"), b -> b.validationPlugins(plugins))) {
            assertCodes(reopened.commit(deploy("mycc", "1.0", OR_POLICY).build(),
                    lifecycle("deploy", "plugcc", "1.0", OR_POLICY, "custom").build()),
                    TxValidationCode.VALID, TxValidationCode.VALID);
            CommittedBlock committed = reopened.commit(invoke("mycc", "1.0").writes("mycc", "k", "v").build(),
                    invoke("plugcc", "1.0").writes("plugcc", "k", "1").build(),
                    invoke("plugcc", "1.0").writes("plugcc", "j", "2").build());
            assertCodes(committed, TxValidationCode.VALID, TxValidationCode.VALID, TxValidationCode.VALID);
        }
        assertThat(pluginThreads).isNotEmpty().allSatisfy(name -> assertThat(name).startsWith(WORKER_PREFIX));
    }

    @Test
    void aSecondCommittingThreadIsRefusedWhileABlockIsValidated() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        DefaultValidation vscc = new DefaultValidation();
        ValidationPluginRegistry plugins = ValidationPluginRegistry.builder().register("gated", request -> {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return vscc.validate(request);
        }).build();
        ExecutorService other = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-delivery"));
        try (CommitterNetwork net = new CommitterNetwork(dir, b -> b.validationPlugins(plugins))) {
            assertCodes(net.commit(lifecycle("deploy", "gatedcc", "1.0", OR_POLICY, "gated").build()),
                    TxValidationCode.VALID);
            Block gated = net.nextBlock(invoke("gatedcc", "1.0").writes("gatedcc", "k", "v").build());
            Future<CommittedBlock> first = other.submit(() -> net.committer.commit(gated));
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();

            assertThatThrownBy(() -> net.committer.commit(gated))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("committer of channel mychannel is already committing a block on thread "
                            + "test-delivery; blocks are committed by one thread at a time, in order");

            release.countDown();
            assertCodes(first.get(30, TimeUnit.SECONDS), TxValidationCode.VALID);
            assertThat(net.state("gatedcc", "k")).isEqualTo("v".getBytes());
        } finally {
            release.countDown();
            other.shutdownNow();
            assertThat(other.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void theValidatorThreadsAreGoneAfterClose() {
        CommitterNetwork net = new CommitterNetwork(dir, b -> b.validatorPoolSize(3));
        Block next;
        try {
            assertCodes(net.commit(deploy("mycc", "1.0", OR_POLICY).build(),
                    deploy("othercc", "1.0", OR_POLICY).build(), deploy("thirdcc", "1.0", OR_POLICY).build()),
                    TxValidationCode.VALID, TxValidationCode.VALID, TxValidationCode.VALID);
            assertThat(net.committer.validator().poolSize()).isEqualTo(3);
            assertThat(validatorThreads()).isNotEmpty().hasSizeLessThanOrEqualTo(3);
            next = net.nextBlock(invoke("mycc", "1.0").writes("mycc", "k", "v").build());
        } finally {
            net.close();
        }
        assertThat(validatorThreads()).isEmpty();
        assertThatThrownBy(() -> net.committer.commit(next))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("committer of channel mychannel is closed");
    }

    @Test
    void aPoolSizeBelowOneIsRejected() {
        assertThatThrownBy(() -> BlockCommitter.builder().validatorPoolSize(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("validatorPoolSize must be at least 1, got 0");
    }

    private static String txId(Envelope envelope) {
        try {
            return org.hyperledger.fabric.protos.common.ChannelHeader.parseFrom(
                    org.hyperledger.fabric.protos.common.Payload.parseFrom(envelope.getPayload()).getHeader()
                            .getChannelHeader()).getTxId();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> validatorThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith(WORKER_PREFIX)).toList();
    }
}
