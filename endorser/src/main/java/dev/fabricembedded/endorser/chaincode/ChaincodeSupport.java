package dev.fabricembedded.endorser.chaincode;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.endorser.runtime.ChaincodeRuntime;
import dev.fabricembedded.endorser.runtime.InProcessRuntime;
import dev.fabricembedded.endorser.runtime.ProcessRuntime;
import dev.fabricembedded.ipc.FrameHandler;
import dev.fabricembedded.ipc.WaitStrategy;
import dev.fabricembedded.ipc.chronicle.CpuBinding;
import dev.fabricembedded.ledger.txmgr.QueryExecutor;
import dev.fabricembedded.scc.ccprovider.ChaincodeData;
import dev.fabricembedded.scc.ccprovider.ChaincodePackageStore;
import dev.fabricembedded.shim.Chaincode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hyperledger.fabric.protos.peer.ChaincodeDeploymentSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer's chaincode support (Fabric's {@code core/chaincode.ChaincodeSupport}, §3 of the reference): launches
 * chaincodes, speaks Fabric's chaincode protocol to them, and executes their Init and Invoke for the endorser.
 *
 * <pre>{@code
 * try (ChaincodeSupport support = ChaincodeSupport.builder()
 *         .runtime(ProcessRuntime.builder().channelBaseDir(data.resolve("chaincode-channels")).build())
 *         .packages(packageStore)          // code packages of installed chaincodes
 *         .lifecycle(lscc)                 // chaincode definitions on the channels
 *         .systemChaincode(new SystemChaincode("lscc", lscc, true, true))
 *         .build();
 *      TxSimulator simulator = ledger.newTxSimulator(txId)) {
 *     ChaincodeResult result = support.execute(ChaincodeContext.builder("mychannel", "mycc", "1.0", txId)
 *             .signedProposal(signedProposal, proposal).simulator(simulator).build(), input);
 * }
 * }</pre>
 *
 * <p>Guarantees, as Fabric:
 * <ul>
 * <li>one launch per {@code name:version}, however many proposals race for it: the first starts the runtime, the
 * others wait on the same launch; a launch that does not reach READY within the start-up timeout fails with
 * {@code timeout expired while starting chaincode <cname> for transaction} and is stopped;</li>
 * <li>a chaincode registers only if it was launched (or in {@link ChaincodeMode#DEV dev mode}), and only once;</li>
 * <li>an execution waits at most the execute timeout ({@code timeout expired while executing transaction}); an answer
 * arriving later is ignored;</li>
 * <li>when a chaincode's stream ends (process exit, kill, protocol violation) it is deregistered, every execution
 * waiting on it fails with {@code chaincode stream terminated}, and the next execution launches it again;</li>
 * <li>the chaincode's reads and writes go to the execution's simulator, and those of the chaincodes it calls on the
 * same channel to the same simulator, under the same transaction id.</li>
 * </ul>
 *
 * <p>System chaincodes run in-process ({@link InProcessRuntime}) under the peer's system chaincode version; other
 * chaincodes registered with the in-process runtime run there too; every other chaincode is started from its
 * installed package by the configured {@link ChaincodeRuntime} ({@link ProcessRuntime} by default).
 *
 * <p>Threads: {@link #execute} blocks the calling thread until the chaincode answers. Each chaincode connection's
 * handler runs on that connection's event-loop thread; chaincode-to-chaincode calls run on named daemon workers
 * ({@code chaincode-invoke-<n>}), runtime starts and stops on {@code chaincode-launch-<n>}, keepalives (if enabled)
 * on {@code chaincode-keepalive}. {@link #close()} stops every chaincode, fails what still waits, and ends every
 * thread it started; it takes ownership of the runtimes given to the builder and closes them.
 */
public final class ChaincodeSupport implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChaincodeSupport.class);

    /** Fabric's {@code chaincode.startuptimeout} default. */
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(300);
    /** The smallest start-up timeout; smaller ones are raised to it, as in Fabric. */
    public static final Duration MIN_STARTUP_TIMEOUT = Duration.ofSeconds(5);
    /** Fabric's {@code chaincode.executetimeout} default, also used for any value below one second. */
    public static final Duration DEFAULT_EXECUTE_TIMEOUT = Duration.ofSeconds(30);
    /** Fabric's sample {@code ledger.state.totalQueryLimit}: results one query may return in all. */
    public static final int DEFAULT_TOTAL_QUERY_LIMIT = 100_000;
    /** The system chaincode version: the Fabric release whose behaviour this peer follows. */
    public static final String DEFAULT_SYSTEM_CHAINCODE_VERSION = "1.4.12";

    static final String STREAM_TERMINATED = "chaincode stream terminated";

    private final Duration startupTimeout;
    private final Duration executeTimeout;
    private final Duration keepalive;
    private final WaitStrategy executionWaitStrategy;
    private final ChaincodeMode mode;
    private final int totalQueryLimit;
    private final SystemChaincodes systemChaincodes;
    private final Lifecycle lifecycle;
    private final AclProvider acl;
    private final LedgerGetter ledgers;
    private final ApplicationConfigRetriever applicationConfig;
    private final HandlerRegistry registry;
    private final QueryResponseGenerator queryResponses;
    private final RuntimeLauncher launcher;
    private final ExecutorService invokeWorkers;
    private final ProposalLoad proposalLoad;
    private final ScheduledExecutorService keepaliveTimer;
    private final Object lifecycleLock = new Object();
    /** Guarded by {@link #lifecycleLock}. */
    private boolean closed;

    private ChaincodeSupport(final Builder builder, final ChaincodeRuntime runtime,
            final InProcessRuntime inProcessRuntime) {
        this.startupTimeout = builder.startupTimeout;
        this.executeTimeout = builder.executeTimeout;
        this.keepalive = builder.keepalive;
        this.executionWaitStrategy = builder.executionWaitStrategy;
        this.proposalLoad = new ProposalLoad(builder.saturationThreshold);
        this.mode = builder.mode;
        this.totalQueryLimit = builder.totalQueryLimit;
        this.systemChaincodes = new SystemChaincodes(builder.systemChaincodeVersion, builder.systemChaincodes);
        this.lifecycle = builder.lifecycle != null ? builder.lifecycle : new LsccLifecycle(builder.packages);
        this.acl = builder.acl;
        this.ledgers = builder.ledgers;
        this.applicationConfig = builder.applicationConfig;
        this.registry = new HandlerRegistry(builder.mode == ChaincodeMode.DEV);
        this.queryResponses = new QueryResponseGenerator(QueryResponseGenerator.MAX_RESULT_LIMIT);
        // Fabric's system chaincodes use the Go shim: an Invoke with status 500 is COMPLETED, judged by the endorser
        final InProcessRuntime systemRuntime = InProcessRuntime.builder()
                .connectionSettings(connection -> connection.completeFailedInvokes(true)).build();
        for (final SystemChaincode chaincode : systemChaincodes.all()) {
            systemRuntime.register(chaincode.name(), systemChaincodes.version(), chaincode.chaincode());
        }
        for (final InProcessChaincode chaincode : builder.inProcessChaincodes) {
            inProcessRuntime.register(chaincode.name(), chaincode.version(), chaincode.chaincode());
        }
        try {
            this.launcher = new RuntimeLauncher(registry, runtime, inProcessRuntime, systemRuntime, builder.packages,
                    startupTimeout, builder.packageDir, launched -> new Handler(this, launched));
        } catch (RuntimeException e) {
            systemRuntime.close();
            throw e;
        }
        final AtomicInteger workers = new AtomicInteger();
        this.invokeWorkers = Executors.newCachedThreadPool(runnable -> {
            // started on demand, possibly by an executing thread bound to a lane's home CPU: not bound with it
            final Thread thread = new Thread(CpuBinding.droppingInherited(runnable), "chaincode-invoke-" + workers.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        if (keepalive.isZero()) {
            this.keepaliveTimer = null;
        } else {
            final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
                final Thread thread = new Thread(runnable, "chaincode-keepalive");
                thread.setDaemon(true);
                return thread;
            });
            timer.setRemoveOnCancelPolicy(true);
            this.keepaliveTimer = timer;
        }
    }

    /** A builder with Fabric's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    // ---- executing ----

    /**
     * Executes the chaincode of {@code context}: launches it if it is not running, sends INIT (when
     * {@link ChaincodeContext#isInit()}) or TRANSACTION with {@code input}, the transaction id, the channel and the
     * signed proposal, serves its requests from the context's simulator, and returns its answer.
     *
     * @return the chaincode's response (any status) when it answered COMPLETED
     * @throws ChaincodeException with Fabric's text: {@code transaction returned with failure: <message>} when it
     *                            answered ERROR (the shims do for a status of 500 or more), {@code failed to execute
     *                            transaction <txid>: ...} when it could not be launched, did not answer in time or its
     *                            stream ended; for INIT, launch failures unwrapped (Fabric's legacy init)
     */
    public ChaincodeResult execute(final ChaincodeContext context, final ChaincodeInput input)
            throws ChaincodeException {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(input, "input");
        ensureOpen();
        final ChaincodeMessage answer;
        if (context.isInit()) {
            final Handler handler = launchInit(context);
            try {
                answer = send(handler, ChaincodeMessage.Type.INIT, context, input);
            } catch (ChaincodeException e) {
                throw e.wrap("failed to execute transaction " + context.txId());
            }
        } else {
            try {
                answer = invoke(context, input);
            } catch (ChaincodeException e) {
                throw e.wrap("failed to execute transaction " + context.txId());
            }
        }
        return result(context.txId(), context.name(), answer);
    }

    /**
     * Fabric's {@code ExecuteLegacyInit}: runs the INIT of a chaincode being instantiated or upgraded, with the Init
     * arguments of its (sanitized) deployment spec, launching {@code context}'s {@code name:version} from its
     * installed package without looking up a definition (there is none yet on the ledger).
     *
     * @see #execute
     */
    public ChaincodeResult executeLegacyInit(final ChaincodeContext context, final ChaincodeDeploymentSpec spec)
            throws ChaincodeException {
        Objects.requireNonNull(spec, "spec");
        final ChaincodeContext init = context.isInit() ? context : new ChaincodeContext(context.channelId(),
                context.name(), context.version(), context.txId(), context.signedProposal(), context.proposal(),
                context.simulator(), context.historyExecutor(), true);
        return execute(init, spec.getChaincodeSpec().getInput());
    }

    /**
     * Launches {@code name:version} for a transaction on {@code channelId} unless it is running (Fabric's
     * {@code Launch}): the version to start comes from {@link Lifecycle#chaincodeContainerInfo} (system chaincodes
     * excepted), and this returns once the chaincode is ready.
     *
     * @param qe the transaction's simulator or query executor, for the definition lookup (may be null)
     * @throws ChaincodeException {@code [channel <ch>] could not launch chaincode <cname>: ...} and friends
     */
    public void launch(final String channelId, final String name, final String version, final QueryExecutor qe)
            throws ChaincodeException {
        ensureOpen();
        launchHandler(channelId, name, version, qe);
    }

    /** Whether {@code name:version} is registered and ready. */
    public boolean isRunning(final String name, final String version) {
        return registry.handler(name + ":" + version) != null;
    }

    /**
     * The handler for a chaincode connection the peer did not launch (Fabric's {@code HandleChaincodeStream}): the
     * peer's end of a channel to a chaincode started by someone else, e.g. a developer in
     * {@link ChaincodeMode#DEV dev mode}. In net mode such a chaincode's REGISTER is refused (and its stream ended)
     * unless a launch of its {@code name:version} is under way.
     */
    public FrameHandler newConnectionHandler() {
        ensureOpenUnchecked();
        return new Handler(this, null);
    }

    /** Fabric's {@code Invoke}: launch if needed and send TRANSACTION; the chaincode's answer as it came. */
    ChaincodeMessage invoke(final ChaincodeContext context, final ChaincodeInput input) throws ChaincodeException {
        final Handler handler = launchHandler(context.channelId(), context.name(), context.version(),
                context.simulator());
        return send(handler, ChaincodeMessage.Type.TRANSACTION, context, input);
    }

    private ChaincodeMessage send(final Handler handler, final ChaincodeMessage.Type type,
            final ChaincodeContext context, final ChaincodeInput input) throws ChaincodeException {
        final ChaincodeMessage message = ChaincodeMessage.newBuilder()
                .setType(type)
                .setPayload(input.toByteString())
                .setTxid(context.txId())
                .setChannelId(context.channelId())
                .build();
        try {
            return handler.execute(context, message, executeTimeout);
        } catch (ChaincodeException e) {
            throw e.wrap("error sending");
        }
    }

    private Handler launchHandler(final String channelId, final String name, final String version,
            final QueryExecutor qe) throws ChaincodeException {
        final String cname = name + ":" + version;
        final Handler running = registry.handler(cname);
        if (running != null) {
            return running;
        }
        final ChaincodeContainerInfo container;
        if (systemChaincodes.get(name).isPresent() && version.equals(systemChaincodes.version())) {
            container = new ChaincodeContainerInfo(name, version);
        } else {
            try {
                synchronized (qe == null ? new Object() : qe) {
                    container = lifecycle.chaincodeContainerInfo(channelId, name, qe);
                }
            } catch (ChaincodeException e) {
                if (mode == ChaincodeMode.DEV) {
                    LOG.error("You are attempting to perform an action other than Deploy on Chaincode that is not"
                            + " ready and you are in developer mode. Did you forget to Deploy your chaincode?");
                }
                throw e.wrap("[channel " + channelId + "] failed to get chaincode container info for " + cname);
            }
        }
        try {
            launcher.launch(container.name(), container.version());
        } catch (ChaincodeException e) {
            throw e.wrap("[channel " + channelId + "] could not launch chaincode " + cname);
        }
        return handlerAfterLaunch(channelId, cname);
    }

    /** Fabric's {@code LaunchInit}: no definition lookup, and launch errors unwrapped. */
    private Handler launchInit(final ChaincodeContext context) throws ChaincodeException {
        final String cname = context.chaincodeId();
        final Handler running = registry.handler(cname);
        if (running != null) {
            return running;
        }
        launcher.launch(context.name(), context.version());
        return handlerAfterLaunch(context.channelId(), cname);
    }

    private Handler handlerAfterLaunch(final String channelId, final String cname) throws ChaincodeException {
        final Handler handler = registry.handler(cname);
        if (handler == null) {
            throw new ChaincodeException("[channel " + channelId + "] claimed to start chaincode container for "
                    + cname + " but could not find handler");
        }
        return handler;
    }

    /** Fabric's {@code processChaincodeExecutionResult}. */
    private static ChaincodeResult result(final String txId, final String chaincodeName,
            final ChaincodeMessage answer) throws ChaincodeException {
        final ChaincodeEvent event = answer.hasChaincodeEvent()
                ? answer.getChaincodeEvent().toBuilder().setChaincodeId(chaincodeName).setTxId(txId).build()
                : null;
        switch (answer.getType()) {
            case COMPLETED -> {
                try {
                    return new ChaincodeResult(Response.parseFrom(answer.getPayload()), event);
                } catch (InvalidProtocolBufferException e) {
                    throw new ChaincodeException("failed to unmarshal response for transaction " + txId + ": "
                            + e.getMessage(), e);
                }
            }
            case ERROR -> throw new ChaincodeException("transaction returned with failure: "
                    + answer.getPayload().toStringUtf8());
            default -> throw new ChaincodeException("unexpected response type " + answer.getTypeValue()
                    + " for transaction " + txId);
        }
    }

    // ---- configuration, for the handlers ----

    /** The system chaincodes and the peer's rules about them. */
    public SystemChaincodes systemChaincodes() {
        return systemChaincodes;
    }

    public Duration startupTimeout() {
        return startupTimeout;
    }

    public Duration executeTimeout() {
        return executeTimeout;
    }

    /** How an executing thread idles while it waits for the chaincode's answer (see the builder). */
    public WaitStrategy executionWaitStrategy() {
        return executionWaitStrategy;
    }

    /**
     * The proposals in flight, counted by the endorser, and whether they saturate the cores: published to each
     * chaincode's channel with every INIT/TRANSACTION, so that both processes' event loops stop polling while they do
     * (see {@link Builder#saturationThreshold(int)}).
     */
    public ProposalLoad proposalLoad() {
        return proposalLoad;
    }

    /** The interval of KEEPALIVE messages to chaincodes; zero when disabled. */
    public Duration keepalive() {
        return keepalive;
    }

    public ChaincodeMode mode() {
        return mode;
    }

    int totalQueryLimit() {
        return totalQueryLimit;
    }

    HandlerRegistry registry() {
        return registry;
    }

    RuntimeLauncher launcher() {
        return launcher;
    }

    QueryResponseGenerator queryResponses() {
        return queryResponses;
    }

    Lifecycle lifecycle() {
        return lifecycle;
    }

    AclProvider acl() {
        return acl;
    }

    LedgerGetter ledgers() {
        return ledgers;
    }

    ApplicationConfigRetriever applicationConfig() {
        return applicationConfig;
    }

    ExecutorService invokeWorkers() {
        return invokeWorkers;
    }

    ScheduledExecutorService keepaliveTimer() {
        return keepaliveTimer;
    }

    // ---- closing ----

    private void ensureOpen() throws ChaincodeException {
        synchronized (lifecycleLock) {
            if (closed) {
                throw new ChaincodeException("chaincode support is closed");
            }
        }
    }

    private void ensureOpenUnchecked() {
        synchronized (lifecycleLock) {
            if (closed) {
                throw new IllegalStateException("chaincode support is closed");
            }
        }
    }

    /**
     * Stops every chaincode (executions still waiting fail with {@code chaincode stream terminated}), closes the
     * runtimes, ends the worker, launch and keepalive threads and deletes the package files. Idempotent.
     */
    @Override
    public void close() {
        synchronized (lifecycleLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        LOG.info("closing chaincode support: {} chaincode(s) registered", registry.handlers().size());
        launcher.close();
        shutdown(invokeWorkers, "chaincode invoke workers");
        if (keepaliveTimer != null) {
            shutdown(keepaliveTimer, "chaincode keepalive timer");
        }
    }

    private static void shutdown(final ExecutorService executor, final String what) {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("{} still running 30 s after close", what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A chaincode object run in-process under a name and version, registered by the host application. */
    private record InProcessChaincode(String name, String version, Chaincode chaincode) {
    }

    /** Settings of a {@link ChaincodeSupport}; every one has Fabric's default or a safe one. */
    public static final class Builder {
        private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
        private Duration executeTimeout = DEFAULT_EXECUTE_TIMEOUT;
        private Duration keepalive = Duration.ZERO;
        private WaitStrategy executionWaitStrategy = WaitStrategy.spinYieldPark();
        private int saturationThreshold = Runtime.getRuntime().availableProcessors();
        private ChaincodeMode mode = ChaincodeMode.NET;
        private int totalQueryLimit = DEFAULT_TOTAL_QUERY_LIMIT;
        private String systemChaincodeVersion = DEFAULT_SYSTEM_CHAINCODE_VERSION;
        private final List<SystemChaincode> systemChaincodes = new ArrayList<>();
        private final List<InProcessChaincode> inProcessChaincodes = new ArrayList<>();
        private ChaincodeRuntime runtime;
        private InProcessRuntime inProcessRuntime;
        private ChaincodePackageStore packages;
        private Lifecycle lifecycle;
        private AclProvider acl = AclProvider.ALLOW_ALL;
        private LedgerGetter ledgers = LedgerGetter.NONE;
        private ApplicationConfigRetriever applicationConfig = ApplicationConfigRetriever.NONE;
        private Path packageDir;

        private Builder() {
        }

        /**
         * Fabric's {@code chaincode.startuptimeout}: how long a launch may take from start to READY (default 300 s;
         * values below 5 s are raised to 5 s).
         */
        public Builder startupTimeout(final Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.compareTo(MIN_STARTUP_TIMEOUT) < 0) {
                LOG.warn("chaincode start-up timeout {} is below the minimum; using {}", timeout, MIN_STARTUP_TIMEOUT);
                this.startupTimeout = MIN_STARTUP_TIMEOUT;
            } else {
                this.startupTimeout = timeout;
            }
            return this;
        }

        /**
         * Fabric's {@code chaincode.executetimeout}: how long an Init or Invoke may take (default 30 s; values below
         * 1 s fall back to 30 s). It applies to system chaincodes too.
         */
        public Builder executeTimeout(final Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.compareTo(Duration.ofSeconds(1)) < 0) {
                LOG.warn("chaincode execute timeout {} is below 1 s; using the default {}", timeout,
                        DEFAULT_EXECUTE_TIMEOUT);
                this.executeTimeout = DEFAULT_EXECUTE_TIMEOUT;
            } else {
                this.executeTimeout = timeout;
            }
            return this;
        }

        /** Fabric's {@code chaincode.keepalive}: send KEEPALIVE to every chaincode this often; zero (default) disables. */
        public Builder keepalive(final Duration interval) {
            Objects.requireNonNull(interval, "interval");
            this.keepalive = interval.isNegative() ? Duration.ZERO : interval;
            return this;
        }

        /**
         * How a thread executing a chaincode idles while it waits for the answer (default
         * {@link WaitStrategy#spinYieldPark()}). While the strategy spins or yields, the thread reads and serves its
         * own transaction's requests from the chaincode's channel when the channel lends it its inbound lease; once the
         * strategy would park, it gives reading back to the channel's event-loop thread and parks until the answer
         * wakes it or the execute timeout passes (exactly). {@link WaitStrategy#yielding()} never parks: lowest
         * latency, one yielding thread per execution in progress.
         */
        public Builder executionWaitStrategy(final WaitStrategy strategy) {
            this.executionWaitStrategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /**
         * Proposals in flight from which the machine's cores count as saturated (default: the number of available
         * processors; {@code 0}: never). While at least that many proposals are being processed, the event-loop threads
         * of a chaincode's channel (this process's and the chaincode process's, when the channel has doorbells) skip
         * their wait strategy's spin and yield phase and sleep on their doorbells as soon as they are idle: every core
         * has a proposal's work to do, and a poll would only take CPU from it. Below it they poll first, which with a
         * core to spare answers each hop sooner than a wake-up (see {@link ProposalLoad}).
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder saturationThreshold(final int proposals) {
            this.saturationThreshold = ProposalLoad.checkedThreshold(proposals);
            return this;
        }

        /** Fabric's {@code chaincode.mode} (default {@link ChaincodeMode#NET}). */
        public Builder mode(final ChaincodeMode chaincodeMode) {
            this.mode = Objects.requireNonNull(chaincodeMode, "chaincodeMode");
            return this;
        }

        /** Fabric's {@code ledger.state.totalQueryLimit}: results one query may return in all (default 100000). */
        public Builder totalQueryLimit(final int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("total query limit must be positive, got " + limit);
            }
            this.totalQueryLimit = limit;
            return this;
        }

        /** The version system chaincodes run under (default {@value #DEFAULT_SYSTEM_CHAINCODE_VERSION}). */
        public Builder systemChaincodeVersion(final String version) {
            Objects.requireNonNull(version, "version");
            if (version.isBlank()) {
                throw new IllegalArgumentException("system chaincode version must not be blank");
            }
            this.systemChaincodeVersion = version;
            return this;
        }

        /** Adds a system chaincode, run in-process under the system chaincode version. */
        public Builder systemChaincode(final SystemChaincode chaincode) {
            systemChaincodes.add(Objects.requireNonNull(chaincode, "chaincode"));
            return this;
        }

        /** Runs a chaincode object of the host application in-process as {@code name:version}. */
        public Builder inProcessChaincode(final String name, final String version, final Chaincode chaincode) {
            inProcessChaincodes.add(new InProcessChaincode(name, version, Objects.requireNonNull(chaincode)));
            return this;
        }

        /**
         * The runtime that starts installed chaincodes (default: a {@link ProcessRuntime} with its defaults). The
         * support owns it from now on and closes it.
         */
        public Builder runtime(final ChaincodeRuntime chaincodeRuntime) {
            this.runtime = Objects.requireNonNull(chaincodeRuntime, "chaincodeRuntime");
            return this;
        }

        /**
         * The in-process runtime (default: one with its defaults); system chaincodes and in-process chaincodes are
         * registered with it at {@link #build()}. The support owns it from now on and closes it.
         */
        public Builder inProcessRuntime(final InProcessRuntime runtime) {
            this.inProcessRuntime = Objects.requireNonNull(runtime, "runtime");
            return this;
        }

        /**
         * The installed chaincode packages (Fabric's {@code <data>/chaincodes}), from which chaincodes are launched
         * (default: none is installed).
         */
        public Builder packages(final ChaincodePackageStore store) {
            this.packages = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * The chaincode definitions of the channels (default: {@link LsccLifecycle} over LSCC's state and the
         * package store).
         */
        public Builder lifecycle(final Lifecycle chaincodeLifecycle) {
            this.lifecycle = Objects.requireNonNull(chaincodeLifecycle, "chaincodeLifecycle");
            return this;
        }

        /**
         * The channel ACLs checked for chaincode-to-chaincode calls (default {@link AclProvider#ALLOW_ALL}; a peer
         * with channel policies passes its {@code peer/ChaincodeToChaincode} check here).
         */
        public Builder acl(final AclProvider provider) {
            this.acl = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /** The channel ledgers, for chaincode calls to another channel (default: none). */
        public Builder ledgers(final LedgerGetter getter) {
            this.ledgers = Objects.requireNonNull(getter, "getter");
            return this;
        }

        /** The channels' application capabilities, for state-metadata requests (default: none known). */
        public Builder applicationConfig(final ApplicationConfigRetriever retriever) {
            this.applicationConfig = Objects.requireNonNull(retriever, "retriever");
            return this;
        }

        /**
         * Where the code packages of running chaincodes are written out (default: a temporary directory deleted on
         * close). Each launch gets its own subdirectory, deleted when the chaincode ends. A directory given here must be
         * the support's own: what it holds when the support starts (launch directories a crashed run left) is deleted.
         */
        public Builder packageDir(final Path dir) {
            this.packageDir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /**
         * Creates the chaincode support.
         *
         * @throws IllegalArgumentException if a system chaincode name is registered twice or is deprecated
         */
        public ChaincodeSupport build() {
            final InProcessRuntime inProcess = inProcessRuntime != null ? inProcessRuntime
                    : InProcessRuntime.builder().build();
            final ChaincodeRuntime packaged = runtime != null ? runtime : ProcessRuntime.builder().build();
            try {
                return new ChaincodeSupport(this, packaged, inProcess);
            } catch (RuntimeException e) {
                packaged.close();
                inProcess.close();
                throw e;
            }
        }
    }
}
