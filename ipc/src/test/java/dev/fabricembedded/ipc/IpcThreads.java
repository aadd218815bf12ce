package dev.fabricembedded.ipc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Looks for live threads a channel started, by the {@code ipc-<name>-} prefix every one of them carries. */
public final class IpcThreads {

    private IpcThreads() {
    }

    public static List<String> alive(String channelName) {
        String prefix = "ipc-" + channelName + "-";
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith(prefix))
                .sorted()
                .collect(Collectors.toList());
    }

    /** Waits (bounded) for threads that are already ending, then asserts none is left. */
    public static void assertNoneLeft(String channelName) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!alive(channelName).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(alive(channelName)).as("threads of channel %s still alive", channelName).isEmpty();
    }
}
