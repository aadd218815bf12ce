package dev.fabricembedded.endorser.chaincode;

import dev.fabricembedded.endorser.runtime.ChaincodeRuntime;
import dev.fabricembedded.endorser.runtime.CodePackageFiles;
import dev.fabricembedded.endorser.runtime.FileTree;
import dev.fabricembedded.endorser.runtime.InProcessRuntime;
import dev.fabricembedded.endorser.runtime.LaunchSpec;
import dev.fabricembedded.ipc.chronicle.CpuBinding;
import dev.fabricembedded.scc.ccprovider.ChaincodePackage;
import dev.fabricembedded.scc.ccprovider.ChaincodePackageStore;
import dev.fabricembedded.scc.ccprovider.InvalidChaincodeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts chaincodes and waits until they are ready (Fabric's {@code RuntimeLauncher}, §3.2 of the reference).
 *
 * <p>One launch per {@code name:version}: the first caller creates the launch state, fetches the code package from the
 * installed package store ({@code ccprovider}), writes
 * it out and has the runtime start the chaincode on a launch thread; every caller then waits on the same state, which
 * the chaincode's REGISTER (through its handler) marks ready or failed, and its exit marks failed
 * ({@code container exited with <code>}). The first caller alone also watches the start itself
 * ({@code error starting container: ...}) and the start-up timer
 * ({@code timeout expired while starting chaincode <cname> for transaction}); on any failure it removes the launch
 * from the registry and stops what was started, so that the next proposal launches afresh.
 *
 * <p>System chaincodes start in the system runtime (in-process, Go shim convention), chaincode objects registered by
 * the host in the in-process runtime, every other chaincode from its package with the configured runtime. Threads: named daemon threads
 * {@code chaincode-launch-<n>} run the runtimes' start and stop calls, which may block (a container build, a stop
 * grace period). The set of launches is concurrent.
 */
