package dev.fabricembedded.shim.impl;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.ipc.ChannelClosedException;
import dev.fabricembedded.ipc.WaitStrategy;
import dev.fabricembedded.ipc.chronicle.CpuBinding;
import dev.fabricembedded.ipc.chronicle.Lane;
import dev.fabricembedded.shim.Chaincode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one {@link Lane} of the chaincode's channel on a thread of its own ({@code chaincode-<name:version>-lane-<n>}):
 * reads INIT or TRANSACTION and runs the invocation right there, its ledger requests and their answers crossing the
 * same lane ({@link TransactionContext}), so each frame of the conversation wakes exactly the thread that consumes it:
 * no event loop and no hand-off to a worker in between. The peer sends one conversation at a time on a lane, so one
 * thread per lane is all it needs. The thread runs on the lane's home CPU only ({@link Lane#bindToHomeCpu()}), where
 * the peer's thread runs its side of the conversation, so the hand-offs never wake another CPU. A thread the chaincode
 * starts during an invocation inherits that single CPU (Linux threads inherit their creator's CPU mask); a chaincode
 * that starts threads should start them in its constructor, or the peer should turn lane affinity off. Ends when the
 * lane closes (the channel closes its lanes when it ends for any reason).
 */
final class LaneServer implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(LaneServer.class);

    private final Lane lane;
    private final Chaincode chaincode;
    private final WaitStrategy waitStrategy;
    private final boolean completeFailedInvokes;
    /**
     * Where a finished context announces itself (the event loop's reaper reads the workers'); nothing to reap here:
     * the context is this thread's, for one invocation. Used by this thread only.
     */
    private final Queue<TransactionContext> finished = new ArrayDeque<>(1);

    private LaneServer(final Lane lane, final Chaincode chaincode, final WaitStrategy waitStrategy,
            final boolean completeFailedInvokes) {
        this.lane = lane;
        this.chaincode = chaincode;
        this.waitStrategy = waitStrategy;
        this.completeFailedInvokes = completeFailedInvokes;
    }

    /**
     * Announces every lane served and starts a daemon thread per lane; the chaincode's invocations follow the same
     * rules as on the workers. Called before REGISTER, so the peer finds the lanes served once the chaincode is ready.
     */
    static List<Thread> startAll(final String chaincodeId, final List<Lane> lanes, final Chaincode chaincode,
            final WaitStrategy waitStrategy, final boolean completeFailedInvokes) {
        final List<Thread> threads = new ArrayList<>(lanes.size());
        for (int i = 0; i < lanes.size(); i++) {
            lanes.get(i).announceServed();
            final Thread thread = new Thread(new LaneServer(lanes.get(i), chaincode, waitStrategy,
                    completeFailedInvokes), "chaincode-" + chaincodeId + "-lane-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        return List.copyOf(threads);
    }

    /**
     * Interrupts the lanes' threads (their lanes are closed already, so an idle one has ended or is ending) and waits
     * for them up to {@code timeout} in all, as the connection does for its workers; a chaincode that ignores the
     * interrupt is left behind (a daemon thread) with a warning.
     */
    static void stop(final List<Thread> threads, final Duration timeout) {
        final List<String> left = InvocationWorkers.interruptAndJoin(threads, timeout);
        if (!left.isEmpty()) {
            LOG.warn("lane thread(s) {} still running {} after close (chaincode ignoring interrupts)", left, timeout);
        }
    }

    @Override
    public void run() {
        // for the thread's life (it ends with the lane): the peer's thread runs its side of each conversation there too
        final CpuBinding home = lane.bindToHomeCpu();
        LOG.debug("lane {} served on {}", lane.name(), home.isBound() ? "CPU " + home.cpu() : "any CPU");
        while (true) {
            final byte[] frame;
            try {
                frame = lane.receive(Long.MAX_VALUE);
            } catch (ChannelClosedException e) {
                LOG.debug("lane {} ended: {}", lane.name(), e.getMessage());
                return;
            }
            if (frame == null) {
                continue;
            }
            final ChaincodeMessage message;
            try {
                message = ChaincodeMessage.parseFrom(frame);
            } catch (InvalidProtocolBufferException e) {
                LOG.warn("lane {}: received a frame that is not a ChaincodeMessage; ignored", lane.name());
                continue;
            }
            if (message.getType() != ChaincodeMessage.Type.INIT && message.getType() != ChaincodeMessage.Type.TRANSACTION) {
                // a late answer to a request of an invocation that has ended (it failed or was abandoned)
                LOG.warn("lane {}: {} for {} with no invocation waiting for it; ignored", lane.name(), message.getType(),
                        TxKey.of(message));
                continue;
            }
            Thread.interrupted(); // an interrupt meant for the previous invocation
            final TransactionContext context = new TransactionContext(TxKey.of(message), lane, waitStrategy, finished);
            new ChaincodeInvocation(message, context, chaincode, lane, completeFailedInvokes).run();
            finished.clear();
        }
    }
}
