package dev.fabricembedded.endorser.runtime;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a chaincode prints, forwarded line by line to the peer's log as {@code chaincode mycc:1.0 | <line>}, the
 * last {@value ExitStatus#MAX_OUTPUT_LINES} lines of stdout and stderr together kept for its {@link ExitStatus}.
 *
 * <p>Both of a chaincode's streams go to the same SLF4J logger (this class's) at INFO: the chaincode's own log
 * levels are already in its lines (its SLF4J binding writes them to stderr), so the peer does not guess. Threads:
 * {@link #pump} runs one named daemon thread per stream, which ends when the stream does; {@link #chunk} and
 * {@link #flush} are called by a runtime's own threads (container logs). The tail and the partial lines are guarded
 * by their own locks.
 */
final class ChaincodeOutput {

    private static final Logger LOG = LoggerFactory.getLogger(ChaincodeOutput.class);

    private final String chaincodeId;
    private final Deque<String> tail = new ArrayDeque<>(ExitStatus.MAX_OUTPUT_LINES);
    /** Incomplete last lines of chunked streams, by stream name. */
    private final Map<String, ByteArrayOutputStream> partial = new HashMap<>();

    ChaincodeOutput(final String chaincodeId) {
        this.chaincodeId = chaincodeId;
    }

    /**
     * Starts a daemon thread named {@code chaincode-<id>-<stream>} that forwards {@code in} until its end.
     *
     * @return the started thread
     */
    Thread pump(final InputStream in, final String stream) {
        final Thread thread = new Thread(() -> forward(in, stream), "chaincode-" + chaincodeId + "-" + stream);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void forward(final InputStream in, final String stream) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String text;
            while ((text = reader.readLine()) != null) {
                line(text);
            }
        } catch (IOException e) {
            // the process is gone and the JDK closed its pipe under us: nothing more to read
            LOG.debug("chaincode {}: {} ended: {}", chaincodeId, stream, e.toString());
        }
    }

    /**
     * Takes a chunk of a stream that does not arrive line by line (a container's log frames): complete lines are
     * logged, the rest waits for the next chunk or {@link #flush}.
     */
    void chunk(final String stream, final byte[] bytes) {
        final List<String> lines = new ArrayList<>();
        synchronized (partial) {
            final ByteArrayOutputStream pending = partial.computeIfAbsent(stream, s -> new ByteArrayOutputStream());
            for (final byte b : bytes) {
                if (b == '\n') {
                    lines.add(pending.toString(StandardCharsets.UTF_8));
                    pending.reset();
                } else {
                    pending.write(b);
                }
            }
        }
        lines.forEach(this::line);
    }

    /** Logs what {@link #chunk} still holds as incomplete lines. */
    void flush() {
        final List<String> lines = new ArrayList<>();
        synchronized (partial) {
            partial.values().stream().filter(p -> p.size() > 0)
                    .forEach(p -> lines.add(p.toString(StandardCharsets.UTF_8)));
            partial.clear();
        }
        lines.forEach(this::line);
    }

    /** Logs one line and keeps it in the tail. */
    void line(final String text) {
        LOG.info("chaincode {} | {}", chaincodeId, text);
        synchronized (tail) {
            if (tail.size() == ExitStatus.MAX_OUTPUT_LINES) {
                tail.removeFirst();
            }
            tail.addLast(text);
        }
    }

    /** The last lines, oldest first. */
    List<String> lastLines() {
        synchronized (tail) {
            return List.copyOf(tail);
        }
    }
}
