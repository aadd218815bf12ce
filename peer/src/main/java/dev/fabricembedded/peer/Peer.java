package dev.fabricembedded.peer;

import dev.fabricembedded.endorser.Endorser;
import dev.fabricembedded.endorser.ProposalRejectedException;
import dev.fabricembedded.endorser.chaincode.ChaincodeSupport;
import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.ledger.ChannelLedgerBuilder;
import dev.fabricembedded.msp.Msp;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.orderer.OrdererException;
import dev.fabricembedded.orderer.OrderingService;
import dev.fabricembedded.orderer.Subscription;
import dev.fabricembedded.orderer.channelconfig.ChannelConfig;
import dev.fabricembedded.peer.committer.BlockCommitter;
import dev.fabricembedded.peer.committer.CommittedBlock;
import dev.fabricembedded.peer.committer.SystemChaincodeProvider;
import dev.fabricembedded.scc.ccprovider.ChaincodePackageStore;
import dev.fabricembedded.scc.ccprovider.FileChaincodePackageStore;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A Fabric 1.4 peer inside the host application: an endorser ({@code ProcessProposal}) with its chaincodes, and for
 * every joined channel a ledger and a committer that follows an {@link OrderingService}.
 *
 * <pre>{@code
 * try (Peer peer = Peer.builder(dataDir)
 *         .signingIdentity(org1.signer(NodeRole.PEER)).localMsp(org1.msp())
 *         .orderer(orderer)
 *         .open()) {
 *     PeerChannel channel = peer.joinChannel(genesisBlock);   // once; reopening rejoins it
 *     ProposalResponse response = peer.processProposal(signedProposal);
 * }
 * }</pre>
 *
 * <p>Data directory (locked while the peer is open; a second peer on it gets {@link PeerInUseException}):
 * <pre>
 * peer.lock                       the lock file (holder's pid)
 * ledgers/&lt;channel&gt;/               the channel's ledger: block store, world state, history
 * chaincodes/                      installed chaincode packages ({@code <name>.<version>}, Fabric's layout)
 * chaincode-channels/              the IPC queue directories of running chaincodes (empty when closed)
 * chaincode-packages/              the code packages of running chaincodes (empty when closed; emptied at open)
 * channels/&lt;channel&gt;.genesis.block  the genesis block of each joined channel
 * </pre>
 * Reopening a data directory restores everything: the joined channels (from their genesis blocks), their ledgers
 * (recovered if the process died), the installed packages and, through LSCC's state, the instantiated chaincodes,
 * which are relaunched on their first invocation. Each channel then catches up from the orderer.
 *
 * <p>Threads: the peer starts, per channel, one delivery subscription at the orderer whose thread commits the blocks
 * and fires the events (see {@link PeerChannel}); chaincode support runs its own named threads and child processes.
 * {@link #processProposal} runs on the caller's thread, concurrently if the host wishes. {@link #close()} closes, in
 * this order: the delivery subscriptions, the endorser (every chaincode), the committers, the ledgers, the lock;
 * nothing started by the peer is left afterwards. Several peers (different organisations, different directories) can
 * run in one JVM on one ordering service.
 */
public final class Peer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Peer.class);

    private final String name;
    private final PeerDirectory directory;
    private final SigningIdentity identity;
    private final Msp localMsp;
    private final OrderingService orderer;
    private final int validatorPoolSize;
    private final Consumer<ChannelLedgerBuilder> ledgerSettings;
    private final FileChaincodePackageStore packages;
    private final Map<String, PeerChannel> channels = new ConcurrentSkipListMap<>();
    private final List<PeerChannel> joinOrder = new ArrayList<>();
    private final Object lifecycle = new Object();
    private final Endorser endorser;
    private volatile boolean closed;

    private Peer(final PeerBuilder builder, final PeerDirectory directory) {
        this.directory = directory;
        this.identity = builder.signingIdentity;
        this.localMsp = builder.localMsp;
        this.orderer = builder.orderer;
        this.validatorPoolSize = builder.validatorPoolSize;
        this.ledgerSettings = builder.ledgerSettings;
        this.name = builder.name != null ? builder.name : defaultName(builder.signingIdentity);
        this.packages = new FileChaincodePackageStore(directory.chaincodes());
        // the endorser sees exactly the channels joined so far: the map is read on every proposal
        this.endorser = Endorser.builder()
                .signingIdentity(builder.signingIdentity)
                .localMsp(builder.localMsp)
                .channels(id -> Optional.ofNullable(channels.get(id)).map(PeerChannel::endorserChannel))
                .packageStore(packages)
                .chaincodeSupport(ChaincodeSupport.builder()
                        .executeTimeout(builder.executeTimeout)
                        .startupTimeout(builder.startupTimeout)
                        .packageDir(directory.chaincodePackages())
                        .runtime(builder.runtimeOrDefault(directory.chaincodeChannels())))
                .build();
    }

    private static String defaultName(final SigningIdentity identity) {
        final String commonName = identity.certificate().commonName();
        return commonName == null || commonName.isEmpty() ? identity.mspId() : commonName;
    }

    /** A builder for a peer keeping its data in {@code dataDirectory} (created if absent). */
    public static PeerBuilder builder(final Path dataDirectory) {
        return new PeerBuilder(dataDirectory);
    }

    static Peer open(final PeerBuilder builder) {
        final PeerDirectory directory = PeerDirectory.lock(builder.dataDirectory);
        final Peer peer;
        try {
            peer = new Peer(builder, directory);
        } catch (RuntimeException e) {
            directory.close();
            throw e;
        }
        try {
            for (final String channelId : directory.joinedChannels()) {
                peer.rejoin(channelId);
            }
        } catch (RuntimeException e) {
            try {
                peer.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        LOG.info("peer {} ({}) opened {} with channels {}", peer.name, peer.mspId(), directory.root(),
                peer.channels.keySet());
        return peer;
    }

    private void rejoin(final String channelId) {
        final Block genesis = directory.readGenesisBlock(channelId);
        final ChannelConfig config;
        try {
            config = ChannelConfig.fromGenesisBlock(genesis);
        } catch (RuntimeException e) {
            throw new IllegalStateException("peer " + name + ": the stored genesis block of channel " + channelId
                    + " is not valid: " + e.getMessage(), e);
        }
        if (!config.channelId().equals(channelId)) {
            throw new IllegalStateException("peer " + name + ": " + directory.genesisBlockFile(channelId)
                    + " holds the genesis block of channel " + config.channelId());
        }
        synchronized (lifecycle) {
            start(genesis, config);
        }
    }

    /**
     * Joins a channel: stores its genesis block, opens its ledger, commits the genesis block and starts following the
     * orderer. Joining again with the same genesis block returns the channel; the join survives restarts.
     *
     * @throws IllegalArgumentException when the block is not a valid genesis block, the ordering service does not
     *                                  serve the channel or serves it with another configuration, or the peer
     *                                  joined the channel with another genesis block
     * @throws IllegalStateException    after {@link #close()}
     */
    public PeerChannel joinChannel(final Block genesisBlock) {
        Objects.requireNonNull(genesisBlock, "genesisBlock");
        final ChannelConfig config;
        try {
            config = ChannelConfig.fromGenesisBlock(genesisBlock);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a valid genesis block: " + e.getMessage(), e);
        }
        final String channelId = config.channelId();
        synchronized (lifecycle) {
            checkOpen();
            final PeerChannel existing = channels.get(channelId);
            if (existing != null) {
                if (existing.genesisBlock().equals(genesisBlock)) {
                    return existing;
                }
                throw new IllegalArgumentException("peer " + name + " already joined channel " + channelId
                        + " with a different genesis block");
            }
            final ChannelConfig served = orderer.channelConfig(channelId).orElseThrow(() ->
                    new IllegalArgumentException("channel " + channelId + " does not exist at the ordering service; "
                            + "create it there before joining"));
            if (!served.config().equals(config.config())) {
                throw new IllegalArgumentException("the ordering service serves channel " + channelId
                        + " with another configuration than this genesis block's");
            }
            directory.writeGenesisBlock(channelId, genesisBlock);
            final PeerChannel channel = start(genesisBlock, config);
            LOG.info("peer {} joined channel {}", name, channelId);
            return channel;
        }
    }

    /**
     * Joins a channel the ordering service serves, fetching its genesis block (block 0) from the orderer; then as
     * {@link #joinChannel(Block)}.
     *
     * @throws IllegalArgumentException when the ordering service does not serve the channel
     * @throws IllegalStateException    when the genesis block does not arrive within 30 s, or after {@link #close()}
     */
    public PeerChannel joinChannel(final String channelId) {
        Objects.requireNonNull(channelId, "channelId");
        checkOpen();
        final PeerChannel existing = channels.get(channelId);
        if (existing != null) {
            return existing;
        }
        final CompletableFuture<Block> genesis = new CompletableFuture<>();
        final Subscription subscription;
        try {
            subscription = orderer.subscribe(channelId, 0, genesis::complete);
        } catch (OrdererException e) {
            throw new IllegalArgumentException("cannot join channel " + channelId + ": " + e.getMessage(), e);
        }
        final Block block;
        try {
            block = genesis.get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the genesis block of channel " + channelId + " did not arrive from the "
                    + "ordering service within 30 s", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("fetching the genesis block of channel " + channelId + " failed: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching the genesis block of " + channelId, e);
        } finally {
            subscription.close();
        }
        return joinChannel(block);
    }

    /** Opens a channel's ledger and committer, commits the genesis block if needed, follows the orderer. */
    private PeerChannel start(final Block genesis, final ChannelConfig config) {
        final String channelId = config.channelId();
        final ChannelLedgerBuilder settings = ChannelLedger.builder(directory.ledger(channelId), channelId);
        ledgerSettings.accept(settings);
        final ChannelLedger ledger = settings.open();
        ChannelCommitter committer = null;
        PeerChannel channel = null;
        try {
            committer = newCommitter(ledger, config);
            channel = new PeerChannel(name, genesis, config, ledger, committer);
            channel.commitGenesisBlock();
            channels.put(channelId, channel);
            channel.startDelivery(orderer);
            joinOrder.add(channel);
            return channel;
        } catch (RuntimeException e) {
            channels.remove(channelId);
            if (channel != null) {
                channel.stopDelivery();
            }
            if (committer != null) {
                committer.close();
            }
            ledger.close();
            if (e instanceof OrdererException) {
                throw new IllegalStateException("peer " + name + " cannot follow channel " + channelId
                        + " at the ordering service: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /**
     * The committer of a channel: the committer package's {@link BlockCommitter}, agreeing with this peer's endorser on
     * which chaincodes are system chaincodes. The configuration is the genesis block's (this peer does not process
     * configuration updates).
     */
    private ChannelCommitter newCommitter(final ChannelLedger ledger, final ChannelConfig config) {
        final BlockCommitter committer = BlockCommitter.builder()
                .ledger(ledger)
                .channelConfig(() -> config)
                .systemChaincodes(SystemChaincodeProvider.of(endorser.chaincodeSupport().systemChaincodes()))
                .validatorPoolSize(validatorPoolSize)
                .build();
        return new ChannelCommitter() {
            @Override
            public CommittedBlock commit(final Block block) {
                return committer.commit(block);
            }

            @Override
            public void commit(final List<Block> blocks, final Consumer<CommittedBlock> committed) {
                committer.commit(blocks, committed);
            }

            @Override
            public void close() {
                committer.close();
            }
        };
    }

    /** A joined channel. */
    public Optional<PeerChannel> channel(final String channelId) {
        return Optional.ofNullable(channels.get(channelId));
    }

    /** The ids of the joined channels, sorted. */
    public SortedSet<String> channels() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(channels.keySet()));
    }

    /**
     * Fabric's {@code ProcessProposal}: checks, simulates and endorses a signed proposal (see {@link Endorser}).
     *
     * @return the response, endorsed or carrying Fabric's failure status and text
     * @throws ProposalRejectedException when the proposal is refused before simulation (Fabric's gRPC error)
     * @throws IllegalStateException     after {@link #close()}
     */
    public ProposalResponse processProposal(final SignedProposal proposal) throws ProposalRejectedException {
        checkOpen();
        return endorser.processProposal(proposal);
    }

    /** The peer's organisation (its local MSP id). */
    public String mspId() {
        return localMsp.name();
    }

    /** The peer's signing identity. */
    public SigningIdentity identity() {
        return identity;
    }

    /** The peer's local MSP. */
    public Msp localMsp() {
        return localMsp;
    }

    /** The name used in logs (default: the identity's common name). */
    public String name() {
        return name;
    }

    /** The data directory. */
    public Path dataDirectory() {
        return directory.root();
    }

    /** The installed chaincode packages ({@code <data>/chaincodes}). */
    public ChaincodePackageStore packages() {
        return packages;
    }

    /** The ordering service the peer follows. */
    public OrderingService orderer() {
        return orderer;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("peer " + name + " is closed");
        }
    }

    /**
     * Closes the delivery subscriptions (waiting for blocks being committed), the endorser and its chaincodes, the
     * committers, the ledgers and the lock, in that order. Idempotent.
     */
    @Override
    public void close() {
        final List<PeerChannel> reversed;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            reversed = new ArrayList<>(joinOrder);
            Collections.reverse(reversed);
        }
        RuntimeException failure = null;
        for (final PeerChannel channel : reversed) {
            failure = attempt(failure, channel::stopDelivery, "stopping the delivery of " + channel.id());
        }
        failure = attempt(failure, endorser::close, "closing the endorser");
        for (final PeerChannel channel : reversed) {
            failure = attempt(failure, channel::closeCommitter, "closing the committer of " + channel.id());
        }
        for (final PeerChannel channel : reversed) {
            failure = attempt(failure, channel::closeLedger, "closing the ledger of " + channel.id());
        }
        failure = attempt(failure, directory::close, "releasing the data directory");
        channels.clear();
        LOG.info("peer {} closed", name);
        if (failure != null) {
            throw failure;
        }
    }

    private RuntimeException attempt(final RuntimeException previous, final Runnable step, final String what) {
        try {
            step.run();
            return previous;
        } catch (RuntimeException e) {
            LOG.error("peer {}: {} failed", name, what, e);
            if (previous != null) {
                previous.addSuppressed(e);
                return previous;
            }
            return e;
        }
    }

    @Override
    public String toString() {
        return "Peer[" + name + " (" + mspId() + "), " + directory.root() + ", channels=" + channels.keySet()
                + (closed ? ", closed" : "") + "]";
    }
}
