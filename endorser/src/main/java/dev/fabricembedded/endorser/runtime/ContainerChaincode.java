package dev.fabricembedded.endorser.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.WaitResponse;
import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.FrameChannel;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A chaincode running in a Docker container ({@link DockerRuntime}).
 *
 * <p>The container cannot be watched by pid, so its end is learnt from {@code docker wait} (a docker-java callback
 * thread): on the runtime's exit thread the channel is then closed with {@code REMOTE_PROCESS_EXITED: container
 * exited with <code>} as the reason the peer's handler sees, the log stream is drained, the container is removed
 * and {@link #exit()} completes. Frames the chaincode wrote just before it died and that the peer had not read yet
 * when the exit was reported are dropped; a child process's channel, watching the process, delivers them.
 */
final class ContainerChaincode implements RunningChaincode {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerChaincode.class);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

    private final LaunchSpec spec;
    private final DockerClient docker;
    private final String containerId;
    private final String containerName;
    private final FrameChannel channel;
    private final ObservedHandler handler;
    private final ChaincodeOutput output;
    private final Duration stopGracePeriod;
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private volatile Closeable logStream;
    private volatile Closeable waitStream;

    ContainerChaincode(final LaunchSpec spec, final DockerClient docker, final String containerId,
            final String containerName, final FrameChannel channel, final ObservedHandler handler,
            final Duration stopGracePeriod) {
        this.spec = spec;
        this.docker = docker;
        this.containerId = containerId;
        this.containerName = containerName;
        this.channel = channel;
        this.handler = handler;
        this.output = new ChaincodeOutput(spec.chaincodeId());
        this.stopGracePeriod = stopGracePeriod;
    }

    /**
     * Follows the started container's output and waits for its exit; when it has exited, releases it on
     * {@code exitThread}, runs {@code released} and completes {@link #exit()}.
     */
    void follow(final Executor exitThread, final Consumer<ContainerChaincode> released) {
        final CompletableFuture<Void> logsDone = new CompletableFuture<>();
        logStream = docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withFollowStream(true)
                .exec(new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(final Frame frame) {
                        output.chunk(frame.getStreamType().name(), frame.getPayload());
                    }

                    @Override
                    public void onError(final Throwable error) {
                        LOG.debug("chaincode {}: log stream of container {} failed: {}", spec.chaincodeId(),
                                containerName, error.toString());
                        logsDone.complete(null);
                    }

                    @Override
                    public void onComplete() {
                        logsDone.complete(null);
                    }
                });
        final CompletableFuture<Integer> waited = new CompletableFuture<>();
        waitStream = docker.waitContainerCmd(containerId).exec(new ResultCallback.Adapter<WaitResponse>() {
            @Override
            public void onNext(final WaitResponse response) {
                waited.complete(response.getStatusCode());
            }

            @Override
            public void onError(final Throwable error) {
                LOG.warn("chaincode {}: lost track of container {}: {}", spec.chaincodeId(), containerName,
                        error.toString());
                waited.complete(-1);
            }

            @Override
            public void onComplete() {
                waited.complete(-1);
            }
        });
        waited.thenAcceptAsync(code -> exited(code, logsDone, released), exitThread);
    }

    private void exited(final int code, final CompletableFuture<Void> logsDone,
            final Consumer<ContainerChaincode> released) {
        final String message = "container exited with " + code;
        handler.remoteExited(new CloseReason(CloseReason.Kind.REMOTE_PROCESS_EXITED, message));
        channel.close();
        try {
            logsDone.get(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("chaincode {}: log stream of container {} not drained: {}", spec.chaincodeId(), containerName,
                    e.toString());
        }
        output.flush();
        closeQuietly(logStream);
        closeQuietly(waitStream);
        remove();
        final ExitStatus status = new ExitStatus(code, message, output.lastLines());
        ChaincodeExit.finish(this, released, status, containerName, LOG, exit);
    }

    /** Removes the container, running or not. */
    void remove() {
        try {
            docker.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // already gone
        } catch (DockerException e) {
            LOG.warn("chaincode {}: could not remove container {}: {}", spec.chaincodeId(), containerName,
                    e.getMessage());
        }
    }

    @Override
    public LaunchSpec spec() {
        return spec;
    }

    @Override
    public FrameChannel channel() {
        return channel;
    }

    @Override
    public CompletableFuture<ExitStatus> exit() {
        return exit;
    }

    /** The container's id. */
    String containerId() {
        return containerId;
    }

    @Override
    public void stop() {
        if (exit.isDone()) {
            return;
        }
        channel.close();
        try {
            exit.get(stopGracePeriod.toMillis(), TimeUnit.MILLISECONDS);
            return;
        } catch (TimeoutException e) {
            LOG.info("chaincode {}: container {} still running {} after its channel closed; stopping it",
                    spec.chaincodeId(), containerName, stopGracePeriod);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            remove();
            return;
        } catch (ExecutionException e) {
            LOG.debug("chaincode {}: exit failed", spec.chaincodeId(), e);
        }
        try {
            // SIGTERM, then SIGKILL after the timeout (whole seconds for Docker)
            docker.stopContainerCmd(containerId)
                    .withTimeout((int) Math.max(1, (stopGracePeriod.toMillis() + 999) / 1000)).exec();
        } catch (NotModifiedException | NotFoundException e) {
            // stopped or removed meanwhile
        } catch (DockerException e) {
            LOG.warn("chaincode {}: could not stop container {}: {}; removing it", spec.chaincodeId(), containerName,
                    e.getMessage());
            remove();
        }
        try {
            exit.get(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("chaincode {}: container {} not released within {}: {}", spec.chaincodeId(), containerName,
                    EXIT_TIMEOUT, e.toString());
            remove();
        }
    }

    private static void closeQuietly(final Closeable stream) {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                // the stream is done with either way
            }
        }
    }

    @Override
    public String toString() {
        return "chaincode " + spec.chaincodeId() + " (container " + containerName + ")";
    }
}
