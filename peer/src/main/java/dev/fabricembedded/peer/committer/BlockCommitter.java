package dev.fabricembedded.peer.committer;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ledger.BlockRejectedException;
import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.ledger.CommitResult;
import dev.fabricembedded.ledger.PreparedBlock;
import dev.fabricembedded.ledger.block.BlockHashes;
import dev.fabricembedded.ledger.block.HashCheckedBlock;
import dev.fabricembedded.ledger.validation.ParsedTransaction;
import dev.fabricembedded.orderer.block.BlockVerifier;
import dev.fabricembedded.orderer.block.BlockVerificationResult;
import dev.fabricembedded.orderer.channelconfig.ChannelConfig;
import dev.fabricembedded.orderer.channelconfig.InvalidChannelConfigException;
import dev.fabricembedded.scc.vscc.ValidationPluginRegistry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel's committer (Fabric's {@code core/committer} behind gossip's {@code StoreBlock}): for each block
 * delivered by the orderer, in order,
 * <ol>
 *   <li>the block checks of fabric-1.4-flow.md §5.5 ({@link dev.fabricembedded.orderer.block.BlockVerifier}: expected
 *   number, channel id, metadata, data hash, link to the previous block, orderer signatures satisfying
 *   {@code /Channel/Orderer/BlockValidation}); a block failing them is refused with a
 *   {@link BlockRejectedException};</li>
 *   <li>{@link TxValidator}: the per-transaction checks and VSCC in parallel, then the block passes (§6.1-§6.6); an
 *   execution failure refuses the block with a {@link BlockValidationException};</li>
 *   <li>{@link ChannelLedger#commit}: MVCC and phantom checks in block order, then the block with its final
 *   {@code TRANSACTIONS_FILTER} is stored and the valid writes applied (§6.8).</li>
 * </ol>
 * A refused block changes nothing: the ledger stays at its height and the same (or a corrected) block can be
 * committed next. {@link #commit(List)} commits consecutive blocks with the same outcome, validating the next
 * blocks (up to {@link Builder#validationLookahead}) while block {@code k} is written to the ledger. The genesis block (height 0) is committed as the
 * channel's trust anchor: it is not signed by the orderer, it must be a configuration block of this channel, and its
 * configuration transaction is valid.
 *
 * <p>Threads: <b>one committing thread at a time</b> (the channel's delivery thread), as in Fabric, because blocks
 * are committed strictly in order. A {@link #commit} from a second thread while one is running fails at once with
 * an {@link IllegalStateException} rather than queueing behind it (no lock is held while the workers validate).
 * The validator pool belongs to this committer and stops in {@link #close}; the ledger belongs to the caller and is
 * not closed.
 */
public final class BlockCommitter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BlockCommitter.class);
    /** Default of {@link Builder#validationLookahead}. */
    public static final int DEFAULT_LOOKAHEAD = 2;

    private final ChannelLedger ledger;
    private final Supplier<ChannelConfig> channelConfig;
    private final TxValidator validator;
    private final int lookahead;
    private final AtomicReference<Thread> committing = new AtomicReference<>();
    private volatile boolean closed;

    private BlockCommitter(Builder builder) {
        this.ledger = Objects.requireNonNull(builder.ledger, "ledger");
        this.channelConfig = Objects.requireNonNull(builder.channelConfig, "channelConfig");
        this.lookahead = builder.lookahead;
        this.validator = builder.validator.build();
    }

    /**
     * A builder. Required: {@code ledger} and {@code channelConfig}. Defaults: Fabric's {@code vscc} plugin, Fabric
     * 1.4's system chaincodes, one validator thread per available processor.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The channel id. */
    public String channelId() {
        return ledger.channelId();
    }

    /**
     * The validator this committer runs (for tests and benchmarks that validate without committing). It belongs to
     * the committer: closing the committer closes it.
     */
    public TxValidator validator() {
        return validator;
    }

    /**
     * Checks, validates and commits the next block.
     *
     * @return the block as stored and the final outcome of each transaction
     * @throws BlockRejectedException   when the block fails the §5.5 checks or the ledger refuses it (reason
     *                                  {@code WRONG_NUMBER}, {@code WRONG_PREVIOUS_HASH}, {@code WRONG_DATA_HASH}, or
     *                                  {@code MALFORMED} for every other check, including the orderer signatures);
     *                                  nothing was changed
     * @throws BlockValidationException when validation could not be carried out; nothing was changed
     * @throws IllegalStateException    when another thread is committing, or the committer is closed
     */
    public CommittedBlock commit(Block block) {
        Objects.requireNonNull(block, "block");
        return commit(List.of(block)).get(0);
    }

    /**
     * Checks, validates and commits consecutive blocks, in order, with the same outcome as committing them one by
     * one, but faster: blocks {@code k + 1} to {@code k + lookahead} ({@link Builder#validationLookahead}, default
     * {@value #DEFAULT_LOOKAHEAD}) are started on the workers before block {@code k} is finished (their transactions
     * queue behind block {@code k}'s, so no worker idles at the end of a block), and while block {@code k} is
     * committed to the ledger (MVCC, synced append, state update, all on this thread), the workers validate them, so
     * that a slow {@code fdatasync} does not idle them. Such an early validation is kept only if it is still exact once
     * the block before it is committed (same configuration, every committed value it used unchanged, none of its
     * transaction ids committed meanwhile); otherwise the block is validated again (and the blocks after it, started
     * with it, are dropped and started again). When this returns or throws, no validation it started is running.
     * Use it when several blocks are available, e.g. on catch-up.
     *
     * @return one committed block per block given, in order
     * @throws BlockRejectedException   as {@link #commit(Block)}, for the first block that fails; the blocks before
     *                                  it are committed (see the ledger height), it and the later ones are not
     * @throws BlockValidationException likewise
     * @throws IllegalStateException    when another thread is committing, or the committer is closed
     */
    public List<CommittedBlock> commit(List<Block> blocks) {
        List<CommittedBlock> committed = new ArrayList<>(blocks.size());
        commit(blocks, committed::add);
        return committed;
    }

    /**
     * {@link #commit(List)}, handing each block to {@code committed} as soon as it is in the ledger, before the next
     * one is finished (so that a caller publishing events does so block by block, also when a later block fails, and
     * while the workers already validate the next block). {@code committed} runs on this thread; if it throws, the
     * blocks after the one it was given are not committed and the exception propagates.
     *
     * @throws BlockRejectedException   as {@link #commit(List)}: {@code committed} has been given exactly the blocks
     *                                  before the failing one
     * @throws BlockValidationException likewise
     * @throws IllegalStateException    when another thread is committing, or the committer is closed
     */
    public void commit(List<Block> blocks, Consumer<CommittedBlock> committed) {
        Objects.requireNonNull(blocks, "blocks");
        Objects.requireNonNull(committed, "committed");
        Thread current = Thread.currentThread();
        if (!committing.compareAndSet(null, current)) {
            Thread other = committing.get();
            throw new IllegalStateException("committer of channel " + channelId() + " is already committing a block"
                    + " on thread " + (other == null ? "?" : other.getName()) + "; blocks are committed by one"
                    + " thread at a time, in order");
        }
        try {
            if (closed) {
                throw new IllegalStateException("committer of channel " + channelId() + " is closed");
            }
            commitInOrder(blocks, committed);
        } finally {
            committing.set(null);
        }
    }

    /**
     * A block whose validation started before the blocks before it were committed, with its data hash checked
     * ({@code pending} and {@code checked} are null when it did not pass the §5.5 checks as the successor of the block
     * before it: it is then checked, and refused, in its turn), and the transaction ids of the blocks committed since
     * it started.
     */
    private static final class Early {
        private final TxValidator.Pending pending;
        private final HashCheckedBlock checked;
        private final List<List<String>> committedTxIds = new ArrayList<>(2);

        Early(TxValidator.Pending pending, HashCheckedBlock checked) {
            this.pending = pending;
            this.checked = checked;
        }
    }

    /**
     * The pipeline of {@link #commit(List)}: block {@code k} is finished and committed on this thread while blocks
     * {@code k + 1} to {@code k + lookahead} are validated on the workers ({@code window}, in block order), each
     * started before the block before it is finished so that its transactions queue behind that block's.
     */
    private void commitInOrder(List<Block> blocks, Consumer<CommittedBlock> committed) {
        ArrayDeque<Early> window = new ArrayDeque<>(lookahead);
        try {
            for (int k = 0; k < blocks.size(); k++) {
                Block block = Objects.requireNonNull(blocks.get(k), "block");
                if (ledger.height() == 0) {
                    committed.accept(commitGenesis(block));
                    continue;
                }
                Early early = window.pollFirst();
                ValidatedBlock validated = null;
                TxValidator.Pending started = null;
                HashCheckedBlock checked = null;
                if (early != null && early.pending != null) {
                    // the block passed the §5.5 checks (data hash included) in startEarly
                    started = early.pending;
                    checked = early.checked;
                    fillWindow(blocks, k, started, window);
                    validated = validator.finishIfCurrent(started, early.committedTxIds).orElse(null);
                    if (validated == null) {
                        // the later blocks most likely used the same stale values: drop them, so that this block's
                        // validation runs at once instead of queueing behind theirs
                        abandonAll(window);
                    }
                }
                if (validated == null) {
                    started = validator.start(block);
                    checked = verifyAndHash(block, started, checked);
                    fillWindow(blocks, k, started, window);
                    validated = validator.finish(started);
                }
                PreparedBlock prepared = validator.prepare(started, checked);
                CommittedBlock result = commitValidated(validated, prepared);
                if (!window.isEmpty()) {
                    List<String> txIds = validator.parsedTransactions(started).stream()
                            .map(ParsedTransaction::txId).toList();
                    window.forEach(later -> later.committedTxIds.add(txIds));
                }
                committed.accept(result);
            }
        } finally {
            abandonAll(window);
        }
    }

    /**
     * Starts validating the blocks after block {@code k} of {@code blocks} that are not started yet, up to block
     * {@code k + lookahead}, <b>before</b> block {@code k} is finished: their per-transaction checks queue on the
     * workers behind block {@code k}'s (whose validation is {@code current}), so that a worker that runs out of
     * transactions of one block goes on with the next at once instead of idling while the other workers finish it,
     * this thread completes it and it is written to the ledger; and while a block's write waits for its
     * {@code fdatasync}, the workers have up to {@code lookahead} blocks to validate. Each one's reads are checked
     * again once the block before it is committed ({@link TxValidator#finishIfCurrent}). If one cannot be started,
     * every started block, {@code current} included, is waited for and dropped.
     */
    private void fillWindow(List<Block> blocks, int k, TxValidator.Pending current, ArrayDeque<Early> window) {
        try {
            Early last = window.peekLast();
            // a block refused as the successor of the block before it ends the window: nothing after it is committed
            TxValidator.Pending previous = last == null ? current : last.pending;
            for (int next = k + 1 + window.size(); previous != null && next <= k + lookahead && next < blocks.size();
                 next++) {
                Early early = startEarly(blocks.get(next - 1), previous, blocks.get(next));
                window.addLast(early);
                previous = early.pending;
            }
        } catch (RuntimeException e) {
            abandonAll(window);
            validator.abandon(current);
            throw e;
        }
    }

    /**
     * The §5.5 checks of a block whose validation has started on the workers, on this thread while the workers
     * validate: a refused block is refused all the same (its validation is waited for and dropped), and their cost
     * (mostly hashing the whole block) leaves the critical path. The block is hashed once, for these checks and for
     * the ledger's {@link PreparedBlock}; {@code checked} is given when an early start hashed and checked it already.
     */
    private HashCheckedBlock verifyAndHash(Block block, TxValidator.Pending started, HashCheckedBlock checked) {
        try {
            HashCheckedBlock hashed = checked != null ? checked : hashChecked(block);
            verify(block, hashed, ledger.height(), ledger.chainInfo().getCurrentBlockHash());
            // without header or data the checks above refuse the block; the ledger's own refusal otherwise
            return hashed != null ? hashed : HashCheckedBlock.of(block);
        } catch (RuntimeException e) {
            validator.abandon(started);
            throw e;
        }
    }

    /**
     * The block with its data hash checked, hashed once for both the §5.5 checks and the ledger's preparation; null
     * when it has no header or data or the hash does not match, which the verifier then reports in Fabric's order
     * among its other checks.
     */
    private static HashCheckedBlock hashChecked(Block block) {
        try {
            return HashCheckedBlock.of(block);
        } catch (BlockRejectedException e) {
            return null;
        }
    }

    /** The §5.5 checks (without hashing the data again when {@code checked} is given); a failure refuses the block. */
    private void verify(Block block, HashCheckedBlock checked, long expectedNumber, ByteString previousHash) {
        BlockVerifier verifier = validator.currentSnapshot().verifier();
        BlockVerificationResult verification = checked != null
                ? verifier.verify(checked, expectedNumber, previousHash)
                : verifier.verify(block, expectedNumber, previousHash);
        if (!verification.isValid()) {
            long number = block.hasHeader() ? block.getHeader().getNumber() : -1;
            LOG.warn("channel {}: block {} refused: {}", channelId(), number, verification.message());
            throw new BlockRejectedException(reason(verification.code()), number, verification.message());
        }
    }

    /**
     * Starts validating {@code next} before {@code block} (whose validation is {@code previous}) is committed, if
     * {@code next} passes the §5.5 checks as the successor of {@code block}; otherwise it is checked (and refused) in
     * its turn.
     */
    private Early startEarly(Block block, TxValidator.Pending previous, Block next) {
        if (next == null || !next.hasHeader() || !block.hasHeader()) {
            return new Early(null, null);
        }
        TxValidator.Pending started = validator.startAfter(next, previous);
        HashCheckedBlock checked = hashChecked(next);
        if (checked == null || !validator.currentSnapshot().verifier().verify(checked,
                block.getHeader().getNumber() + 1, ByteString.copyFrom(BlockHashes.headerHash(block.getHeader())))
                .isValid()) {
            validator.abandon(started);
            return new Early(null, null);
        }
        return new Early(started, checked);
    }

    /** Drops every block of the window, waiting for their workers. */
    private void abandonAll(ArrayDeque<Early> window) {
        for (Early early = window.pollFirst(); early != null; early = window.pollFirst()) {
            if (early.pending != null) {
                validator.abandon(early.pending);
            }
        }
    }

    private CommittedBlock commitValidated(ValidatedBlock validated, PreparedBlock prepared) {
        CommitResult result = ledger.commit(prepared.withMetadata(validated.block().getMetadata()));
        List<CommittedTransaction> transactions = new ArrayList<>(validated.transactions().size());
        for (ValidatedTransaction tx : validated.transactions()) {
            transactions.add(outcome(tx, result));
        }
        LOG.debug("channel {}: committed block {} ({} of {} transactions valid)", channelId(),
                result.blockNumber(), result.validCount(), transactions.size());
        return new CommittedBlock(result.block(), transactions);
    }

    /** The genesis block: the configuration the channel was joined with; its transaction is a CONFIG. */
    private CommittedBlock commitGenesis(Block block) {
        ChannelConfig config;
        try {
            config = ChannelConfig.fromGenesisBlock(block);
        } catch (InvalidChannelConfigException e) {
            throw new BlockRejectedException(BlockRejectedException.Reason.MALFORMED,
                    block.hasHeader() ? block.getHeader().getNumber() : -1,
                    "the first block of channel " + channelId() + " must be its genesis block: " + e.getMessage());
        }
        if (!config.channelId().equals(channelId())) {
            throw new BlockRejectedException(BlockRejectedException.Reason.MALFORMED, 0,
                    "genesis block of channel " + config.channelId() + " given to the committer of channel "
                            + channelId());
        }
        CommitResult result = ledger.commit(TxValidator.withFilter(block,
                new byte[] {(byte) TxValidationCode.VALID_VALUE}));
        return new CommittedBlock(result.block(), List.of(new CommittedTransaction(0, "", result.code(0), "",
                Optional.empty())));
    }

    /** The final outcome: the stored code, the validator's message, or the ledger's reason when it changed it. */
    private static CommittedTransaction outcome(ValidatedTransaction tx, CommitResult result) {
        TxValidationCode code = result.code(tx.index());
        if (code == tx.code()) {
            return new CommittedTransaction(tx.index(), tx.txId(), code, tx.message(),
                    code == TxValidationCode.VALID ? tx.chaincodeEvent() : Optional.empty());
        }
        return new CommittedTransaction(tx.index(), tx.txId(), code, "Block [" + result.blockNumber()
                + "] Transaction index [" + tx.index() + "] TxId [" + tx.txId()
                + "] marked as invalid by state validator. Reason code [" + code + "]", Optional.empty());
    }

    private static BlockRejectedException.Reason reason(BlockVerificationResult.Code code) {
        return switch (code) {
            case WRONG_NUMBER -> BlockRejectedException.Reason.WRONG_NUMBER;
            case DATA_HASH_MISMATCH -> BlockRejectedException.Reason.WRONG_DATA_HASH;
            case WRONG_PREVIOUS_HASH -> BlockRejectedException.Reason.WRONG_PREVIOUS_HASH;
            default -> BlockRejectedException.Reason.MALFORMED;
        };
    }

    /** Stops the validator pool. Idempotent. The ledger is not closed (it belongs to the caller). */
    @Override
    public void close() {
        closed = true;
        validator.close();
    }

    @Override
    public String toString() {
        return "BlockCommitter[" + channelId() + ", " + validator + "]";
    }

    /**
     * Builder for {@link BlockCommitter}: the settings are those of its {@link TxValidator} (see
     * {@link TxValidator.Builder} for each), of which the committer also keeps the ledger and the configuration.
     */
    public static final class Builder {
        private final TxValidator.Builder validator = TxValidator.builder();
        private ChannelLedger ledger;
        private Supplier<ChannelConfig> channelConfig;
        private int lookahead = DEFAULT_LOOKAHEAD;

        private Builder() {
        }

        /** The channel's ledger (required); the committer does not close it. */
        public Builder ledger(ChannelLedger value) {
            validator.ledger(value);
            this.ledger = value;
            return this;
        }

        /** The channel configuration in force, asked once per block (required). */
        public Builder channelConfig(Supplier<ChannelConfig> value) {
            validator.channelConfig(value);
            this.channelConfig = value;
            return this;
        }

        /** The validation plugins by name (default: Fabric's {@code vscc}). */
        public Builder validationPlugins(ValidationPluginRegistry value) {
            validator.validationPlugins(value);
            return this;
        }

        /** The system chaincodes (default: Fabric 1.4's; {@link SystemChaincodeProvider#of} adapts a peer's). */
        public Builder systemChaincodes(SystemChaincodeProvider value) {
            validator.systemChaincodes(value);
            return this;
        }

        /** Number of validator threads (Fabric's {@code peer.validatorPoolSize}; default: CPUs). */
        public Builder validatorPoolSize(int value) {
            validator.validatorPoolSize(value);
            return this;
        }

        /**
         * How many of the following blocks {@link #commit(List)} validates while it commits one (default
         * {@value #DEFAULT_LOOKAHEAD}). While a block is written to the ledger, mostly waiting for its
         * {@code fdatasync}, the workers validate up to this many blocks ahead; with 2, a write that takes as long as
         * two blocks' validation idles no worker, which absorbs the disk's slow syncs. Each block in flight holds its
         * parsed transactions in memory; a block validated ahead is validated again if a block committed before it
         * changed what it read. {@code 0} validates each block only once the one before it is committed.
         */
        public Builder validationLookahead(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("validationLookahead must not be negative, got " + value);
            }
            this.lookahead = value;
            return this;
        }

        public BlockCommitter build() {
            return new BlockCommitter(this);
        }
    }
}
