package dev.fabricembedded.endorser.runtime;

import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.FrameChannel;
import dev.fabricembedded.ipc.FrameHandler;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The handler a runtime puts between a chaincode's channel and the peer's handler: it passes everything on, tells
 * the runtime when the channel has closed, and, when the runtime itself closed the channel because the chaincode's
 * container exited (a container cannot be watched like a child process), gives the peer's handler that reason
 * ({@code REMOTE_PROCESS_EXITED: container exited with 137}) instead of a bare local close.
 *
 * <p>Called on the channel's event-loop thread; {@link #remoteExited} on any thread before the runtime closes the
 * channel.
 */
final class ObservedHandler implements FrameHandler {

    private final FrameHandler peerSide;
    private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    private volatile CloseReason remoteExit;

    ObservedHandler(final FrameHandler peerSide) {
        this.peerSide = Objects.requireNonNull(peerSide, "peerSideHandler");
    }

    /** The chaincode's end is gone: a local close from now on is reported to the peer's handler as {@code reason}. */
    void remoteExited(final CloseReason reason) {
        this.remoteExit = reason;
    }

    /** Completes, after the peer's handler has seen {@code onClose}, with the reason it was given. */
    CompletableFuture<CloseReason> closed() {
        return closed;
    }

    @Override
    public void onFrame(final FrameChannel channel, final byte[] frame) {
        peerSide.onFrame(channel, frame);
    }

    @Override
    public void onClose(final FrameChannel channel, final CloseReason reason) {
        final CloseReason exit = remoteExit;
        final CloseReason effective = exit != null && reason.kind() == CloseReason.Kind.LOCAL_CLOSE ? exit : reason;
        try {
            peerSide.onClose(channel, effective);
        } finally {
            closed.complete(effective);
        }
    }
}
