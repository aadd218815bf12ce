package dev.fabricembedded.peer.network;

import dev.fabricembedded.gateway.Gateway;
import dev.fabricembedded.ledger.LedgerInUseException;
import dev.fabricembedded.ledger.storage.DirectoryLock;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.folder.LocalMsp;
import dev.fabricembedded.msp.folder.MspFolder;
import dev.fabricembedded.orderer.OrderingService;
import dev.fabricembedded.orderer.solo.SoloOrderer;
import dev.fabricembedded.peer.Peer;
import dev.fabricembedded.peer.PeerBuilder;
import dev.fabricembedded.peer.PeerChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole Fabric network in one process, on one data directory ({@link NetworkLayout}): a solo orderer and one
 * peer per organisation, every peer joined to the network's channel. It is what the command line works on; a host
 * application can use it the same way to get a ready network without assembling the parts.
 *
 * <p>{@link #init} writes a new directory (crypto material in cryptogen's layout, the channel's genesis block) and
 * opens it; {@link #open} opens an existing one. Opening takes an exclusive lock on the whole directory first, so a
 * second process gets {@link NetworkInUseException} ({@code data directory X is in use by process N}) before it
 * touches anything; then it starts the orderer (signing as {@code orderer.example.com}, read from its MSP folder),
 * creates the channel on it (idempotent: the same genesis block is accepted again), and opens each peer (signing as
 * {@code peer0.org<N>.example.com}) and joins it to the channel (idempotent too). Reopening therefore restores the
 * network as it was: chains, ledgers, installed and instantiated chaincodes. Before it returns, and before it
 * closes, every peer has caught up with the orderer ({@link #sync()}).
 *
 * <p>Thread-safe for use (the peers, orderer and gateways are); {@link #close()} closes the peers in reverse order,
 * then the orderer, then releases the lock, and is idempotent. Gateways returned by {@link #gateway} belong to the
 * caller, who closes them before the network.
 */
public final class EmbeddedNetwork implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedNetwork.class);
    private static final Pattern PID = Pattern.compile("pid (\\d+)");
    /** How often {@link #sync()} looks at the heights (a commit takes milliseconds; no busy loop). */
    private static final long SYNC_POLL_MILLIS = 2;

    private final NetworkLayout layout;
    private final DirectoryLock lock;
    private final SoloOrderer orderer;
    private final List<Peer> peers;
    private final Block genesisBlock;
    private final Duration syncTimeout;
    private final Object lifecycle = new Object();
    private boolean closed;

    private EmbeddedNetwork(NetworkLayout layout, DirectoryLock lock, SoloOrderer orderer, List<Peer> peers,
            Block genesisBlock, Duration syncTimeout) {
        this.layout = layout;
        this.lock = lock;
        this.orderer = orderer;
        this.peers = List.copyOf(peers);
        this.genesisBlock = genesisBlock;
        this.syncTimeout = syncTimeout;
    }

    /**
     * Writes a new network of {@code organizations} organisations into {@code dataDirectory} without opening it:
     * crypto material, the channel's genesis block and {@code network.properties}, all or nothing.
     *
     * @throws IllegalArgumentException when the directory exists and is not empty, or the count is out of range
     * @throws UncheckedIOException     when writing fails (nothing is left behind)
     */
    public static NetworkLayout create(Path dataDirectory, int organizations) {
        NetworkLayout layout = new NetworkLayout(dataDirectory, organizations);
        NetworkInitializer.write(layout);
        return layout;
    }

    /**
     * Writes a new network ({@link #create}) and opens it ({@link #open}): {@code network init}.
     */
    public static EmbeddedNetwork init(Path dataDirectory, int organizations) {
        return open(create(dataDirectory, organizations).root());
    }

    /**
     * Opens the network in {@code dataDirectory} with default orderer and peer settings (see the class comment);
     * {@link #builder(Path)} sets them.
     *
     * @throws IllegalArgumentException when it is not a network directory, or its material cannot be read
     * @throws NetworkInUseException    when another process (or network instance) has it open
     */
    public static EmbeddedNetwork open(Path dataDirectory) {
        return builder(dataDirectory).open();
    }

    /** A builder opening the network in {@code dataDirectory} with settings of the orderer and of each peer. */
    public static Builder builder(Path dataDirectory) {
        return new Builder(dataDirectory);
    }

    private static EmbeddedNetwork open(Builder builder) {
        NetworkLayout layout = NetworkLayout.read(builder.dataDirectory);
        DirectoryLock lock = lock(layout.root());
        List<AutoCloseable> opened = new ArrayList<>();
        opened.add(lock);
        try {
            Block genesis = readGenesisBlock(layout);
            SigningIdentity ordererIdentity = MspFolder.read(layout.ordererMsp(), NetworkLayout.ORDERER_MSP_ID)
                    .signer();
            SoloOrderer.Builder ordererBuilder = SoloOrderer.builder(layout.ordererDataDirectory(), ordererIdentity);
            builder.ordererSettings.accept(ordererBuilder);
            SoloOrderer orderer = ordererBuilder.open();
            opened.add(orderer);
            orderer.createChannel(genesis);
            List<Peer> peers = new ArrayList<>();
            for (int n = 1; n <= layout.organizations(); n++) {
                LocalMsp local = MspFolder.read(layout.peerMsp(n), NetworkLayout.mspId(n));
                PeerBuilder peerBuilder = Peer.builder(layout.peerDirectory(n));
                builder.peerSettings.accept(NetworkLayout.organizationName(n), peerBuilder);
                Peer peer = peerBuilder
                        .signingIdentity(local.signer())
                        .localMsp(local.msp())
                        .orderer(orderer)
                        .open();
                opened.add(peer);
                peer.joinChannel(genesis);
                peers.add(peer);
            }
            EmbeddedNetwork network = new EmbeddedNetwork(layout, lock, orderer, peers, genesis, builder.syncTimeout);
            network.sync();
            LOG.info("network {} open: orderer and {} peers on channel {}", layout.root(), peers.size(),
                    layout.channelId());
            return network;
        } catch (RuntimeException e) {
            Collections.reverse(opened);
            for (AutoCloseable resource : opened) {
                try {
                    resource.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private static DirectoryLock lock(Path root) {
        try {
            return DirectoryLock.acquire(root);
        } catch (LedgerInUseException e) {
            throw new NetworkInUseException(root, holder(root.resolve(DirectoryLock.FILE_NAME)), e);
        }
    }

    /** The pid the lock file names (the holder writes {@code pid N}), or -1. */
    private static long holder(Path lockFile) {
        try {
            Matcher matcher = PID.matcher(Files.readString(lockFile, StandardCharsets.US_ASCII));
            return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static Block readGenesisBlock(NetworkLayout layout) {
        Path file = layout.genesisBlock();
        try {
            return Block.parseFrom(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the genesis block of channel " + layout.channelId()
                    + " from " + file + ": " + e.getMessage(), e);
        }
    }

    /** Where everything of this network is. */
    public NetworkLayout layout() {
        return layout;
    }

    /** The network's channel ({@code mychannel}). */
    public String channelId() {
        return layout.channelId();
    }

    /** The channel's genesis block. */
    public Block genesisBlock() {
        return genesisBlock;
    }

    /** The organisations' short names, {@code org1} to {@code org<N>}. */
    public List<String> organizations() {
        return layout.organizationNames();
    }

    /** The ordering service (solo). */
    public OrderingService orderer() {
        return orderer;
    }

    /** The peers, organisation 1 first. */
    public List<Peer> peers() {
        return peers;
    }

    /**
     * The peer of an organisation.
     *
     * @param organization {@code org<N>}, {@code Org<N>MSP}, {@code org<N>.example.com} or {@code <N>}
     * @throws IllegalArgumentException for an unknown organisation
     */
    public Peer peer(String organization) {
        return peers.get(layout.organizationNumber(organization) - 1);
    }

    /** The network channel as joined by an organisation's peer. */
    public PeerChannel channel(String organization) {
        return peer(organization).channel(layout.channelId()).orElseThrow(() -> new IllegalStateException(
                "peer of " + organization + " has not joined " + layout.channelId()));
    }

    /**
     * The signing identity of a user of an organisation, read from its MSP folder.
     *
     * @param user {@value NetworkLayout#ADMIN} or {@value NetworkLayout#USER1}
     */
    public SigningIdentity identity(String organization, String user) {
        int n = layout.organizationNumber(organization);
        NetworkLayout.checkUser(user);
        return MspFolder.read(layout.userMsp(n, user), NetworkLayout.mspId(n)).signer();
    }

    /**
     * A gateway acting as {@code user} of {@code organization}, endorsing on every peer of the network (the
     * organisation's own peer first, which also answers evaluations) and ordering through the network's orderer.
     * The caller closes it.
     */
    public Gateway gateway(String organization, String user) {
        Peer own = peer(organization);
        List<Peer> endorsers = new ArrayList<>();
        endorsers.add(own);
        peers.stream().filter(p -> p != own).forEach(endorsers::add);
        return Gateway.builder()
                .identity(identity(organization, user))
                .peers(endorsers.toArray(Peer[]::new))
                .orderer(orderer)
                .build();
    }

    /**
     * Waits until every peer has committed every block the orderer has cut on the channel (bounded by the
     * builder's {@code syncTimeout}, 30 s by default).
     *
     * <p>Why: each peer commits on its own delivery thread, so right after a submit (which waits for the commit on
     * one peer) or after an open (where each peer catches up with the blocks cut while it was closed) the peers may
     * be at different heights. Endorsing then would give different read sets on different peers (Fabric's
     * {@code ProposalResponsePayloads do not match}) and a query could read a stale state. {@link #open} and
     * {@link #close} call it; call it after a submit before the next endorsement.
     *
     * @throws IllegalStateException naming the peers that did not catch up (and why, when a channel failed)
     */
    public void sync() {
        String channelId = layout.channelId();
        long deadline = System.nanoTime() + syncTimeout.toNanos();
        while (true) {
            long target = orderer.height(channelId);
            List<String> behind = new ArrayList<>();
            for (Peer peer : peers) {
                PeerChannel channel = peer.channel(channelId).orElseThrow();
                if (channel.failure().isPresent()) {
                    throw new IllegalStateException("peer " + peer.name() + " stopped committing channel "
                            + channelId + " at height " + channel.height() + ": "
                            + channel.failure().get().getMessage(), channel.failure().get());
                }
                if (channel.height() < target) {
                    behind.add(peer.name() + " at height " + channel.height());
                }
            }
            if (behind.isEmpty()) {
                return;
            }
            if (System.nanoTime() >= deadline) {
                throw new IllegalStateException("peers did not catch up with the orderer's height " + target
                        + " of channel " + channelId + " within " + syncTimeout.toMillis() + " ms: "
                        + String.join(", ", behind));
            }
            try {
                Thread.sleep(SYNC_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the peers to catch up", e);
            }
        }
    }

    /** Closes the peers (last first), the orderer, then releases the directory. Idempotent. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        RuntimeException failure = null;
        try {
            sync(); // leave every peer's ledger at the orderer's height
        } catch (RuntimeException e) {
            LOG.warn("closing network {} with peers behind the orderer (they catch up on the next open): {}",
                    layout.root(), e.getMessage());
        }
        List<AutoCloseable> resources = new ArrayList<>(peers);
        Collections.reverse(resources);
        resources.add(orderer);
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.error("closing {} failed", resource, e);
                if (failure == null) {
                    failure = e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        lock.close();
        LOG.info("network {} closed", layout.root());
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Opens an {@link EmbeddedNetwork} with settings for its parts. Defaults: the orderer's and the peers' own
     * defaults ({@link SoloOrderer.Builder}, {@link PeerBuilder}). The identities, MSPs, data directories and the
     * orderer of each peer come from the network and are set after the settings, so the settings cannot change them.
     */
    public static final class Builder {
        private final Path dataDirectory;
        private Consumer<SoloOrderer.Builder> ordererSettings = b -> { };
        private BiConsumer<String, PeerBuilder> peerSettings = (org, b) -> { };
        private Duration syncTimeout = Duration.ofSeconds(30);

        private Builder(Path dataDirectory) {
            this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
        }

        /** Settings of the solo orderer, e.g. {@code b -> b.queueCapacity(10_000)}. */
        public Builder ordererSettings(Consumer<SoloOrderer.Builder> settings) {
            this.ordererSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Settings of each peer, given the organisation's short name ({@code org1}...), e.g.
         * {@code (org, b) -> b.executeTimeout(Duration.ofSeconds(5))}.
         */
        public Builder peerSettings(BiConsumer<String, PeerBuilder> settings) {
            this.peerSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** How long {@link EmbeddedNetwork#sync()} waits for the peers to catch up (default 30 s). */
        public Builder syncTimeout(Duration timeout) {
            if (Objects.requireNonNull(timeout, "timeout").isNegative()) {
                throw new IllegalArgumentException("syncTimeout must not be negative");
            }
            this.syncTimeout = timeout;
            return this;
        }

        /**
         * Opens the network (see {@link EmbeddedNetwork}).
         *
         * @throws IllegalArgumentException when it is not a network directory, or its material cannot be read
         * @throws NetworkInUseException    when another process (or network instance) has it open
         */
        public EmbeddedNetwork open() {
            return EmbeddedNetwork.open(this);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedNetwork[" + layout.root() + ", " + peers.size() + " peers, channel " + layout.channelId()
                + "]";
    }
}
