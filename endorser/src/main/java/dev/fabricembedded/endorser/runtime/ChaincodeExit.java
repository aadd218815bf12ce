package dev.fabricembedded.endorser.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * The last step of every {@link RunningChaincode}'s end, the same for processes, containers and in-process
 * chaincodes: the runtime forgets the chaincode, the end is logged (INFO for exit code 0, WARN otherwise), and only
 * then does {@link RunningChaincode#exit()} complete, so whoever waits on it finds the runtime already released.
 * Runs on the runtime's exit thread.
 */
final class ChaincodeExit {

    private ChaincodeExit() {
    }

    /**
     * @param chaincode the chaincode that ended
     * @param released  the runtime's release callback; a failure there is logged, never propagated
     * @param status    how it ended
     * @param detail    appended to the log line in brackets (e.g. the container name), or {@code null}
     * @param log       the caller's logger, so log lines keep their origin
     * @param exit      the future to complete with {@code status}
     */
    static <T extends RunningChaincode> void finish(final T chaincode, final Consumer<? super T> released,
            final ExitStatus status, final String detail, final Logger log, final CompletableFuture<ExitStatus> exit) {
        final String id = chaincode.spec().chaincodeId();
        try {
            released.accept(chaincode);
        } catch (RuntimeException e) {
            log.warn("chaincode {}: releasing failed", id, e);
        }
        final String message = detail == null ? status.message() : status.message() + " (" + detail + ")";
        if (status.code() == 0) {
            log.info("chaincode {}: {}", id, message);
        } else {
            log.warn("chaincode {}: {}", id, message);
        }
        exit.complete(status);
    }
}
