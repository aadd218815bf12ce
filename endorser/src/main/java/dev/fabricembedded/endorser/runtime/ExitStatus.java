package dev.fabricembedded.endorser.runtime;

import java.util.List;
import java.util.Objects;

/**
 * How a running chaincode ended: the exit code of its process or container and a message for the peer's errors
 * and logs, plus the last lines it printed, where the reason for a failed start usually is.
 *
 * <p>Messages follow Fabric where Fabric has one: a container gives {@code container exited with 137} (the text
 * Fabric's launch reports); a child process {@code chaincode process 4242 exited with 137}; an in-process
 * chaincode {@code in-process chaincode lscc:1.4.0 ended: LOCAL_CLOSE: closed by its owner}.
 *
 * @param code       the exit code (128 + signal number for a process killed by a signal); for an in-process
 *                   chaincode 0 when its channel closed in an orderly way, 1 otherwise
 * @param message    one line naming what ended and how
 * @param lastOutput the last lines the chaincode wrote to stdout and stderr, oldest first (at most
 *                   {@value #MAX_OUTPUT_LINES}); empty for in-process chaincodes
 */
public record ExitStatus(int code, String message, List<String> lastOutput) {

    /** How many output lines an exit status keeps. */
    public static final int MAX_OUTPUT_LINES = 20;

    public ExitStatus {
        Objects.requireNonNull(message, "message");
        lastOutput = List.copyOf(lastOutput);
    }

    @Override
    public String toString() {
        return message;
    }
}
