package dev.fabricembedded.peer.committer;

import static dev.fabricembedded.peer.committer.CommitterAcceptanceTest.assertCodes;
import static dev.fabricembedded.peer.committer.CommitterNetwork.AND_POLICY;
import static dev.fabricembedded.peer.committer.CommitterNetwork.OR_POLICY;
import static dev.fabricembedded.peer.committer.CommitterNetwork.deploy;
import static dev.fabricembedded.peer.committer.CommitterNetwork.invoke;
import static dev.fabricembedded.peer.committer.CommitterNetwork.lifecycle;
import static dev.fabricembedded.peer.committer.CommitterNetwork.peer1;
import static dev.fabricembedded.peer.committer.CommitterNetwork.peer2;
import static dev.fabricembedded.peer.committer.CommitterNetwork.upgrade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ledger.BlockRejectedException;
import dev.fabricembedded.orderer.block.BlockSigner;
import dev.fabricembedded.orderer.channelconfig.ChannelConfig;
import dev.fabricembedded.scc.vscc.DefaultValidation;
import dev.fabricembedded.scc.vscc.ValidationPluginRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link BlockCommitter#commit(List)} with blocks validated several commits ahead
 * ({@link BlockCommitter.Builder#validationLookahead}): the outcome (codes, stored blocks, state) is exactly the one
 * of committing the blocks one by one with {@link BlockCommitter#commit(Block)}, also when a block two commits
 * earlier changes what a block's validation read, or commits a transaction id the block uses again; a block refused
 * anywhere in the window leaves the ledger at the block before it, and no validation is left running.
 */
class ValidationLookaheadTest {

    private static final ByteString NONCE = ByteString.copyFromUtf8("a nonce used twice, so one txid twice");
    private static final ByteString OTHER_NONCE = ByteString.copyFromUtf8("another nonce used by three envelopes");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "lookahead {0}")
    @ValueSource(ints = {1, 2, 3})
    void theWindowGivesTheOutcomesOfCommittingTheBlocksOneByOne(int lookahead) {
        List<List<Envelope>> contents = List.of(
                List.of(deploy("mycc", "1.0", AND_POLICY).build()),
                List.of(invoke("mycc", "1.0").writes("mycc", "a", "1").build()),
                // upgrades mycc: the next two blocks were validated against version 1.0 and the AND policy
                List.of(upgrade("mycc", "2.0", OR_POLICY).build()),
                List.of(invoke("mycc", "2.0").endorsers(peer1()).writes("mycc", "b", "1").build()),
                List.of(invoke("mycc", "1.0").writes("mycc", "a", "stale").build(),
                        invoke("mycc", "2.0").endorsers(peer2()).writes("mycc", "c", "1").build()),
                // a txid committed here and used again one and two blocks later by envelopes whose endorsements
                // are for the expired version: one by one they are replays (DUPLICATE_TXID) before anything else
                List.of(invoke("mycc", "2.0").proposal(p -> p.nonce(NONCE)).writes("mycc", "d", "1").build()),
                List.of(invoke("mycc", "1.0").proposal(p -> p.nonce(NONCE)).writes("mycc", "e", "1").build(),
                        invoke("mycc", "2.0").endorsers(peer1()).writes("mycc", "f", "1").build()),
                List.of(invoke("mycc", "1.0").proposal(p -> p.nonce(NONCE)).writes("mycc", "g", "1").build()),
                // a valid upgrade whose txid was committed two blocks before: one by one it is a replay, so it does
                // not make the invocation beside it a CHAINCODE_VERSION_CONFLICT
                List.of(upgrade("mycc", "3.0", OR_POLICY).proposal(p -> p.nonce(OTHER_NONCE)).build()),
                List.of(invoke("mycc", "3.0").endorsers(peer2()).writes("mycc", "h", "1").build()),
                List.of(upgrade("mycc", "3.0", OR_POLICY).proposal(p -> p.nonce(OTHER_NONCE)).build(),
                        invoke("mycc", "3.0").endorsers(peer1()).writes("mycc", "i", "1").build()));
        List<TxValidationCode[]> expected = List.of(
                codes(TxValidationCode.VALID), codes(TxValidationCode.VALID), codes(TxValidationCode.VALID),
                codes(TxValidationCode.VALID), codes(TxValidationCode.EXPIRED_CHAINCODE, TxValidationCode.VALID),
                codes(TxValidationCode.VALID), codes(TxValidationCode.DUPLICATE_TXID, TxValidationCode.VALID),
                codes(TxValidationCode.DUPLICATE_TXID), codes(TxValidationCode.VALID), codes(TxValidationCode.VALID),
                codes(TxValidationCode.DUPLICATE_TXID, TxValidationCode.VALID));

        try (CommitterNetwork oneByOne = new CommitterNetwork(dir.resolve("one-by-one"),
                b -> b.validationLookahead(0));
             CommitterNetwork window = new CommitterNetwork(dir.resolve("window"),
                     b -> b.validationLookahead(lookahead))) {
            List<Block> blocks = oneByOne.chain(contents);
            List<CommittedBlock> reference = new ArrayList<>();
            for (Block block : blocks) {
                reference.add(oneByOne.committer.commit(block));
            }

            List<CommittedBlock> committed = window.committer.commit(blocks);

            for (int i = 0; i < blocks.size(); i++) {
                assertCodes(reference.get(i), expected.get(i));
                assertCodes(committed.get(i), expected.get(i));
                assertThat(committed.get(i).block()).isEqualTo(reference.get(i).block())
                        .isEqualTo(window.ledger.blockStore().blockByNumber(committed.get(i).number()).orElseThrow());
            }
            for (String key : List.of("a", "b", "c", "d", "e", "f", "g", "h", "i")) {
                assertThat(window.state("mycc", key)).as(key).isEqualTo(oneByOne.state("mycc", key));
            }
            assertThat(window.state("lscc", "mycc")).isEqualTo(oneByOne.state("lscc", "mycc"));
            assertThat(window.state("mycc", "a")).isEqualTo("1".getBytes());
            assertThat(window.state("mycc", "e")).isNull();
            assertThat(window.state("mycc", "i")).isEqualTo("1".getBytes());
        }
    }

    @Test
    void aConfigurationChangedAfterABlockIsCommittedHasTheBlocksValidatedAheadValidatedAgain() {
        AtomicReference<ChannelConfig> config = new AtomicReference<>(
                ChannelConfig.fromGenesisBlock(CommitterNetwork.Orgs.GENESIS));
        try (CommitterNetwork net = new CommitterNetwork(dir, b -> b.validationLookahead(2)
                .channelConfig(config::get))) {
            net.commit(deploy("mycc", "1.0", OR_POLICY).build());
            List<Block> blocks = net.chain(List.of(
                    List.of(invoke("mycc", "1.0").writes("mycc", "a", "1").build()),
                    List.of(invoke("mycc", "1.0").writes("mycc", "b", "1").build()),
                    List.of(invoke("mycc", "1.0").writes("mycc", "c", "1").build()),
                    List.of(invoke("mycc", "1.0").writes("mycc", "d", "1").build())));
            long first = blocks.get(0).getHeader().getNumber();
            ChannelConfig replaced = ChannelConfig.fromGenesisBlock(CommitterNetwork.Orgs.GENESIS);
            List<Long> handedOver = new ArrayList<>();

            net.committer.commit(blocks, block -> {
                handedOver.add(block.number());
                assertCodes(block, TxValidationCode.VALID);
                if (block.number() == first) {
                    // blocks first + 1 and first + 2 were validated with the configuration replaced here
                    config.set(replaced);
                }
            });

            assertThat(handedOver).containsExactly(first, first + 1, first + 2, first + 3);
            assertThat(net.ledger.height()).isEqualTo(first + 4);
            assertThat(net.committer.validator().currentSnapshot().config()).isSameAs(replaced);
            assertThat(net.state("mycc", "d")).isEqualTo("1".getBytes());
        }
    }

    @ParameterizedTest(name = "refused block at {0}")
    @ValueSource(ints = {0, 1, 2, 3})
    void aBlockRefusedAnywhereInTheWindowLeavesTheLedgerAtTheBlockBeforeIt(int refused) {
        try (CommitterNetwork net = new CommitterNetwork(dir, b -> b.validationLookahead(2))) {
            net.commit(deploy("mycc", "1.0", OR_POLICY).build());
            List<Block> blocks = new ArrayList<>(net.chain(List.of(
                    List.of(invoke("mycc", "1.0").writes("mycc", "a", "1").build()),
                    List.of(invoke("mycc", "1.0").writes("mycc", "b", "1").build()),
                    List.of(invoke("mycc", "1.0").writes("mycc", "c", "1").build()),
                    List.of(invoke("mycc", "1.0").writes("mycc", "d", "1").build()))));
            long first = blocks.get(0).getHeader().getNumber();
            blocks.set(refused, new BlockSigner(peer1()).sign(blocks.get(refused), 0));
            List<Long> handedOver = new ArrayList<>();

            BlockRejectedException failure = catchThrowableOfType(
                    () -> net.committer.commit(blocks, block -> handedOver.add(block.number())),
                    BlockRejectedException.class);

            assertThat(failure.blockNumber()).isEqualTo(first + refused);
            assertThat(net.ledger.height()).isEqualTo(first + refused);
            assertThat(handedOver).hasSize(refused);
            List<String> keys = List.of("a", "b", "c", "d");
            for (int i = 0; i < keys.size(); i++) {
                assertThat(net.state("mycc", keys.get(i))).as(keys.get(i))
                        .isEqualTo(i < refused ? "1".getBytes() : null);
            }
            // the same blocks, the refused one corrected, commit from there on
            List<Block> rest = net.chain(List.of(List.of(invoke("mycc", "1.0").writes("mycc", "z", "1").build())));
            assertCodes(net.committer.commit(rest).get(0), TxValidationCode.VALID);
        }
    }

    @Test
    void aValidationFailureInTheWindowLeavesNoValidationRunningAndNothingOfTheLaterBlocksCommitted() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        DefaultValidation vscc = new DefaultValidation();
        ValidationPluginRegistry plugins = ValidationPluginRegistry.builder().register("slow", request -> {
            running.incrementAndGet();
            try {
                // long enough that a validation left running would still be running when commit returns
                Thread.sleep(50);
                return vscc.validate(request);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                ran.incrementAndGet();
                running.decrementAndGet();
            }
        }).build();
        try (CommitterNetwork net = new CommitterNetwork(dir, b -> b.validationLookahead(2)
                .validationPlugins(plugins))) {
            assertCodes(net.commit(deploy("mycc", "1.0", OR_POLICY).build(),
                            lifecycle("deploy", "slowcc", "1.0", OR_POLICY, "slow").build(),
                            lifecycle("deploy", "brokencc", "1.0", OR_POLICY, "missing").build()),
                    TxValidationCode.VALID, TxValidationCode.VALID, TxValidationCode.VALID);
            List<Envelope> slow = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                slow.add(invoke("slowcc", "1.0").writes("slowcc", "k" + i, "v").build());
            }
            List<Block> blocks = net.chain(List.of(
                    List.of(invoke("mycc", "1.0").writes("mycc", "a", "1").build()),
                    // its plugin does not exist: an execution failure, the block is not committed
                    List.of(invoke("brokencc", "1.0").writes("brokencc", "b", "1").build()),
                    slow));
            long first = blocks.get(0).getHeader().getNumber();

            BlockValidationException failure = catchThrowableOfType(() -> net.committer.commit(blocks, block -> { }),
                    BlockValidationException.class);
            int runningWhenReturned = running.get();

            assertThat(failure.blockNumber()).isEqualTo(first + 1);
            assertThat(runningWhenReturned).isZero();
            assertThat(net.ledger.height()).isEqualTo(first + 1);
            assertThat(net.state("mycc", "a")).isEqualTo("1".getBytes());
            assertThat(net.state("brokencc", "b")).isNull();
            assertThat(net.state("slowcc", "k0")).isNull();
            int ranBefore = ran.get();
            assertThat(running.get()).isZero();
            // the block validated ahead and dropped is committed in its turn, validated again
            Block third = net.chain(List.of(slow)).get(0);
            assertCodes(net.committer.commit(third), TxValidationCode.VALID, TxValidationCode.VALID,
                    TxValidationCode.VALID, TxValidationCode.VALID, TxValidationCode.VALID, TxValidationCode.VALID,
                    TxValidationCode.VALID, TxValidationCode.VALID);
            assertThat(ran.get() - ranBefore).isEqualTo(8);
        }
    }

    @Test
    void aNegativeLookaheadIsRejected() {
        assertThatThrownBy(() -> BlockCommitter.builder().validationLookahead(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("validationLookahead must not be negative, got -1");
    }

    private static TxValidationCode[] codes(TxValidationCode... codes) {
        return codes;
    }
}
