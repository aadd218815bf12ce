package dev.fabricembedded.endorser.chaincode;

import dev.fabricembedded.endorser.runtime.ChaincodeRuntime;
import dev.fabricembedded.endorser.runtime.ChaincodeStartException;
import dev.fabricembedded.endorser.runtime.ExitStatus;
import dev.fabricembedded.endorser.runtime.LaunchSpec;
import dev.fabricembedded.endorser.runtime.RunningChaincode;
import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.FrameChannel;
import dev.fabricembedded.ipc.FrameHandler;
import dev.fabricembedded.ipc.chronicle.ChronicleChannel;
import dev.fabricembedded.ipc.injvm.ChannelPair;
import dev.fabricembedded.ipc.injvm.InJvmChannels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A chaincode runtime whose chaincodes are {@link ScriptedChaincode}s on in-JVM channels, or on Chronicle channels
 * whose both ends live in this JVM ({@link #overChronicle}, so that executions can lease the peer end's inbound
 * queue as with a chaincode process): the test plays the
 * chaincode's side of the protocol. By default a started chaincode sends REGISTER with its id; {@link #onStart}
 * replaces that for a chaincode name, {@link #failStart} makes the start itself fail. A started chaincode ends when
 * its channel closes (exit code 1, as a process that lost its peer).
 */
final class ScriptedRuntime implements ChaincodeRuntime {

    private final BlockingQueue<ScriptedChaincode> started = new LinkedBlockingQueue<>();
    private final Map<String, Consumer<ScriptedChaincode>> onStart = new ConcurrentHashMap<>();
    private final Map<String, String> failures = new ConcurrentHashMap<>();
    private final Set<Running> running = ConcurrentHashMap.newKeySet();
    private final AtomicInteger starts = new AtomicInteger();
    /** Where Chronicle channels are created, or null for in-JVM pairs. */
    private final Path chronicleDir;

    /** Chaincodes on in-JVM channel pairs. */
    ScriptedRuntime() {
        this(null);
    }

    private ScriptedRuntime(final Path chronicleDir) {
        this.chronicleDir = chronicleDir;
    }

    /** Chaincodes on Chronicle channels created under {@code dir}, both ends in this JVM. */
    static ScriptedRuntime overChronicle(final Path dir) {
        return new ScriptedRuntime(dir);
    }

    /** What a chaincode of this name does when started, instead of sending REGISTER. */
    ScriptedRuntime onStart(final String name, final Consumer<ScriptedChaincode> behaviour) {
        onStart.put(name, behaviour);
        return this;
    }

    /** Starting a chaincode of this name fails with this message. */
    ScriptedRuntime failStart(final String name, final String message) {
        failures.put(name, message);
        return this;
    }

    /** How many starts were attempted. */
    int starts() {
        return starts.get();
    }

    /** The next chaincode started (waits up to {@link ScriptedChaincode#WAIT}). */
    ScriptedChaincode nextStarted() throws InterruptedException {
        final ScriptedChaincode chaincode = started.poll(ScriptedChaincode.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (chaincode == null) {
            throw new AssertionError("no chaincode started within " + ScriptedChaincode.WAIT);
        }
        return chaincode;
    }

    @Override
    public RunningChaincode start(final LaunchSpec spec, final FrameHandler peerSideHandler) {
        starts.incrementAndGet();
        final String failure = failures.get(spec.name());
        if (failure != null) {
            throw new ChaincodeStartException("cannot start chaincode " + spec.chaincodeId() + ": " + failure);
        }
        final ScriptedChaincode chaincode = new ScriptedChaincode(spec.chaincodeId());
        final Running run = new Running(spec, chaincode);
        final FramesTo framesTo = new FramesTo(chaincode, run);
        if (chronicleDir == null) {
            final ChannelPair pair = InJvmChannels.pair(spec.chaincodeId(), peerSideHandler, framesTo);
            run.peerEnd = pair.first();
            run.chaincodeEnd = pair.second();
        } else {
            final Path dir = chronicleDir.resolve(spec.name() + "-" + starts.get());
            run.peerEnd = ChronicleChannel.builder(dir).name(spec.chaincodeId()).create(peerSideHandler);
            run.chaincodeEnd = ChronicleChannel.builder(dir).name(spec.chaincodeId() + "-cc").attach(framesTo);
        }
        chaincode.bind(run.chaincodeEnd);
        running.add(run);
        started.add(chaincode);
        onStart.getOrDefault(spec.name(), ScriptedChaincode::register).accept(chaincode);
        return run;
    }

    @Override
    public void close() {
        for (final Running run : List.copyOf(running)) {
            run.stop();
        }
    }

    /** Passes frames to the scripted chaincode and ends its run when the channel closes. */
    private record FramesTo(ScriptedChaincode chaincode, Running run) implements FrameHandler {
        @Override
        public void onFrame(final FrameChannel channel, final byte[] frame) {
            chaincode.onFrame(channel, frame);
        }

        @Override
        public void onClose(final FrameChannel channel, final CloseReason reason) {
            chaincode.onClose(channel, reason);
            run.ended(reason);
        }
    }

    private final class Running implements RunningChaincode {
        private final LaunchSpec spec;
        private final ScriptedChaincode chaincode;
        private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        private volatile FrameChannel peerEnd;
        private volatile FrameChannel chaincodeEnd;

        Running(final LaunchSpec spec, final ScriptedChaincode chaincode) {
            this.spec = spec;
            this.chaincode = chaincode;
        }

        void ended(final CloseReason reason) {
            // released off the event-loop thread, as a runtime does
            CompletableFuture.runAsync(() -> {
                closeBoth();
                running.remove(this);
                exit.complete(new ExitStatus(1, "scripted chaincode " + chaincode.chaincodeId() + " ended: " + reason,
                        List.of()));
            });
        }

        @Override
        public LaunchSpec spec() {
            return spec;
        }

        private void closeBoth() {
            peerEnd.close();
            chaincodeEnd.close();
        }

        @Override
        public FrameChannel channel() {
            return peerEnd;
        }

        @Override
        public CompletableFuture<ExitStatus> exit() {
            return exit;
        }

        @Override
        public void stop() {
            closeBoth();
            exit.join();
        }
    }
}
