package dev.fabricembedded.peer.committer;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.ledger.PreparedBlock;
import dev.fabricembedded.ledger.block.HashCheckedBlock;
import dev.fabricembedded.ledger.validation.ParsedTransaction;
import dev.fabricembedded.ledger.validation.TransactionParser;
import dev.fabricembedded.orderer.channelconfig.ChannelConfig;
import dev.fabricembedded.scc.vscc.StateReader;
import dev.fabricembedded.scc.vscc.ValidationPluginRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fabric 1.4's {@code TxValidator.Validate(block)} (fabric-1.4-flow.md §6.1-§6.3, §6.6): gives every transaction of
 * a block its validation code before the ledger's MVCC check.
 * <ol>
 *   <li>Every code starts as {@code NOT_VALIDATED}.</li>
 *   <li>The per-transaction checks (§6.2, including VSCC, §6.3) run <b>in parallel</b> on a pool of
 *   {@code validatorPoolSize} worker threads named {@code committer-<channel>-validator-<n>}. Each worker takes the
 *   next unvalidated index, parses that envelope once and checks it; results land in per-index slots, so the order
 *   in which workers finish does not matter.</li>
 *   <li>If any transaction hits an execution failure (a validation plugin missing or failing to run, a state or
 *   index read failing, a configuration that cannot be applied) the whole block fails with a
 *   {@link BlockValidationException} naming the lowest failing index; nothing is returned, nothing is committed.</li>
 *   <li>Block passes: a later valid transaction reusing a txid of an earlier valid one is {@code DUPLICATE_TXID}
 *   ({@code V1_1}+); if several valid upgrades target one chaincode only the last stays valid, and every valid
 *   transaction invoking a chaincode upgraded in the block gets {@code CHAINCODE_VERSION_CONFLICT}.</li>
 *   <li>A code still {@code NOT_VALIDATED} is a bug ({@code transaction %d in block %d has skipped validation}).</li>
 *   <li>The codes are written to the {@code TRANSACTIONS_FILTER} slot as raw bytes, metadata padded to 5 slots.</li>
 * </ol>
 *
 * <p>Threads: {@link #validate} is called by one thread at a time (the channel's committing thread, which waits for
 * the workers; {@link BlockCommitter} may instead start the following blocks before a block is finished and finish
 * each after committing the one before it: a few blocks in flight, each one's transactions queued behind the
 * earlier ones'); the workers only read shared, immutable or thread-safe state and write their own
 * result slots, which the committing thread reads after the workers' futures complete. {@link #close} stops the
 * workers. The validator reads the ledger but never writes it.
 */
public final class TxValidator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TxValidator.class);
    private static final int METADATA_SLOTS = 5;
    private static final long CLOSE_TIMEOUT_SECONDS = 10;

    private final ChannelLedger ledger;
    private final Supplier<ChannelConfig> channelConfig;
    private final ValidationPluginRegistry plugins;
    private final SystemChaincodeProvider systemChaincodes;
    private final int poolSize;
    private final WorkerThreads threads;
    private final ExecutorService workers;
    private final EnvelopeValidator envelopeValidator = new EnvelopeValidator();
    private final StateReader committedState;
    private volatile ChannelSnapshot snapshot;

    private TxValidator(Builder builder) {
        this.ledger = Objects.requireNonNull(builder.ledger, "ledger");
        this.channelConfig = Objects.requireNonNull(builder.channelConfig, "channelConfig");
        this.plugins = builder.plugins;
        this.systemChaincodes = builder.systemChaincodes;
        this.poolSize = builder.poolSize;
        this.committedState = StateReader.of(ledger);
        this.threads = new WorkerThreads(ledger.channelId());
        this.workers = Executors.newFixedThreadPool(poolSize, threads);
    }

    /**
     * A builder. Required: {@code ledger} and {@code channelConfig}. Defaults: Fabric's {@code vscc} plugin only,
     * Fabric 1.4's system chaincodes, one worker per available processor.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Number of validator worker threads. */
    public int poolSize() {
        return poolSize;
    }

    /**
     * Validates a block: every transaction gets its final pre-MVCC code, written to {@code TRANSACTIONS_FILTER}.
     * The block's header and signatures are not checked here (that is {@link BlockCommitter}'s §5.5 step).
     *
     * @throws BlockValidationException on an execution failure: the block must not be committed
     * @throws IllegalStateException    when the validator is closed
     */
    public ValidatedBlock validate(Block block) {
        return finish(start(block));
    }

    /**
     * A block whose per-transaction checks are running on the workers; {@link #finish} waits for them and completes
     * the block. Lets the committing thread commit the previous block to the ledger meanwhile.
     */
    static final class Pending {
        private final Block block;
        private final BlockContext context;
        private final BlockStateCache state;
        private final ValidatedTransaction[] results;
        private final ParsedTransaction[] parsed;
        private final RuntimeException[] failures;
        private final List<Future<?>> running;
        /** Set when the results will not be used: the workers stop at their next transaction. */
        private volatile boolean abandoned;

        private Pending(Block block, BlockContext context, BlockStateCache state, int count,
                        List<Future<?>> running) {
            this.block = block;
            this.context = context;
            this.state = state;
            this.results = new ValidatedTransaction[count];
            this.parsed = new ParsedTransaction[count];
            this.failures = new RuntimeException[count];
            this.running = running;
        }
    }

    /**
     * Starts the per-transaction checks of a block on the workers and returns at once. Its reads of the committed
     * state are exact (the caller commits nothing until it is finished), so {@link #finish} may complete it.
     */
    Pending start(Block block) {
        return start(block, new BlockStateCache(committedState));
    }

    /**
     * Starts the checks of a block before {@code previous} (the block before it, itself started and not committed
     * yet) is committed; they queue behind {@code previous}'s. It must be completed by {@link #finishIfCurrent}, which
     * re-checks every state value it used: so its state reads may take values {@code previous}'s validation already
     * read instead of reading the committed state, which a commit in progress holds exclusively; a worker on this
     * block then does not wait for that commit.
     */
    Pending startAfter(Block block, Pending previous) {
        return start(block, new BlockStateCache(committedState, previous.state));
    }

    private Pending start(Block block, BlockStateCache state) {
        Objects.requireNonNull(block, "block");
        long number = block.getHeader().getNumber();
        ChannelSnapshot channel = snapshot(channelConfig.get());
        BlockContext context = new BlockContext(number, channel, state, new ChaincodeDefinitions(state), ledger, plugins,
                systemChaincodes);
        List<ByteString> data = block.getData().getDataList();
        int count = data.size();
        Pending pending = new Pending(block, context, state, count, new ArrayList<>(Math.min(poolSize, count)));
        AtomicInteger next = new AtomicInteger();
        try {
            for (int t = 0; t < Math.min(poolSize, count); t++) {
                pending.running.add(workers.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count && !pending.abandoned; i = next.getAndIncrement()) {
                        try {
                            CheckedTransaction checked = envelopeValidator.validate(i, data.get(i), context);
                            pending.results[i] = checked.verdict();
                            pending.parsed[i] = checked.parsed() != null ? checked.parsed()
                                    : TransactionParser.parse(i, data.get(i));
                        } catch (RuntimeException e) {
                            pending.failures[i] = e;
                        }
                    }
                }));
            }
        } catch (RejectedExecutionException e) {
            pending.running.forEach(f -> f.cancel(true));
            throw new IllegalStateException("the transaction validator of channel " + ledger.channelId()
                    + " is closed", e);
        }
        return pending;
    }

    /**
     * Finishes a block started before the blocks before it were committed, if its checks would come out the same
     * now, once the block just before it is committed: the same configuration is in force, every committed value
     * they used is unchanged (read again after the workers are done, so no read escapes the comparison), and none
     * of its transaction ids was committed meanwhile ({@code committedTxIds}: the ids of every block committed since
     * it was started). The last condition matters although the ledger's own duplicate check refuses such an id
     * again: committed one by one, the transaction would have been {@code DUPLICATE_TXID} before its endorsements
     * were checked, and would not count as a valid upgrade in the block passes. Empty when the block must be
     * validated again (its results are then dropped).
     *
     * @throws BlockValidationException on an execution failure of a current validation
     */
    Optional<ValidatedBlock> finishIfCurrent(Pending pending, List<List<String>> committedTxIds) {
        await(pending);
        boolean current = pending.context.channel() == snapshot(channelConfig.get())
                && !reusesTxIds(pending, committedTxIds) && pending.state.isUnchanged();
        if (!current) {
            pending.state.detach();
            return Optional.empty();
        }
        return Optional.of(finish(pending));
    }

    /** Whether a transaction of the block (as its checks read it) has an id among {@code committedTxIds}. */
    private static boolean reusesTxIds(Pending pending, List<List<String>> committedTxIds) {
        if (committedTxIds.isEmpty()) {
            return false;
        }
        Set<String> ids = new HashSet<>(pending.results.length * 2);
        for (ValidatedTransaction tx : pending.results) {
            if (tx != null && !tx.txId().isEmpty()) {
                ids.add(tx.txId());
            }
        }
        for (List<String> block : committedTxIds) {
            for (String txId : block) {
                if (ids.contains(txId)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Drops a started block: its workers stop at their next transaction, and this waits for them (no task of the
     * block runs once it returns).
     */
    void abandon(Pending pending) {
        pending.abandoned = true;
        pending.state.detach();
        try {
            await(pending);
        } catch (BlockValidationException e) {
            LOG.debug("abandoned validation of block {} failed: {}", pending.context.blockNumber(), e.getMessage());
        }
    }

    /**
     * Waits for the workers, then the block passes and the filter.
     *
     * @throws BlockValidationException on an execution failure
     */
    ValidatedBlock finish(Pending pending) {
        await(pending);
        pending.state.detach();
        long number = pending.context.blockNumber();
        ValidatedTransaction[] results = pending.results;
        int count = results.length;
        for (int i = 0; i < count; i++) {
            RuntimeException failure = pending.failures[i];
            if (failure != null) {
                LOG.error("validation of block {} on channel {} failed at transaction {}: {}", number,
                        ledger.channelId(), i, failure.toString());
                throw new BlockValidationException(number, i, failure.getMessage(), failure);
            }
        }
        if (pending.context.channel().capabilities().forbidDuplicateTxIdInBlock()) {
            markDuplicateTxIds(results);
        }
        markUpgradeConflicts(results);
        byte[] flags = new byte[count];
        for (int i = 0; i < count; i++) {
            if (results[i] == null) {
                throw new BlockValidationException(number, i, "transaction " + i + " in block " + number
                        + " has skipped validation", null);
            }
            flags[i] = (byte) results[i].code().getNumber();
        }
        return new ValidatedBlock(withFilter(pending.block, flags), List.of(results));
    }

    /**
     * The ledger's preparation of a block whose validation is finished ({@link #finish} or {@link #finishIfCurrent}
     * returned it), built from the workers' parse of its envelopes instead of parsing them again: a transaction found
     * valid is described by the parts its checks parsed, any other one was parsed by the ledger's
     * {@link TransactionParser} on the worker. {@code checked} is the same block with its data hash checked.
     */
    PreparedBlock prepare(Pending pending, HashCheckedBlock checked) {
        if (checked.number() != pending.context.blockNumber()) {
            throw new IllegalArgumentException("block " + checked.number() + " is not the block validated ("
                    + pending.context.blockNumber() + ")");
        }
        return PreparedBlock.of(checked, parsedTransactions(pending));
    }

    /**
     * The workers' parse of every transaction of a finished block in the ledger's terms, in block order: what
     * {@link TransactionParser#parse} gives for each envelope.
     */
    List<ParsedTransaction> parsedTransactions(Pending pending) {
        return List.of(pending.parsed);
    }

    /** The snapshot of a configuration, rebuilt only when the supplier hands out another configuration. */
    private ChannelSnapshot snapshot(ChannelConfig config) {
        Objects.requireNonNull(config, "the channel configuration supplier returned null");
        ChannelSnapshot current = snapshot;
        if (current == null || current.config() != config) {
            if (!config.channelId().equals(ledger.channelId())) {
                throw new IllegalStateException("the channel configuration is for channel " + config.channelId()
                        + ", the ledger for channel " + ledger.channelId());
            }
            current = ChannelSnapshot.of(config);
            snapshot = current;
        }
        return current;
    }

    /** The same snapshot {@link BlockCommitter} verifies blocks with. */
    ChannelSnapshot currentSnapshot() {
        return snapshot(channelConfig.get());
    }

    /** Waits for every worker task of a block; an interrupt does not cut it short (the flag is restored). */
    private void await(Pending pending) {
        boolean interrupted = false;
        try {
            for (Future<?> future : pending.running) {
                while (true) {
                    try {
                        future.get();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    } catch (ExecutionException e) {
                        throw new BlockValidationException(pending.context.blockNumber(), -1,
                                "validator worker failed: " + e.getCause(), e.getCause());
                    } catch (java.util.concurrent.CancellationException e) {
                        break;
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** §6.6 pass 1: among valid transactions, every later occurrence of a txid is a duplicate. */
    private static void markDuplicateTxIds(ValidatedTransaction[] results) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < results.length; i++) {
            ValidatedTransaction tx = results[i];
            if (tx != null && tx.isValid() && !seen.add(tx.txId())) {
                results[i] = tx.invalidate(TxValidationCode.DUPLICATE_TXID,
                        "Duplicate txid " + tx.txId() + " found, skipping");
            }
        }
    }

    /**
     * §6.6 pass 2 (Fabric's {@code invalidTXsForUpgradeCC}): of several valid upgrades of one chaincode only the last
     * stays valid; then every valid transaction invoking an upgraded chaincode conflicts with the upgrade.
     */
    private static void markUpgradeConflicts(ValidatedTransaction[] results) {
        Map<String, Integer> finalUpgrade = new HashMap<>();
        for (int i = 0; i < results.length; i++) {
            ValidatedTransaction tx = results[i];
            if (tx == null || !tx.isValid() || tx.upgradedChaincode().isEmpty()) {
                continue;
            }
            Integer earlier = finalUpgrade.put(tx.upgradedChaincode(), i);
            if (earlier != null) {
                results[earlier] = results[earlier].invalidate(TxValidationCode.CHAINCODE_VERSION_CONFLICT,
                        "chaincode " + tx.upgradedChaincode() + " was upgraded by latter tx " + i);
            }
        }
        if (finalUpgrade.isEmpty()) {
            return;
        }
        for (int i = 0; i < results.length; i++) {
            ValidatedTransaction tx = results[i];
            if (tx != null && tx.isValid() && finalUpgrade.containsKey(tx.invokedChaincode())) {
                results[i] = tx.invalidate(TxValidationCode.CHAINCODE_VERSION_CONFLICT, "chaincode "
                        + tx.invokedChaincode() + " was upgraded in the same block (tx "
                        + finalUpgrade.get(tx.invokedChaincode()) + ")");
            }
        }
    }

    /** The block with {@code flags} in {@code TRANSACTIONS_FILTER} (raw bytes), metadata padded to 5 slots. */
    static Block withFilter(Block block, byte[] flags) {
        BlockMetadata.Builder metadata = block.getMetadata().toBuilder();
        while (metadata.getMetadataCount() < METADATA_SLOTS) {
            metadata.addMetadata(ByteString.EMPTY);
        }
        metadata.setMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE, ByteString.copyFrom(flags));
        return block.toBuilder().setMetadata(metadata).build();
    }

    /**
     * Stops the workers: waits up to 10 s for a running block to finish (then interrupts them), and returns once
     * every worker thread has ended.
     */
    @Override
    public void close() {
        workers.shutdown();
        boolean interrupted = false;
        try {
            if (!workers.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("validator workers of channel {} still busy after {} s; interrupting them",
                        ledger.channelId(), CLOSE_TIMEOUT_SECONDS);
                workers.shutdownNow();
            }
            threads.joinAll(TimeUnit.SECONDS.toMillis(CLOSE_TIMEOUT_SECONDS));
        } catch (InterruptedException e) {
            workers.shutdownNow();
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "TxValidator[" + ledger.channelId() + ", " + poolSize + " workers, " + plugins + "]";
    }

    /**
     * Names the workers {@code committer-<channel>-validator-<n>} (daemon threads, so a leak cannot pin the JVM) and
     * remembers them, so that {@link #close} can wait for them to end.
     */
    private static final class WorkerThreads implements ThreadFactory {
        private final String prefix;
        private final AtomicInteger counter = new AtomicInteger();
        private final List<Thread> created = new ArrayList<>();

        WorkerThreads(String channelId) {
            this.prefix = "committer-" + channelId + "-validator-";
        }

        @Override
        public Thread newThread(Runnable runnable) {
            Thread thread = new Thread(runnable, prefix + counter.getAndIncrement());
            thread.setDaemon(true);
            synchronized (created) {
                created.add(thread);
            }
            return thread;
        }

        /** Joins every thread created, within {@code timeoutMillis} in total. */
        void joinAll(long timeoutMillis) throws InterruptedException {
            List<Thread> threads;
            synchronized (created) {
                threads = List.copyOf(created);
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            for (Thread thread : threads) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left > 0) {
                    thread.join(left);
                }
            }
        }
    }

    /** Builder for {@link TxValidator}. */
    public static final class Builder {
        private ChannelLedger ledger;
        private Supplier<ChannelConfig> channelConfig;
        private ValidationPluginRegistry plugins = ValidationPluginRegistry.withDefaults();
        private SystemChaincodeProvider systemChaincodes = SystemChaincodeProvider.fabric14();
        private int poolSize = Runtime.getRuntime().availableProcessors();

        private Builder() {
        }

        /** The channel's ledger: committed state for VSCC, the txid index for replays (required). */
        public Builder ledger(ChannelLedger value) {
            this.ledger = Objects.requireNonNull(value, "ledger");
            return this;
        }

        /**
         * The channel configuration in force, asked once per block (required). Returning the same instance while
         * the configuration does not change lets the validator reuse what it derives from it.
         */
        public Builder channelConfig(Supplier<ChannelConfig> value) {
            this.channelConfig = Objects.requireNonNull(value, "channelConfig");
            return this;
        }

        /** The validation plugins by name (default: Fabric's {@code vscc}). */
        public Builder validationPlugins(ValidationPluginRegistry value) {
            this.plugins = Objects.requireNonNull(value, "validationPlugins");
            return this;
        }

        /** The system chaincodes (default: Fabric 1.4's). */
        public Builder systemChaincodes(SystemChaincodeProvider value) {
            this.systemChaincodes = Objects.requireNonNull(value, "systemChaincodes");
            return this;
        }

        /** Number of validator worker threads (Fabric's {@code peer.validatorPoolSize}; default: CPUs). */
        public Builder validatorPoolSize(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("validatorPoolSize must be at least 1, got " + value);
            }
            this.poolSize = value;
            return this;
        }

        public TxValidator build() {
            return new TxValidator(this);
        }
    }
}
