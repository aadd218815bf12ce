package dev.fabricembedded.ipc.chronicle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabricembedded.ipc.ChannelClosedException;
import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.FrameTooLargeException;
import dev.fabricembedded.ipc.IpcThreads;
import dev.fabricembedded.ipc.RecordingHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lanes: the creator makes them with the channel and hands them out only once the attacher serves them; a frame wakes
 * the owner asleep on the lane's doorbell (keepalives are hourly here, so the liveness thread's safety ring never fires
 * within a test: a sleeper woken was woken by the frame's ring); a receive times out; a close reaches the other end
 * after the frames before it and wakes a sleeping owner; an abandoned lane is not handed out again; nothing is left.
 */
class LaneTest {

    private static final Duration NO_KEEPALIVES = Duration.ofHours(1);
    private static final long WAIT_SECONDS = 60;
    private static final long FOREVER = Long.MAX_VALUE;

    @TempDir
    Path base;

    /** A channel whose keepalives are hourly (shared with {@link LaneAffinityTest}). */
    static ChronicleChannelBuilder quiet(Path dir, String name) {
        return ChronicleChannel.builder(dir).name(name).keepaliveInterval(NO_KEEPALIVES).livenessTimeout(NO_KEEPALIVES)
                .maxFrameSize(1024);
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waiting for " + what).isNegative();
            Thread.sleep(1);
        }
    }

    private static ChronicleChannel served(ChronicleChannel attached) {
        attached.lanes().forEach(Lane::announceServed);
        return attached;
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] frame) {
        return new String(frame, StandardCharsets.UTF_8);
    }

    /** Receives on another thread, with the saturation hint set so that it sleeps at once. */
    private static CompletableFuture<byte[]> receiveAsleep(Lane lane, String thread) throws InterruptedException {
        lane.coresSaturated(true);
        CompletableFuture<byte[]> received = new CompletableFuture<>();
        Thread receiver = new Thread(() -> {
            try {
                received.complete(lane.receive(FOREVER));
            } catch (RuntimeException e) {
                received.completeExceptionally(e);
            }
        }, thread);
        receiver.start();
        await(lane::asleep, thread + " asleep on the lane's bell");
        return received;
    }

    @Test
    void theCreatorMakesTheLanesAndHandsThemOutOnlyOnceTheAttacherServesThem() throws Exception {
        Path dir = base.resolve("made");
        try (ChronicleChannel created = quiet(dir, "made-p").lanes(2).create(new RecordingHandler())) {
            assertThat(Files.readString(dir.resolve(ChannelDirectory.PROPERTIES))).contains("lanes=2");
            assertThat(created.lanes()).hasSize(2);
            for (int i = 0; i < 2; i++) {
                Path lane = Lane.directory(dir, i);
                assertThat(lane.resolve(Doorbell.CREATOR_FIFO)).exists();
                assertThat(lane.resolve(Doorbell.ATTACHER_FIFO)).exists();
                assertThat(lane.resolve(Lane.SERVED)).doesNotExist();
            }
            assertThat(created.tryAcquireLane()).as("no lane before the other side attaches").isNull();

            try (ChronicleChannel attached = quiet(dir, "made-c").attach(new RecordingHandler())) {
                assertThat(attached.lanes()).hasSize(2);
                assertThat(created.tryAcquireLane()).as("attached, but nobody serves the lanes yet").isNull();
                attached.lanes().forEach(Lane::announceServed);
                assertThat(created.lanes().get(0).isServed()).isTrue();
                assertThatThrownBy(() -> created.lanes().get(0).announceServed())
                        .isInstanceOf(IllegalStateException.class);
                Lane first = created.tryAcquireLane();
                Lane second = created.tryAcquireLane();
                assertThat(first).isNotNull();
                assertThat(second).isNotNull().isNotSameAs(first);
                assertThat(created.tryAcquireLane()).as("both lanes are taken").isNull();
                created.releaseLane(first);
                assertThat(created.tryAcquireLane()).isSameAs(first);
            }
        }
        assertThat(dir).doesNotExist();
    }

    @Test
    void aChannelWithoutLanesOrWithoutDoorbellsHandsOutNone() throws Exception {
        try (ChronicleChannel none = quiet(base.resolve("none"), "none-p").lanes(0).create(new RecordingHandler());
             ChronicleChannel noBells = quiet(base.resolve("nobells"), "nobells-p").lanes(2).doorbells(false)
                     .create(new RecordingHandler())) {
            assertThat(none.lanes()).isEmpty();
            assertThat(none.tryAcquireLane()).isNull();
            assertThat(noBells.lanes()).as("lanes need doorbells").isEmpty();
            assertThat(Lane.directory(base.resolve("nobells"), 0)).doesNotExist();
        }
        assertThatThrownBy(() -> ChronicleChannel.builder(base).lanes(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChronicleChannel.builder(base).lanes(ChronicleChannelBuilder.MAX_LANES + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFrameWakesTheOwnerAsleepOnTheLaneAndTheAnswerComesBackTheSameWay() throws Exception {
        Path dir = base.resolve("ping");
        try (ChronicleChannel created = quiet(dir, "ping-p").lanes(1).create(new RecordingHandler());
             ChronicleChannel attached = served(quiet(dir, "ping-c").attach(new RecordingHandler()))) {
            Lane peer = created.tryAcquireLane();
            Lane chaincode = attached.lanes().get(0);
            for (int round = 0; round < 3; round++) {
                CompletableFuture<byte[]> atChaincode = receiveAsleep(chaincode, "ping-chaincode-" + round);
                peer.send(text("request " + round));
                assertThat(text(atChaincode.get(WAIT_SECONDS, TimeUnit.SECONDS))).isEqualTo("request " + round);

                CompletableFuture<byte[]> atPeer = receiveAsleep(peer, "ping-peer-" + round);
                chaincode.send(text("answer " + round));
                assertThat(text(atPeer.get(WAIT_SECONDS, TimeUnit.SECONDS))).isEqualTo("answer " + round);
            }
            // polling (no saturation hint) reads what is already there at once
            peer.coresSaturated(false);
            chaincode.send(text("ready"));
            assertThat(text(peer.receive(TimeUnit.SECONDS.toNanos(WAIT_SECONDS)))).isEqualTo("ready");
        }
    }

    @Test
    void aReceiveWithNothingToReadReturnsNullOnceItsTimeIsUp() throws Exception {
        Path dir = base.resolve("timeout");
        try (ChronicleChannel created = quiet(dir, "timeout-p").lanes(1).create(new RecordingHandler());
             ChronicleChannel attached = served(quiet(dir, "timeout-c").attach(new RecordingHandler()))) {
            Lane peer = created.tryAcquireLane();
            peer.coresSaturated(true);
            long start = System.nanoTime();
            // asleep on the bell: the channel's liveness tick wakes it once the deadline has passed
            assertThat(peer.receive(TimeUnit.MILLISECONDS.toNanos(300))).isNull();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
            attached.lanes().get(0).send(text("late"));
            assertThat(text(peer.receive(TimeUnit.SECONDS.toNanos(WAIT_SECONDS)))).isEqualTo("late");
        }
    }

    @Test
    void theOtherEndReadsTheFramesSentBeforeACloseThenLearnsOfTheClose() throws Exception {
        Path dir = base.resolve("close");
        try (ChronicleChannel created = quiet(dir, "close-p").lanes(1).create(new RecordingHandler());
             ChronicleChannel attached = served(quiet(dir, "close-c").attach(new RecordingHandler()))) {
            Lane peer = created.tryAcquireLane();
            Lane chaincode = attached.lanes().get(0);
            peer.send(text("one"));
            peer.send(text("two"));
            peer.close();
            assertThat(peer.isOpen()).isFalse();
            assertThatThrownBy(() -> peer.send(text("three"))).isInstanceOf(ChannelClosedException.class);
            assertThat(text(chaincode.receive(FOREVER))).isEqualTo("one");
            assertThat(text(chaincode.receive(FOREVER))).isEqualTo("two");
            assertThatThrownBy(() -> chaincode.receive(FOREVER)).isInstanceOf(ChannelClosedException.class)
                    .satisfies(e -> assertThat(((ChannelClosedException) e).reason().kind())
                            .isEqualTo(CloseReason.Kind.REMOTE_CLOSE));
            assertThat(chaincode.isOpen()).isFalse();
            assertThatThrownBy(() -> chaincode.send(text("answer"))).isInstanceOf(ChannelClosedException.class);

            created.releaseLane(peer);
            assertThat(created.tryAcquireLane()).as("a closed lane is not handed out again").isNull();
        }
    }

    @Test
    void closingTheChannelWakesTheOwnersAsleepOnItsLanesOnBothSides() throws Exception {
        Path dir = base.resolve("wake");
        ChronicleChannel created = quiet(dir, "wake-p").lanes(2).create(new RecordingHandler());
        try (ChronicleChannel attached = served(quiet(dir, "wake-c").attach(new RecordingHandler()))) {
            Lane peer = created.tryAcquireLane();
            CompletableFuture<byte[]> peerSide = receiveAsleep(peer, "wake-peer-owner");
            CompletableFuture<byte[]> chaincodeSide = receiveAsleep(attached.lanes().get(1), "wake-chaincode-owner");
            created.close();
            for (CompletableFuture<byte[]> side : java.util.List.of(peerSide, chaincodeSide)) {
                assertThat(side).failsWithin(WAIT_SECONDS, TimeUnit.SECONDS).withThrowableOfType(Exception.class)
                        .havingCause().isInstanceOf(ChannelClosedException.class);
            }
        }
        assertThat(dir).doesNotExist();
        IpcThreads.assertNoneLeft("wake-p");
        IpcThreads.assertNoneLeft("wake-c");
        IpcThreads.assertNoneLeft("wake-peer-owner");
        IpcThreads.assertNoneLeft("wake-chaincode-owner");
    }

    @Test
    void whatALaneLeavesBehindIsReplacedLikeAChannelsRemainsButAnythingElseIsRefused() throws Exception {
        // a lane's close frame written just as the creator deleted the directory: its queue directory reappears
        Path dir = base.resolve("remains");
        Files.createDirectories(Lane.directory(dir, 1).resolve(ChannelDirectory.ATTACHER_TO_CREATOR));
        Files.createFile(Lane.directory(dir, 1).resolve(Lane.SERVED));
        try (ChronicleChannel created = quiet(dir, "remains-p").lanes(1).create(new RecordingHandler())) {
            assertThat(created.lanes()).hasSize(1);
            assertThat(Lane.directory(dir, 1)).doesNotExist();
        }

        Path foreign = base.resolve("foreign");
        Files.createDirectories(Lane.directory(foreign, 0));
        Files.writeString(Lane.directory(foreign, 0).resolve("notes.txt"), "not a channel's");
        assertThatThrownBy(() -> quiet(foreign, "foreign-p").lanes(1).create(new RecordingHandler()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not empty and holds no " + ChannelDirectory.PROPERTIES);
        assertThat(Lane.directory(foreign, 0).resolve("notes.txt")).as("nothing deleted").exists();
    }

    @Test
    void aFrameAboveTheChannelsMaximumIsRefusedAndTheLaneStaysUsable() throws Exception {
        Path dir = base.resolve("large");
        try (ChronicleChannel created = quiet(dir, "large-p").lanes(1).create(new RecordingHandler());
             ChronicleChannel attached = served(quiet(dir, "large-c").attach(new RecordingHandler()))) {
            Lane peer = created.tryAcquireLane();
            assertThatThrownBy(() -> peer.send(new byte[1025])).isInstanceOf(FrameTooLargeException.class);
            peer.send(new byte[1024]);
            assertThat(attached.lanes().get(0).receive(FOREVER)).hasSize(1024);
        }
    }
}
