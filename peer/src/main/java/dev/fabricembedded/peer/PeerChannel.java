package dev.fabricembedded.peer;

import dev.fabricembedded.endorser.EndorserChannel;
import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.orderer.BlockBatchListener;
import dev.fabricembedded.orderer.OrderingService;
import dev.fabricembedded.orderer.Subscription;
import dev.fabricembedded.orderer.channelconfig.ChannelConfig;
import dev.fabricembedded.peer.committer.ChannelConfigView;
import dev.fabricembedded.peer.committer.CommittedBlock;
import dev.fabricembedded.peer.committer.CommittedTransaction;
import dev.fabricembedded.peer.event.ChaincodeEventRecord;
import dev.fabricembedded.peer.event.ChannelEvents;
import dev.fabricembedded.peer.event.CommitStatus;
import dev.fabricembedded.peer.event.Registration;
import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A channel a {@link Peer} has joined: its ledger (for queries and blocks), its configuration, its events.
 *
 * <p>The channel follows the orderer through one delivery subscription, started from the ledger's height: the
 * subscription's thread (named {@code orderer-deliver-<channel>-<n>} by the orderer) commits each block through the
 * channel's committer, then publishes the block's events (see {@link ChannelEvents}) before taking the next block.
 * So there is exactly one committing thread per channel, and every listener and commit status is called on it after
 * the ledger holds the block. A block that cannot be committed stops the channel: the failure is logged and kept
 * ({@link #failure()}), pending commit statuses fail, and the peer must be reopened once the cause is fixed (the
 * ledger is left at the previous block).
 *
 * <p>When several blocks are waiting at the orderer (catching up after a restart, or blocks cut faster than they are
 * committed) the subscription hands them over together ({@link BlockBatchListener}) and the committer pipelines them:
 * the next blocks are validated while block {@code k} is written. Each block's events are still published on the
 * delivery thread as soon as that block is in the ledger, in order, and the outcome is the one of committing the
 * blocks one at a time; a failing block stops the channel after the blocks before it are committed and published.
 *
 * <p>Owned by the peer and closed with it. Thread-safe.
 */
public final class PeerChannel {

    private static final Logger LOG = LoggerFactory.getLogger(PeerChannel.class);

    private final String peerName;
    private final Block genesisBlock;
    private final ChannelConfig config;
    private final ChannelLedger ledger;
    private final ChannelCommitter committer;
    private final ChannelEvents events;
    private final EndorserChannel endorserChannel;
    private volatile Subscription subscription;
    private volatile Throwable failure;

    PeerChannel(final String peerName, final Block genesisBlock, final ChannelConfig config,
            final ChannelLedger ledger, final ChannelCommitter committer) {
        this.peerName = peerName;
        this.genesisBlock = genesisBlock;
        this.config = config;
        this.ledger = ledger;
        this.committer = committer;
        this.endorserChannel = EndorserChannel.of(ChannelConfigView.of(config), ledger);
        this.events = new ChannelEvents(config.channelId(),
                txId -> ledger.transactionById(txId).map(LedgerTransactions::status));
    }

    /** The channel id. */
    public String id() {
        return config.channelId();
    }

    /** The channel's ledger, for reading (queries, blocks, transactions); only the channel's committer writes it. */
    public ChannelLedger ledger() {
        return ledger;
    }

    /** The channel's configuration (from its genesis block). */
    public ChannelConfig config() {
        return config;
    }

    /** The channel's genesis block. */
    public Block genesisBlock() {
        return genesisBlock;
    }

    /** Number of committed blocks. */
    public long height() {
        return ledger.height();
    }

    /**
     * The outcome of a transaction: completes when the block holding it is committed, at once if it already is.
     * See {@link ChannelEvents#commitStatus} for threads and cancellation.
     */
    public CompletableFuture<CommittedTransaction> transactionStatus(final String txId) {
        final CompletableFuture<CommitStatus> status = events.commitStatus(txId);
        final CompletableFuture<CommittedTransaction> result = status.thenApply(CommitStatus::transaction);
        result.whenComplete((value, error) -> status.cancel(false)); // a cancelled result forgets the wait
        return result;
    }

    /** Like {@link #transactionStatus}, with the number of the block holding the transaction. */
    public CompletableFuture<CommitStatus> commitStatus(final String txId) {
        return events.commitStatus(txId);
    }

    /** Calls {@code listener} on the delivery thread with every block committed from now on. */
    public Registration onBlock(final Consumer<CommittedBlock> listener) {
        return events.onBlock(listener);
    }

    /** Calls {@code listener} on the delivery thread with the events of {@code chaincodeName}'s valid transactions. */
    public Registration onChaincodeEvent(final String chaincodeName, final Consumer<ChaincodeEventRecord> listener) {
        return events.onChaincodeEvent(chaincodeName, listener);
    }

    /** Why the channel stopped committing, if it did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** {@code true} while the channel follows the orderer. */
    public boolean isFollowing() {
        final Subscription current = subscription;
        return current != null && current.isActive() && failure == null;
    }

    @Override
    public String toString() {
        return "PeerChannel[" + id() + " of " + peerName + ", height=" + ledger.height() + "]";
    }

    // ---------------------------------------------------------------------------------------------------------
    // Owned by the peer

    EndorserChannel endorserChannel() {
        return endorserChannel;
    }

    /** Commits the genesis block if the ledger is empty (on the caller's thread, before delivery starts). */
    void commitGenesisBlock() {
        if (ledger.height() == 0) {
            commitAndPublish(genesisBlock);
        }
    }

    /** Starts following the orderer from the ledger's height. */
    void startDelivery(final OrderingService orderer) {
        subscription = orderer.subscribe(id(), ledger.height(), new BlockBatchListener() {
            @Override
            public void onBlock(final Block block) {
                onBlocks(List.of(block));
            }

            @Override
            public void onBlocks(final List<Block> blocks) {
                commitAndPublish(blocks);
            }
        });
    }

    /** Commits the delivered blocks not yet in the ledger, publishing each block's events once it is committed. */
    private void commitAndPublish(final List<Block> delivered) {
        final long height = ledger.height();
        final List<Block> blocks = delivered.stream().filter(b -> b.getHeader().getNumber() >= height).toList();
        if (blocks.isEmpty()) {
            return; // already committed
        }
        try {
            if (blocks.size() == 1) {
                commitAndPublish(blocks.get(0));
            } else {
                LOG.debug("[{}] peer {} committing blocks {} to {} in one pipeline", id(), peerName,
                        blocks.get(0).getHeader().getNumber(), blocks.get(blocks.size() - 1).getHeader().getNumber());
                committer.commit(blocks, this::publish);
            }
        } catch (RuntimeException e) {
            final long number = ledger.height();
            failure = e;
            LOG.error("[{}] peer {} stopped committing at block {}: {}", id(), peerName, number, e.getMessage(), e);
            events.close("stopped committing at block " + number + ": " + e.getMessage());
            throw e;
        }
    }

    private void commitAndPublish(final Block block) {
        publish(committer.commit(block));
    }

    private void publish(final CommittedBlock committed) {
        LOG.debug("[{}] peer {} committed block {} with {} transaction(s)", id(), peerName, committed.number(),
                committed.transactions().size());
        events.publish(committed);
    }

    /** Stops the delivery (waits for the block being committed) and ends the events. */
    void stopDelivery() {
        final Subscription current = subscription;
        if (current != null) {
            current.close();
        }
        events.close("the peer closed");
    }

    void closeCommitter() {
        committer.close();
    }

    void closeLedger() {
        ledger.close();
    }
}
