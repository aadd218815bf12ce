package dev.fabricembedded.jmh.ipc;

import java.nio.file.Path;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The floor under the channel: two bare Chronicle Queues and one spinning thread per process, the requester
 * reading its own reply (no framing, no ring, no event loop, no liveness). Not a usable transport; it shows
 * what the channel's extra threads cost on a given machine.
 */
final class RawQueuePingPong implements AutoCloseable {

    private final SingleChronicleQueue out;
    private final SingleChronicleQueue in;
    private final ExcerptAppender appender;
    private final ExcerptTailer tailer;

    RawQueuePingPong(Path dir, boolean requester) {
        Path ab = dir.resolve("requests");
        Path ba = dir.resolve("replies");
        this.out = SingleChronicleQueueBuilder.binary(requester ? ab : ba).rollCycle(RollCycles.FIVE_MINUTELY).build();
        this.in = SingleChronicleQueueBuilder.binary(requester ? ba : ab).rollCycle(RollCycles.FIVE_MINUTELY).build();
        this.appender = out.createAppender();
        this.tailer = in.createTailer();
    }

    void write(byte[] message) {
        try (DocumentContext dc = appender.writingDocument()) {
            dc.wire().bytes().write(message);
        }
    }

    /** Spins until a message arrives and reads it into {@code into}; gives up when {@code running} turns false. */
    boolean read(byte[] into, java.util.function.BooleanSupplier running) {
        while (running.getAsBoolean()) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (dc.isPresent()) {
                    dc.wire().bytes().read(into);
                    return true;
                }
            }
            Thread.onSpinWait();
        }
        return false;
    }

    @Override
    public void close() {
        tailer.close();
        appender.close();
        in.close();
        out.close();
    }
}
