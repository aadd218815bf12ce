package dev.fabricembedded.ipc.injvm;

import dev.fabricembedded.ipc.FrameChannel;
import java.util.Objects;

/**
 * The two connected ends of an in-JVM channel. Closing the pair closes both ends (the second first); each
 * end may also be closed on its own, which the other sees as {@link dev.fabricembedded.ipc.CloseReason.Kind#REMOTE_CLOSE}.
 *
 * @param first  the end whose handler was given first (typically the peer side)
 * @param second the other end (typically the chaincode side)
 */
public record ChannelPair(FrameChannel first, FrameChannel second) implements AutoCloseable {

    public ChannelPair {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
    }

    @Override
    public void close() {
        try {
            second.close();
        } finally {
            first.close();
        }
    }
}
