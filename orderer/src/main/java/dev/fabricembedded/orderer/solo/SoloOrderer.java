package dev.fabricembedded.orderer.solo;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.ledger.LedgerException;
import dev.fabricembedded.ledger.LedgerInUseException;
import dev.fabricembedded.ledger.block.BlockStore;
import dev.fabricembedded.ledger.storage.DirectoryLock;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.policy.PolicyResult;
import dev.fabricembedded.msp.policy.SignedData;
import dev.fabricembedded.orderer.BlockListener;
import dev.fabricembedded.orderer.OrdererException;
import dev.fabricembedded.orderer.OrderingService;
import dev.fabricembedded.orderer.Subscription;
import dev.fabricembedded.orderer.block.BlockSigner;
import dev.fabricembedded.orderer.channelconfig.ChannelConfig;
import dev.fabricembedded.orderer.channelconfig.ChannelProfile;
import dev.fabricembedded.orderer.channelconfig.ConfigKeys;
import dev.fabricembedded.orderer.channelconfig.InvalidChannelConfigException;
import dev.fabricembedded.orderer.msgprocessor.EmptyRejectRule;
import dev.fabricembedded.orderer.msgprocessor.RuleSet;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The embedded ordering service: Fabric's solo orderer for any number of channels in one process.
 *
 * <p>Broadcast (fabric-1.4-flow.md §5.2) runs on the caller's thread, in this order: a closed service answers
 * {@code SERVICE_UNAVAILABLE}; an empty payload {@code BAD_REQUEST Message was empty}; a payload whose channel header
 * cannot be read {@code BAD_REQUEST could not determine channel ID: ...}; a config message (CONFIG_UPDATE, CONFIG,
 * ORDERER_TRANSACTION) {@code BAD_REQUEST}, since channel configuration is fixed at the genesis block here; an
 * unknown channel {@code NOT_FOUND channel does not exist}; then the channel's standard filters
 * ({@link RuleSet#standardChannel}: {@code AbsoluteMaxBytes} → {@code BAD_REQUEST message payload is X bytes and
 * exceeds maximum allowed Y bytes}, an expired creator → {@code BAD_REQUEST identity expired}, not a
 * {@code /Channel/Writers} signature → {@code FORBIDDEN <policy error>: permission denied}). Fabric checks the
 * channel header before the empty-payload rule, so it answers an empty payload with
 * {@code could not determine channel ID: header not set}; both are BAD_REQUEST, this one names the actual problem.
 *
 * <p>Each channel is a {@link SoloChain}: a named ordering thread running the block cutter and the batch timer, and
 * a {@link BlockStore} under {@code <data>/orderer/<channel>} whose block 0 is the channel's genesis block. Blocks are
 * signed by the orderer's identity, which must satisfy each channel's {@code /Channel/Orderer/BlockValidation}
 * (checked when a channel is created or reopened). Opening a data directory reopens every channel and continues its
 * chain; the directory is locked against a second orderer (in this or another process).
 *
 * <p>Thread-safe. {@link #close()} closes the channels in reverse creation order and releases the lock.
 */
public final class SoloOrderer implements OrderingService {

    private static final Logger LOG = LoggerFactory.getLogger(SoloOrderer.class);
    /** Fabric's text for a normal message to a channel this orderer does not have. */
    public static final String CHANNEL_DOES_NOT_EXIST = "channel does not exist";
    /** Subdirectory of the data directory holding the chains. */
    public static final String DIRECTORY = "orderer";

    private final Path root;
    private final DirectoryLock lock;
    private final BlockSigner signer;
    private final Clock clock;
    private final boolean expirationChecks;
    private final int queueCapacity;
    private final Duration closeTimeout;
    private final long blockIndexEntries;
    private final Map<String, SoloChain> chains = new ConcurrentSkipListMap<>();
    private final List<SoloChain> creationOrder = new ArrayList<>();
    private final Object lifecycle = new Object();
    private volatile boolean closed;

    private SoloOrderer(Builder builder, DirectoryLock lock) {
        this.root = builder.dataDirectory.resolve(DIRECTORY);
        this.lock = lock;
        this.signer = new BlockSigner(builder.signer);
        this.clock = builder.clock;
        this.expirationChecks = builder.expirationChecks;
        this.queueCapacity = builder.queueCapacity;
        this.closeTimeout = builder.closeTimeout;
        this.blockIndexEntries = builder.blockIndexEntries;
    }

    /**
     * A builder for an orderer keeping its chains under {@code <dataDirectory>/orderer} and signing blocks with
     * {@code signer}.
     */
    public static Builder builder(Path dataDirectory, SigningIdentity signer) {
        return new Builder(dataDirectory, signer);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Broadcast

    @Override
    public BroadcastResponse broadcast(Envelope envelope) {
        Objects.requireNonNull(envelope, "envelope");
        if (closed) {
            return response(Status.SERVICE_UNAVAILABLE, "the orderer is closed");
        }
        if (envelope.getPayload().isEmpty()) {
            return response(Status.BAD_REQUEST, EmptyRejectRule.MESSAGE);
        }
        ChannelHeader header;
        try {
            header = channelHeader(envelope);
        } catch (IllegalArgumentException e) {
            return response(Status.BAD_REQUEST, "could not determine channel ID: " + e.getMessage());
        }
        int type = header.getType();
        if (type == HeaderType.CONFIG_UPDATE_VALUE || type == HeaderType.CONFIG_VALUE
                || type == HeaderType.ORDERER_TRANSACTION_VALUE) {
            return response(Status.BAD_REQUEST, "config message of type " + HeaderType.forNumber(type)
                    + " rejected: this orderer does not update channel configuration (it is fixed at the genesis "
                    + "block)");
        }
        SoloChain chain = chains.get(header.getChannelId());
        if (chain == null) {
            return response(Status.NOT_FOUND, CHANNEL_DOES_NOT_EXIST);
        }
        return chain.order(envelope);
    }

    /** Fabric's {@code utils.ChannelHeader(env)}, with its texts. */
    private static ChannelHeader channelHeader(Envelope envelope) {
        Payload payload;
        try {
            payload = Payload.parseFrom(envelope.getPayload());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("error unmarshaling Payload: " + e.getMessage(), e);
        }
        if (!payload.hasHeader()) {
            throw new IllegalArgumentException("header not set");
        }
        if (payload.getHeader().getChannelHeader().isEmpty()) {
            throw new IllegalArgumentException("channel header not set");
        }
        try {
            return ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("error unmarshaling channel header: " + e.getMessage(), e);
        }
    }

    private static BroadcastResponse response(Status status, String info) {
        return BroadcastResponse.newBuilder().setStatus(status).setInfo(info).build();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Deliver and channels

    @Override
    public Subscription subscribe(String channelId, long fromHeight, BlockListener listener) {
        Objects.requireNonNull(listener, "listener");
        checkOpen();
        return chain(channelId).subscribe(fromHeight, listener);
    }

    @Override
    public boolean createChannel(Block genesisBlock) {
        Objects.requireNonNull(genesisBlock, "genesisBlock");
        ChannelConfig config;
        try {
            config = ChannelConfig.fromGenesisBlock(genesisBlock);
        } catch (InvalidChannelConfigException e) {
            throw new OrdererException(OrdererException.Reason.INVALID_GENESIS_BLOCK,
                    "invalid genesis block: " + e.getMessage(), e);
        }
        String channelId = config.channelId();
        synchronized (lifecycle) {
            checkOpen();
            SoloChain existing = chains.get(channelId);
            if (existing != null) {
                if (existing.genesisBlock().equals(genesisBlock)) {
                    return false;
                }
                throw new OrdererException(OrdererException.Reason.CHANNEL_EXISTS,
                        "channel " + channelId + " already exists with a different genesis block");
            }
            checkServable(config);
            BlockStore store = openStore(channelId);
            try {
                if (store.height() == 0) {
                    store.append(genesisBlock);
                } else if (!store.blockByNumber(0).map(genesisBlock::equals).orElse(false)) {
                    throw new OrdererException(OrdererException.Reason.CHANNEL_EXISTS, "channel " + channelId
                            + " already has a chain with a different genesis block in " + root.resolve(channelId));
                }
                start(config, store);
            } catch (RuntimeException e) {
                store.close();
                throw e instanceof OrdererException ? e : new OrdererException(OrdererException.Reason.STORAGE,
                        "channel " + channelId + ": could not store the genesis block: " + e.getMessage(), e);
            }
            LOG.info("created channel {}", channelId);
            return true;
        }
    }

    @Override
    public SortedSet<String> channels() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(chains.keySet()));
    }

    @Override
    public long height(String channelId) {
        return chain(channelId).height();
    }

    @Override
    public Optional<ChannelConfig> channelConfig(String channelId) {
        return Optional.ofNullable(chains.get(channelId)).map(SoloChain::config);
    }

    /** The data directory's {@code orderer} subdirectory holding the chains. */
    public Path directory() {
        return root;
    }

    /** The identity signing the blocks. */
    public SigningIdentity signer() {
        return signer.identity();
    }

    private SoloChain chain(String channelId) {
        SoloChain chain = chains.get(Objects.requireNonNull(channelId, "channelId"));
        if (chain == null) {
            throw new OrdererException(OrdererException.Reason.CHANNEL_NOT_FOUND,
                    "channel " + channelId + " does not exist");
        }
        return chain;
    }

    private void checkOpen() {
        if (closed) {
            throw new OrdererException(OrdererException.Reason.CLOSED, "the orderer is closed");
        }
    }

    /** The consensus type must be solo and this orderer's block signatures must satisfy BlockValidation. */
    private void checkServable(ChannelConfig config) {
        if (!ConfigKeys.SOLO.equals(config.consensusType())) {
            throw new OrdererException(OrdererException.Reason.UNSUPPORTED_CONFIG, "channel " + config.channelId()
                    + ": consensus type '" + config.consensusType() + "' is not supported by the solo orderer");
        }
        byte[] probe = ("block signer check for " + config.channelId()).getBytes(StandardCharsets.UTF_8);
        SigningIdentity identity = signer.identity();
        PolicyResult result = config.evaluate(ConfigKeys.BLOCK_VALIDATION_PATH, List.of(new SignedData(
                ByteString.copyFrom(probe), identity.serialized(), ByteString.copyFrom(identity.sign(probe)))));
        if (!result.isSatisfied()) {
            throw new OrdererException(OrdererException.Reason.SIGNER_NOT_AUTHORIZED, "channel " + config.channelId()
                    + ": blocks signed by the orderer identity " + identity.mspId() + " (" + identity.certificate()
                    .subject() + ") would not satisfy " + ConfigKeys.BLOCK_VALIDATION_PATH + ": " + result.message());
        }
    }

    private BlockStore openStore(String channelId) {
        try {
            return BlockStore.builder(root.resolve(channelId)).indexEntries(blockIndexEntries).open();
        } catch (LedgerException e) {
            throw new OrdererException(OrdererException.Reason.STORAGE, "channel " + channelId
                    + ": could not open its block store: " + e.getMessage(), e);
        }
    }

    private void start(ChannelConfig config, BlockStore store) {
        SoloChain chain = new SoloChain(config, store, signer,
                RuleSet.standardChannel(config, clock, expirationChecks), queueCapacity, closeTimeout);
        chain.start();
        chains.put(config.channelId(), chain);
        creationOrder.add(chain);
    }

    /** Reopens every chain found under the directory (called once, before the orderer is published). */
    private void reopenChains() {
        List<Path> directories = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(root, Files::isDirectory)) {
            stream.forEach(directories::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        directories.sort(null);
        for (Path directory : directories) {
            String channelId = directory.getFileName().toString();
            try {
                ChannelProfile.checkChannelId(channelId);
            } catch (IllegalArgumentException e) {
                LOG.warn("ignoring {}: not a channel directory ({})", directory, e.getMessage());
                continue;
            }
            BlockStore store = openStore(channelId);
            try {
                if (store.height() == 0) {
                    LOG.info("channel {}: no genesis block stored (creation did not complete), not reopened",
                            channelId);
                    store.close();
                    continue;
                }
                Block genesis = store.blockByNumber(0).orElseThrow();
                ChannelConfig config = ChannelConfig.fromGenesisBlock(genesis);
                if (!config.channelId().equals(channelId)) {
                    throw new OrdererException(OrdererException.Reason.INVALID_GENESIS_BLOCK, "directory " + directory
                            + " holds the chain of channel " + config.channelId());
                }
                checkServable(config);
                start(config, store);
            } catch (InvalidChannelConfigException e) {
                store.close();
                throw new OrdererException(OrdererException.Reason.INVALID_GENESIS_BLOCK, "channel " + channelId
                        + ": stored genesis block is not valid: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
        }
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        RuntimeException failure = null;
        List<SoloChain> reversed = new ArrayList<>(creationOrder);
        Collections.reverse(reversed);
        for (SoloChain chain : reversed) {
            try {
                chain.close();
            } catch (RuntimeException e) {
                LOG.error("closing channel {} failed", chain.channelId(), e);
                failure = failure == null ? e : failure;
            }
        }
        lock.close();
        LOG.info("solo orderer {} closed", root);
        if (failure != null) {
            throw new OrdererException(OrdererException.Reason.STORAGE, "closing the orderer failed: "
                    + failure.getMessage(), failure);
        }
    }

    @Override
    public String toString() {
        return "SoloOrderer[" + root + ", channels=" + chains.keySet() + (closed ? ", closed" : "") + "]";
    }

    /**
     * Builder for {@link SoloOrderer}. Defaults: system clock, expiration checks on (Fabric's
     * {@code General.Authentication.NoExpirationChecks = false}), 1,000 queued envelopes per channel, 30 s close
     * timeout, 65,536 first-generation entries in each chain's transaction/hash index.
     */
    public static final class Builder {
        private final Path dataDirectory;
        private final SigningIdentity signer;
        private Clock clock = Clock.systemUTC();
        private boolean expirationChecks = true;
        private int queueCapacity = 1_000;
        private Duration closeTimeout = Duration.ofSeconds(30);
        private long blockIndexEntries = 65_536;

        private Builder(Path dataDirectory, SigningIdentity signer) {
            this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
            this.signer = Objects.requireNonNull(signer, "signer");
        }

        /** The clock the creator-expiry filter compares certificates with. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Whether broadcast rejects expired creators (when the channel's orderer capabilities ask for it). */
        public Builder expirationChecks(boolean enabled) {
            this.expirationChecks = enabled;
            return this;
        }

        /**
         * Envelopes accepted but not yet ordered, per channel; a broadcast waits for room when the queue is full
         * (back-pressure, as Fabric's solo orderer blocks the Broadcast stream).
         */
        public Builder queueCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("queueCapacity must be at least 1, got " + capacity);
            }
            this.queueCapacity = capacity;
            return this;
        }

        /** How long close waits for an ordering or delivery thread (a listener still running) to end. */
        public Builder closeTimeout(Duration timeout) {
            if (Objects.requireNonNull(timeout, "timeout").isNegative()) {
                throw new IllegalArgumentException("closeTimeout must not be negative");
            }
            this.closeTimeout = timeout;
            return this;
        }

        /** First-generation capacity of each chain's transaction-id/block-hash index (it grows by doubling). */
        public Builder blockIndexEntries(long entries) {
            if (entries < 1) {
                throw new IllegalArgumentException("blockIndexEntries must be at least 1, got " + entries);
            }
            this.blockIndexEntries = entries;
            return this;
        }

        /**
         * Opens the orderer: locks {@code <data>/orderer}, reopens every channel found there and starts ordering.
         *
         * @throws OrdererException {@code IN_USE} when another orderer holds the directory, {@code STORAGE},
         *                          {@code INVALID_GENESIS_BLOCK} or {@code SIGNER_NOT_AUTHORIZED} for a stored
         *                          chain (everything opened so far is closed again)
         */
        public SoloOrderer open() {
            Path root = dataDirectory.resolve(DIRECTORY);
            try {
                Files.createDirectories(root);
            } catch (IOException e) {
                throw new OrdererException(OrdererException.Reason.STORAGE, "cannot create " + root + ": " + e, e);
            }
            DirectoryLock lock;
            try {
                lock = DirectoryLock.acquire(root);
            } catch (LedgerInUseException e) {
                throw new OrdererException(OrdererException.Reason.IN_USE, "orderer data directory " + root
                        + " is in use by another orderer instance; close it first", e);
            } catch (LedgerException e) {
                throw new OrdererException(OrdererException.Reason.STORAGE, "cannot lock " + root + ": "
                        + e.getMessage(), e);
            }
            SoloOrderer orderer = new SoloOrderer(this, lock);
            try {
                orderer.reopenChains();
            } catch (RuntimeException e) {
                try {
                    orderer.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e instanceof OrdererException ? e : new OrdererException(OrdererException.Reason.STORAGE,
                        "reopening the chains under " + root + " failed: " + e.getMessage(), e);
            }
            LOG.info("solo orderer open at {} with channels {}", root, orderer.chains.keySet());
            return orderer;
        }
    }
}