final class RuntimeLauncher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RuntimeLauncher.class);
    /** Extra wait of a launch's other callers beyond the start-up timeout, in case its first caller vanished. */
    private static final Duration FOLLOWER_GRACE = Duration.ofSeconds(30);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

    private final HandlerRegistry registry;
    private final ChaincodeRuntime runtime;
    private final InProcessRuntime inProcessRuntime;
    private final InProcessRuntime systemRuntime;
    private final ChaincodePackageStore packages;
    private final Duration startupTimeout;
    private final Path workDir;
    private final boolean ownsWorkDir;
    private final Function<LaunchedChaincode, Handler> handlers;
    private final ExecutorService launchThreads;
    private final Set<LaunchedChaincode> launches = ConcurrentHashMap.newKeySet();
    private final AtomicLong packageSequence = new AtomicLong();

    RuntimeLauncher(final HandlerRegistry registry, final ChaincodeRuntime runtime,
            final InProcessRuntime inProcessRuntime, final InProcessRuntime systemRuntime,
            final ChaincodePackageStore packages, final Duration startupTimeout,
            final Path workDir, final Function<LaunchedChaincode, Handler> handlers) {
        this.registry = registry;
        this.runtime = runtime;
        this.inProcessRuntime = inProcessRuntime;
        this.systemRuntime = systemRuntime;
        this.packages = packages;
        this.startupTimeout = startupTimeout;
        this.handlers = handlers;
        try {
            if (workDir == null) {
                this.workDir = Files.createTempDirectory("fabric-embedded-packages-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                this.ownsWorkDir = true;
            } else {
                this.workDir = Files.createDirectories(workDir.toAbsolutePath().normalize());
                this.ownsWorkDir = false;
                // what the launches of a run that crashed left: each launch's directory is deleted when it ends
                try (DirectoryStream<Path> stale = Files.newDirectoryStream(this.workDir)) {
                    for (final Path entry : stale) {
                        deleteRecursively(entry);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the chaincode package directory: " + e.getMessage(), e);
        }
        final AtomicInteger threads = new AtomicInteger();
        this.launchThreads = Executors.newCachedThreadPool(runnable -> {
            // started on demand, possibly by an executing thread bound to a lane's home CPU: not bound with it
            final Thread thread = new Thread(CpuBinding.droppingInherited(runnable), "chaincode-launch-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Where code packages are written out while their chaincodes run. */
    Path workDir() {
        return workDir;
    }

    /** Launches in progress or running. */
    List<LaunchedChaincode> launches() {
        return List.copyOf(launches);
    }

    /**
     * Launches {@code name:version} unless a launch is under way (then waits for it), and returns once it is ready.
     *
     * @throws ChaincodeException with Fabric's launch texts: {@code failed to get chaincode package: ...},
     *                            {@code error starting container: ...},
     *                            {@code timeout expired while starting chaincode <cname> for transaction},
     *                            {@code chaincode registration failed: ...}
     */
    void launch(final String name, final String version) throws ChaincodeException {
        final String cname = name + ":" + version;
        final HandlerRegistry.Launching launching = registry.launching(cname);
        final LaunchState state = launching.state();
        LaunchedChaincode launched = null;
        if (!launching.alreadyStarted()) {
            try {
                launched = start(name, version, state);
            } catch (ChaincodeException e) {
                state.notify(e.getMessage());
                registry.deregisterLaunch(cname, state);
                throw e;
            }
        }
        final String error;
        try {
            error = launched != null ? awaitAsFirst(cname, launched) : awaitAsFollower(cname, state);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (launched != null) {
                abandon(cname, launched, "interrupted while starting chaincode " + cname);
            }
            throw new ChaincodeException("interrupted while starting chaincode " + cname);
        }
        if (error != null) {
            if (launched != null) {
                abandon(cname, launched, error);
            }
            throw new ChaincodeException(error);
        }
    }

    private LaunchedChaincode start(final String name, final String version, final LaunchState state)
            throws ChaincodeException {
        final String cname = name + ":" + version;
        final boolean system = systemRuntime.isRegistered(name, version);
        final boolean inProcess = system || inProcessRuntime.isRegistered(name, version);
        final byte[] codePackage;
        if (inProcess) {
            codePackage = null;
        } else {
            codePackage = codePackage(name, version);
        }
        final LaunchedChaincode launched = new LaunchedChaincode(cname, state, launches::remove);
        launches.add(launched);
        final Handler handler = handlers.apply(launched);
        final ChaincodeRuntime target = system ? systemRuntime : inProcess ? inProcessRuntime : runtime;
        try {
            launchThreads.execute(() -> {
                try {
                    final LaunchSpec.Builder spec = LaunchSpec.builder(name, version);
                    if (codePackage != null) {
                        final CodePackageFiles files = CodePackageFiles.materialize(codePackage,
                                workDir.resolve(name + "-" + version + "-" + packageSequence.incrementAndGet()));
                        launched.files(files);
                        spec.packageJars(files.jars());
                    }
                    launched.started(target.start(spec.build(), handler), launchThreads);
                } catch (RuntimeException e) {
                    LOG.warn("chaincode {} could not be started: {}", cname, e.getMessage());
                    launched.startFailed(e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            launched.startFailed("chaincode support is closed");
        }
        return launched;
    }

    /** Fabric's {@code GetChaincodeCodePackage}: the code package of the installed deployment spec. */
    private byte[] codePackage(final String name, final String version) throws ChaincodeException {
        if (packages == null) {
            throw new ChaincodeException("failed to get chaincode package: no chaincode is installed on this peer");
        }
        final Optional<ChaincodePackage> installed;
        try {
            installed = packages.get(name, version);
        } catch (InvalidChaincodeException e) {
            throw new ChaincodeException("failed to get chaincode package: " + e.getMessage(), e);
        }
        return installed.orElseThrow(() -> new ChaincodeException("failed to get chaincode package: chaincode "
                        + name + ":" + version + " is not installed"))
                .deploymentSpec().getCodePackage().toByteArray();
    }

    /** The first caller waits for the launch state, the start and the start-up timer, whichever comes first. */
    private String awaitAsFirst(final String cname, final LaunchedChaincode launched) throws InterruptedException {
        final LaunchState state = launched.state();
        String own = null;
        try {
            CompletableFuture.anyOf(state.outcome(), launched.startFailure())
                    .get(startupTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            own = "timeout expired while starting chaincode " + cname + " for transaction";
        } catch (ExecutionException e) {
            throw new IllegalStateException("launch futures never fail exceptionally", e);
        }
        if (own == null && !state.isDone()) {
            own = "error starting container: " + launched.startFailure().join();
        }
        if (own != null) {
            state.notify(own);
        }
        final Optional<String> failure = state.outcome().join();
        if (failure.isEmpty()) {
            return null;
        }
        // the first caller reports its own timer and start failure as they are, what the launch state says wrapped
        return failure.get().equals(own) ? own : "chaincode registration failed: " + failure.get();
    }

    private String awaitAsFollower(final String cname, final LaunchState state) throws InterruptedException {
        final Optional<String> failure = state.await(startupTimeout.plus(FOLLOWER_GRACE).toNanos());
        if (failure == null) {
            return "timeout expired while starting chaincode " + cname + " for transaction";
        }
        return failure.map(error -> "chaincode registration failed: " + error).orElse(null);
    }

    /** A failed launch: forget it, and stop whatever was started. */
    private void abandon(final String cname, final LaunchedChaincode launched, final String error) {
        LOG.warn("launching chaincode {} failed: {}", cname, error);
        launched.state().notify(error);
        registry.deregisterLaunch(cname, launched.state());
        launched.stop(launchThreads);
    }

    /** A chaincode's stream ended: make sure what runs it stops too (it may outlive a broken stream). */
    void streamEnded(final LaunchedChaincode launched) {
        launched.stop(launchThreads);
    }

    /**
     * Stops every chaincode (closing the runtimes, in-process last), waits for the launch threads, and deletes the
     * package files.
     */
    @Override
    public void close() {
        try {
            runtime.close();
        } catch (RuntimeException e) {
            LOG.warn("closing the chaincode runtime failed", e);
        }
        for (final InProcessRuntime inProcess : new InProcessRuntime[] {inProcessRuntime, systemRuntime}) {
            try {
                inProcess.close();
            } catch (RuntimeException e) {
                LOG.warn("closing an in-process chaincode runtime failed", e);
            }
        }
        launchThreads.shutdown();
        try {
            if (!launchThreads.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("chaincode launch threads still busy {} after close; interrupting them", CLOSE_TIMEOUT);
                launchThreads.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            launchThreads.shutdownNow();
        }
        for (final LaunchedChaincode launched : launches()) {
            launched.deleteFiles();
        }
        if (ownsWorkDir) {
            deleteRecursively(workDir);
        }
    }

    private static void deleteRecursively(final Path root) {
        try {
            FileTree.delete(root);
        } catch (IOException e) {
            LOG.warn("could not delete the chaincode package directory {}: {}", root, e.toString());
        }
    }
}
