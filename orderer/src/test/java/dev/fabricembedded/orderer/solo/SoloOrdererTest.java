package dev.fabricembedded.orderer.solo;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.ledger.block.BlockHashes;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.orderer.BlockBatchListener;
import dev.fabricembedded.orderer.OrdererException;
import dev.fabricembedded.orderer.Subscription;
import dev.fabricembedded.orderer.block.BlockVerifier;
import dev.fabricembedded.orderer.channelconfig.BatchSettings;
import dev.fabricembedded.orderer.channelconfig.ChannelConfig;
import dev.fabricembedded.orderer.testing.BlockCollector;
import dev.fabricembedded.orderer.testing.TestNetwork;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The solo orderer end to end: broadcast statuses, cutting through the ordering loop, persistence, delivery. */
class SoloOrdererTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /** A batch timeout that never fires during a test: cuts come from the count or size rules only. */
    private static final Duration NEVER = Duration.ofHours(1);

    private final TestNetwork net = TestNetwork.get();
    private final List<SoloOrderer> opened = new ArrayList<>();

    @TempDir
    Path data;

    @AfterEach
    void closeAndCheckThreads() {
        opened.forEach(SoloOrderer::close);
        assertThat(ordererThreads()).isEmpty();
    }

    private SoloOrderer open() {
        SoloOrderer orderer = SoloOrderer.builder(data, net.ordererSigner()).blockIndexEntries(1024)
                .closeTimeout(WAIT).open();
        opened.add(orderer);
        return orderer;
    }

    private Block create(SoloOrderer orderer, String channelId, BatchSettings settings) {
        Block genesis = net.profile(channelId, settings).genesisBlock();
        assertThat(orderer.createChannel(genesis)).isTrue();
        return genesis;
    }

    private static BatchSettings batch(long count, long preferred, Duration timeout) {
        return new BatchSettings(count, 100 * 1024, preferred, timeout);
    }

    private static Set<String> ordererThreads() {
        Set<String> names = new HashSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.isAlive() && (thread.getName().startsWith("solo-orderer-")
                    || thread.getName().startsWith("orderer-deliver-"))) {
                names.add(thread.getName());
            }
        }
        return names;
    }

    private static void assertSuccess(BroadcastResponse response) {
        assertThat(response.getStatus()).as(response.getInfo()).isEqualTo(Status.SUCCESS);
    }

    private static List<Envelope> envelopes(Block block) {
        List<Envelope> envelopes = new ArrayList<>();
        for (ByteString data : block.getData().getDataList()) {
            try {
                envelopes.add(Envelope.parseFrom(data));
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        }
        return envelopes;
    }

    // ------------------------------------------------------------------------------------------------------------

    @Test
    void broadcastAnswersWithFabricStatusesAndTexts() {
        SoloOrderer orderer = open();
        create(orderer, "statuses", new BatchSettings(10, 3000, 2000, NEVER));

        assertSuccess(orderer.broadcast(net.envelope("statuses", net.client(), 10)));

        BroadcastResponse unknown = orderer.broadcast(net.envelope("nochannel", net.client(), 10));
        assertThat(unknown.getStatus()).isEqualTo(Status.NOT_FOUND);
        assertThat(unknown.getInfo()).isEqualTo("channel does not exist");

        BroadcastResponse empty = orderer.broadcast(Envelope.getDefaultInstance());
        assertThat(empty.getStatus()).isEqualTo(Status.BAD_REQUEST);
        assertThat(empty.getInfo()).isEqualTo("Message was empty");

        BroadcastResponse garbage = orderer.broadcast(Envelope.newBuilder()
                .setPayload(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff})).build());
        assertThat(garbage.getStatus()).isEqualTo(Status.BAD_REQUEST);
        assertThat(garbage.getInfo()).startsWith("could not determine channel ID: error unmarshaling Payload");

        BroadcastResponse config = orderer.broadcast(net.envelope("statuses", net.client(), 10,
                HeaderType.CONFIG_UPDATE));
        assertThat(config.getStatus()).isEqualTo(Status.BAD_REQUEST);
        assertThat(config.getInfo()).contains("CONFIG_UPDATE");

        BroadcastResponse peer = orderer.broadcast(net.envelope("statuses", net.org1.signer(NodeRole.PEER), 10));
        assertThat(peer.getStatus()).isEqualTo(Status.FORBIDDEN);
        assertThat(peer.getInfo()).endsWith(": permission denied");
        assertThat(orderer.broadcast(net.envelope("statuses", net.outsider.signer(NodeRole.CLIENT), 10))
                .getStatus()).isEqualTo(Status.FORBIDDEN);

        Envelope big = net.envelope("statuses", net.client(), 3100);
        BroadcastResponse tooLarge = orderer.broadcast(big);
        assertThat(tooLarge.getStatus()).isEqualTo(Status.BAD_REQUEST);
        assertThat(tooLarge.getInfo()).isEqualTo("message payload is "
                + (big.getPayload().size() + big.getSignature().size()) + " bytes and exceeds maximum allowed 3000 bytes");

        orderer.close();
        BroadcastResponse closed = orderer.broadcast(net.envelope("statuses", net.client(), 10));
        assertThat(closed.getStatus()).isEqualTo(Status.SERVICE_UNAVAILABLE);
        assertThat(closed.getInfo()).isEqualTo("the orderer is closed");
    }

    @Test
    void countCutThroughTheOrderingLoop() throws Exception {
        SoloOrderer orderer = open();
        Block genesis = create(orderer, "count", batch(3, 50_000, NEVER));
        BlockCollector blocks = new BlockCollector();
        orderer.subscribe("count", 0, blocks);
        List<Envelope> sent = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Envelope envelope = net.envelope("count", net.client(), 50);
            sent.add(envelope);
            assertSuccess(orderer.broadcast(envelope));
        }
        List<Block> received = blocks.awaitBlocks(3, WAIT);
        assertThat(received.get(0)).isEqualTo(genesis);
        assertThat(envelopes(received.get(1))).containsExactlyElementsOf(sent.subList(0, 3));
        assertThat(envelopes(received.get(2))).containsExactlyElementsOf(sent.subList(3, 6));
        assertThat(orderer.height("count")).isEqualTo(3);
    }

    @Test
    void timerCutsAPendingBatch() throws Exception {
        SoloOrderer orderer = open();
        create(orderer, "timer", batch(100, 50_000, Duration.ofMillis(50)));
        BlockCollector blocks = new BlockCollector();
        orderer.subscribe("timer", 1, blocks);
        Envelope lonely = net.envelope("timer", net.client(), 10);
        assertSuccess(orderer.broadcast(lonely));
        List<Block> received = blocks.awaitBlocks(1, WAIT);
        assertThat(received.get(0).getHeader().getNumber()).isEqualTo(1);
        assertThat(envelopes(received.get(0))).containsExactly(lonely);
        // the timer restarts for the next pending envelope
        Envelope next = net.envelope("timer", net.client(), 10);
        assertSuccess(orderer.broadcast(next));
        assertThat(envelopes(blocks.awaitBlocks(2, WAIT).get(1))).containsExactly(next);
    }

    @Test
    void oversizedEnvelopeGetsItsOwnBlockAndCloseOrdersWhatWasAccepted() throws Exception {
        SoloOrderer orderer = open();
        // an envelope is ~1 KB before its data (the creator certificate): 5 KB holds a few small ones
        create(orderer, "oversized", batch(10, 5000, NEVER));
        BlockCollector blocks = new BlockCollector();
        orderer.subscribe("oversized", 1, blocks);
        Envelope small = net.envelope("oversized", net.client(), 10);
        Envelope big = net.envelope("oversized", net.client(), 6000);
        Envelope after = net.envelope("oversized", net.client(), 10);
        assertSuccess(orderer.broadcast(small));
        assertSuccess(orderer.broadcast(big));
        assertSuccess(orderer.broadcast(after));
        List<Block> received = blocks.awaitBlocks(2, WAIT);
        assertThat(envelopes(received.get(0))).containsExactly(small);
        assertThat(envelopes(received.get(1))).containsExactly(big);
        assertThat(orderer.height("oversized")).isEqualTo(3);

        // "after" is pending (timer of an hour); a clean close cuts it into a last block
        orderer.close();
        SoloOrderer reopened = open();
        assertThat(reopened.height("oversized")).isEqualTo(4);
        BlockCollector all = new BlockCollector();
        reopened.subscribe("oversized", 3, all);
        assertThat(envelopes(all.awaitBlocks(1, WAIT).get(0))).containsExactly(after);
    }

    @Test
    void restartContinuesTheChainAndDeliversEverythingInOrder() throws Exception {
        List<Envelope> sent = new ArrayList<>();
        Block genesis;
        Block lastBeforeRestart;
        try (SoloOrderer orderer = open()) {
            genesis = create(orderer, "restart", batch(2, 50_000, NEVER));
            BlockCollector blocks = new BlockCollector();
            orderer.subscribe("restart", 0, blocks);
            for (int i = 0; i < 4; i++) {
                Envelope envelope = net.envelope("restart", net.client(), 20);
                sent.add(envelope);
                assertSuccess(orderer.broadcast(envelope));
            }
            lastBeforeRestart = blocks.awaitBlocks(3, WAIT).get(2);
        }
        assertThat(ordererThreads()).isEmpty();

        SoloOrderer orderer = open();
        assertThat(orderer.channels()).containsExactly("restart");
        assertThat(orderer.height("restart")).isEqualTo(3);
        assertThat(orderer.createChannel(genesis)).isFalse();
        for (int i = 0; i < 4; i++) {
            Envelope envelope = net.envelope("restart", net.client(), 20);
            sent.add(envelope);
            assertSuccess(orderer.broadcast(envelope));
        }
        BlockCollector all = new BlockCollector();
        orderer.subscribe("restart", 0, all);
        List<Block> chain = all.awaitBlocks(5, WAIT);

        assertThat(chain.get(0)).isEqualTo(genesis);
        assertThat(chain.get(2)).isEqualTo(lastBeforeRestart);
        assertThat(chain.get(3).getHeader().getPreviousHash().toByteArray())
                .isEqualTo(BlockHashes.blockHash(lastBeforeRestart));
        BlockVerifier verifier = BlockVerifier.forChannel(ChannelConfig.fromGenesisBlock(genesis));
        List<Envelope> ordered = new ArrayList<>();
        for (int n = 1; n < chain.size(); n++) {
            Block block = chain.get(n);
            assertThat(verifier.verify(block, n, ByteString.copyFrom(BlockHashes.blockHash(chain.get(n - 1))))
                    .isValid()).as("block %d", n).isTrue();
            ordered.addAll(envelopes(block));
        }
        assertThat(ordered).containsExactlyElementsOf(sent);
    }

    @Test
    void channelsAreCreatedOnceFromAValidGenesisBlockTheOrdererCanSign() {
        SoloOrderer orderer = open();
        Block genesis = create(orderer, "create", BatchSettings.EMBEDDED_DEFAULT);
        assertThat(orderer.createChannel(genesis)).isFalse();
        assertThat(orderer.channelConfig("create")).map(ChannelConfig::channelId).contains("create");
        assertThat(orderer.channelConfig("nope")).isEmpty();

        assertThatThrownBy(() -> orderer.createChannel(net.profile("create").build().genesisBlock()))
                .isInstanceOf(OrdererException.class)
                .satisfies(e -> assertThat(((OrdererException) e).reason())
                        .isEqualTo(OrdererException.Reason.CHANNEL_EXISTS));
        assertReason(() -> orderer.createChannel(net.profile("kafka").consensusType("kafka").build().genesisBlock()),
                OrdererException.Reason.UNSUPPORTED_CONFIG);
        Block notGenesis = genesis.toBuilder().setHeader(genesis.getHeader().toBuilder().setNumber(1)).build();
        assertReason(() -> orderer.createChannel(notGenesis), OrdererException.Reason.INVALID_GENESIS_BLOCK);
        assertReason(() -> orderer.subscribe("nope", 0, block -> { }), OrdererException.Reason.CHANNEL_NOT_FOUND);
        assertReason(() -> orderer.height("nope"), OrdererException.Reason.CHANNEL_NOT_FOUND);
        assertThat(orderer.channels()).containsExactly("create");
    }

    @Test
    void anOrdererWhoseIdentityCannotSignBlocksRefusesTheChannel() {
        SoloOrderer peerAsOrderer = SoloOrderer.builder(data.resolve("other"), net.org1.signer(NodeRole.PEER))
                .blockIndexEntries(1024).open();
        opened.add(peerAsOrderer);
        assertThatThrownBy(() -> peerAsOrderer.createChannel(net.profile("signer").build().genesisBlock()))
                .isInstanceOf(OrdererException.class)
                .hasMessageContaining("would not satisfy /Channel/Orderer/BlockValidation");
        assertThat(peerAsOrderer.channels()).isEmpty();
    }

    @Test
    void reopeningWithAnIdentityTheChannelsRejectFailsCleanly() {
        try (SoloOrderer orderer = open()) {
            create(orderer, "owned", BatchSettings.EMBEDDED_DEFAULT);
        }
        opened.clear();
        assertThatThrownBy(() -> SoloOrderer.builder(data, net.org1.signer(NodeRole.PEER)).blockIndexEntries(1024)
                .open())
                .isInstanceOf(OrdererException.class)
                .satisfies(e -> assertThat(((OrdererException) e).reason())
                        .isEqualTo(OrdererException.Reason.SIGNER_NOT_AUTHORIZED));
        // nothing stayed open: the right identity opens the directory again
        SoloOrderer orderer = open();
        assertThat(orderer.channels()).containsExactly("owned");
        assertThat(orderer.height("owned")).isEqualTo(1);
    }

    @Test
    void aSecondOrdererOnTheSameDirectoryIsRefused() {
        open();
        assertReason(this::open, OrdererException.Reason.IN_USE);
    }

    @Test
    void aSlowSubscriberHoldsUpNobody() throws Exception {
        SoloOrderer orderer = open();
        create(orderer, "slow", batch(1, 50_000, NEVER));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch stuck = new CountDownLatch(1);
        BlockCollector slowBlocks = new BlockCollector();
        Subscription slow = orderer.subscribe("slow", 1, block -> {
            stuck.countDown();
            assertThat(release.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            slowBlocks.onBlock(block);
        });
        BlockCollector fast = new BlockCollector();
        orderer.subscribe("slow", 1, fast);
        for (int i = 0; i < 5; i++) {
            assertSuccess(orderer.broadcast(net.envelope("slow", net.client(), 10)));
        }
        assertThat(fast.awaitBlocks(5, WAIT)).hasSize(5);
        assertThat(stuck.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(orderer.height("slow")).isEqualTo(6);
        assertThat(slow.nextBlockNumber()).isEqualTo(1);
        release.countDown();
        assertThat(slowBlocks.awaitBlocks(5, WAIT)).extracting(b -> b.getHeader().getNumber())
                .containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aBatchListenerGetsTheStoredSuccessorsOfTheNextBlockTogetherAndAPlainListenerOneByOne() throws Exception {
        SoloOrderer orderer = open();
        create(orderer, "batch", batch(1, 50_000, NEVER));
        BlockCollector plain = new BlockCollector();
        orderer.subscribe("batch", 0, plain);
        for (int i = 0; i < 11; i++) {
            assertSuccess(orderer.broadcast(net.envelope("batch", net.client(), 10)));
        }
        plain.awaitBlocks(12, WAIT);
        List<List<Long>> batches = new CopyOnWriteArrayList<>();
        BlockCollector all = new BlockCollector();
        Subscription batched = orderer.subscribe("batch", 1, new BlockBatchListener() {
            @Override
            public void onBlocks(List<Block> blocks) {
                batches.add(blocks.stream().map(b -> b.getHeader().getNumber()).toList());
                blocks.forEach(all::onBlock);
            }

            @Override
            public void onBlock(Block block) {
                batches.add(List.of(block.getHeader().getNumber()));
                all.onBlock(block);
            }
        });

        assertThat(all.awaitBlocks(11, WAIT)).extracting(b -> b.getHeader().getNumber())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 11).boxed().toList());
        // all 11 were stored when delivery started: batches of at most 8, in order, without gaps
        assertThat(batches).containsExactly(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), List.of(9L, 10L, 11L));
        // the position moves once onBlocks has returned, just after the collector saw the last block
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (batched.nextBlockNumber() != 12 && System.nanoTime() - deadline < 0) {
            Thread.sleep(1);
        }
        assertThat(batched.nextBlockNumber()).isEqualTo(12);
        assertThat(plain.drain()).extracting(b -> b.getHeader().getNumber())
                .containsExactlyElementsOf(LongStream.rangeClosed(0, 11).boxed().toList());
    }

    @Test
    void aFailingListenerEndsOnlyItsOwnSubscription() throws Exception {
        SoloOrderer orderer = open();
        create(orderer, "failing", batch(1, 50_000, NEVER));
        Subscription failing = orderer.subscribe("failing", 1, block -> {
            throw new IllegalStateException("listener broke on block " + block.getHeader().getNumber());
        });
        BlockCollector healthy = new BlockCollector();
        orderer.subscribe("failing", 0, healthy);
        assertSuccess(orderer.broadcast(net.envelope("failing", net.client(), 10)));
        assertSuccess(orderer.broadcast(net.envelope("failing", net.client(), 10)));
        assertThat(healthy.awaitBlocks(3, WAIT)).hasSize(3);
        failing.close();
        assertThat(failing.isActive()).isFalse();
        assertThat(failing.failure()).get().extracting(Throwable::getMessage)
                .isEqualTo("listener broke on block 1");
        assertThat(failing.nextBlockNumber()).isEqualTo(1);
    }

    @Test
    void aListenerMayCloseItsOwnSubscriptionAndHeightsAboveTheChainWait() throws Exception {
        SoloOrderer orderer = open();
        create(orderer, "self", batch(1, 50_000, NEVER));
        AtomicReference<Subscription> self = new AtomicReference<>();
        CountDownLatch delivered = new CountDownLatch(1);
        BlockCollector seen = new BlockCollector();
        self.set(orderer.subscribe("self", 2, block -> {
            seen.onBlock(block);
            self.get().close();
            delivered.countDown();
        }));
        assertSuccess(orderer.broadcast(net.envelope("self", net.client(), 10)));
        assertSuccess(orderer.broadcast(net.envelope("self", net.client(), 10)));
        assertSuccess(orderer.broadcast(net.envelope("self", net.client(), 10)));
        assertThat(delivered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        self.get().close();
        assertThat(self.get().isActive()).isFalse();
        assertThat(seen.drain()).extracting(b -> b.getHeader().getNumber()).containsExactly(2L);
        assertThat(self.get().failure()).isEmpty();
    }

    @Test
    void concurrentBroadcastersLoseAndDuplicateNothing() throws Exception {
        SoloOrderer orderer = open();
        create(orderer, "busy", batch(10, 50_000, Duration.ofMillis(50)));
        create(orderer, "quiet", batch(10, 50_000, Duration.ofMillis(50)));
        BlockCollector blocks = new BlockCollector();
        orderer.subscribe("busy", 1, blocks);
        ExecutorService clients = Executors.newFixedThreadPool(4);
        Set<String> sent = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                futures.add(clients.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        Envelope envelope = net.envelope("busy", net.client(), 30);
                        assertSuccess(orderer.broadcast(envelope));
                        sent.add(TestNetwork.txId(envelope));
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdown();
            assertThat(clients.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }
        List<String> ordered = new ArrayList<>();
        int seenBlocks = 0;
        while (ordered.size() < 100) { // each wait fails the test if no further block comes
            List<Block> all = blocks.awaitBlocks(seenBlocks + 1, WAIT);
            for (Block block : all.subList(seenBlocks, all.size())) {
                envelopes(block).forEach(e -> ordered.add(TestNetwork.txId(e)));
            }
            seenBlocks = all.size();
        }
        assertThat(ordered).hasSize(100).doesNotHaveDuplicates();
        assertThat(new HashSet<>(ordered)).isEqualTo(sent);
        assertThat(orderer.height("quiet")).isEqualTo(1);
    }

    private static void assertReason(Runnable action, OrdererException.Reason reason) {
        assertThatThrownBy(action::run).isInstanceOf(OrdererException.class)
                .satisfies(e -> assertThat(((OrdererException) e).reason()).isEqualTo(reason));
    }
}
