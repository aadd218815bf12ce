package dev.fabricembedded.ledger;

import dev.fabricembedded.ledger.state.StateLimits;
import dev.fabricembedded.ledger.storage.MapSizing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Configures and opens a {@link ChannelLedger}. The defaults fit a demo: 100,000 state entries of 64-byte keys
 * and 256-byte values, values up to 1 MiB, history on. Chronicle Map allocates its files in full at creation
 * (measured: ~430 bytes per state entry at these averages, so ~45 MB for the defaults, and the first open of a
 * 1 M-entry ledger takes seconds). For a 10 M-key ledger set {@link #stateEntries} to 12-15 M (1.2-1.5x the
 * expected keys) and the averages to the real ones: ~5 GB of state file, and ~1 GB of heap for the sorted key
 * index.
 *
 * <p>The state sizing is fixed when the ledger directory is first created; reopening with other numbers keeps
 * the existing ones. The indexes that grow with the chain (transaction ids, history) are not bounded by it.
 */
public final class ChannelLedgerBuilder {
    private final Path directory;
    private final String channelId;
    private long stateEntries = 100_000;
    private int averageKeySize = 64;
    private int averageValueSize = 256;
    private int maxValueSize = StateLimits.DEFAULT_MAX_VALUE_SIZE;
    private double maxBloatFactor = 2.0;
    private boolean historyEnabled = true;
    private long historyEntries = -1;
    private long txIndexEntries = 100_000;
    private long blockFileSize = 64L << 20;
    private Duration closeTimeout = Duration.ofSeconds(30);
    private long stateCacheBytes = -1;

    ChannelLedgerBuilder(final Path directory, final String channelId) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.channelId = Objects.requireNonNull(channelId, "channelId");
        if (channelId.isEmpty()) {
            throw new IllegalArgumentException("channel id must not be empty");
        }
    }

    /**
     * Keys the world state can hold (default 100,000). A block that would exceed it is refused before
     * anything of it is stored.
     */
    public ChannelLedgerBuilder stateEntries(final long entries) {
        this.stateEntries = positive(entries, "stateEntries");
        return this;
    }

    /** Expected average key size in bytes, namespace included (default 64). */
    public ChannelLedgerBuilder averageKeySize(final int bytes) {
        this.averageKeySize = (int) positive(bytes, "averageKeySize");
        return this;
    }

    /** Expected average value size in bytes (default 256). */
    public ChannelLedgerBuilder averageValueSize(final int bytes) {
        this.averageValueSize = (int) positive(bytes, "averageValueSize");
        return this;
    }

    /**
     * Largest value a key may hold (default 1 MiB). A larger {@code setState} fails at once; a larger write in a
     * block makes its transaction {@code INVALID_WRITESET}.
     */
    public ChannelLedgerBuilder maxValueSize(final int bytes) {
        this.maxValueSize = (int) positive(bytes, "maxValueSize");
        return this;
    }

    /** Chronicle Map's head room for uneven hashing, in [1, 1000] (default 2). */
    public ChannelLedgerBuilder maxBloatFactor(final double factor) {
        if (!(factor >= 1.0 && factor <= 1000.0)) {
            throw new IllegalArgumentException("maxBloatFactor must be in [1, 1000], was " + factor);
        }
        this.maxBloatFactor = factor;
        return this;
    }

    /** Keep the history of keys (default true, as Fabric's {@code enableHistoryDatabase}). */
    public ChannelLedgerBuilder historyEnabled(final boolean enabled) {
        this.historyEnabled = enabled;
        return this;
    }

    /**
     * First-generation capacity of the history's key map, in distinct keys ever written (default:
     * {@link #stateEntries}).
     */
    public ChannelLedgerBuilder historyEntries(final long entries) {
        this.historyEntries = positive(entries, "historyEntries");
        return this;
    }

    /**
     * First-generation capacity of the transaction-id index (default 100,000). It grows by generations when full,
     * but each growth pauses one commit to allocate the new file and adds a probe to every duplicate-txid check,
     * so size it for the transactions the chain will hold.
     */
    public ChannelLedgerBuilder txIndexEntries(final long entries) {
        this.txIndexEntries = positive(entries, "txIndexEntries");
        return this;
    }

    /** Size at which the block store starts a new block file (default 64 MiB). */
    public ChannelLedgerBuilder blockFileSize(final long bytes) {
        this.blockFileSize = positive(bytes, "blockFileSize");
        return this;
    }

    /** How long {@link ChannelLedger#close()} waits for open simulators and query executors (default 30 s). */
    public ChannelLedgerBuilder closeTimeout(final Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("closeTimeout must not be negative, was " + timeout);
        }
        this.closeTimeout = timeout;
        return this;
    }

    /**
     * Heap budget of the state cache in front of the persisted world state, in bytes; 0 disables it (default: an
     * eighth of the JVM's maximum heap, {@code Runtime.maxMemory() / 8}).
     *
     * <p>Point reads (getState, the version and metadata reads of simulation and MVCC) of a cached key cost a
     * probe of an open-addressing table and a copy instead of a Chronicle Map lookup (~2.5x a
     * {@code ConcurrentHashMap} probe, mostly TLB and cache misses over the file mapping); commits keep the cached
     * keys up to date. An entry holds ~65 bytes besides its key and value (~185 bytes for a 20-byte key and a
     * 100-byte value, so a 1 M-key working set needs ~185 MB). A working set larger than the cache gets hits only
     * for the part that fits.
     *
     * <p>Why an eighth of the heap: the ledger is a library inside a host application, so a fixed figure would be
     * too small on a large heap and too large on a small one; an eighth leaves most of the heap to the host and
     * still holds ~700,000 such entries per GiB of heap. Fabric's own default (64 MB,
     * {@code ledger.state.couchDBConfig.cacheSize}) is one cache for the whole peer; here each channel's ledger
     * has its own, so a host opening many channels should set it per channel.
     */
    public ChannelLedgerBuilder stateCacheBytes(final long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("stateCacheBytes must not be negative (0 disables the cache), was "
                    + bytes);
        }
        this.stateCacheBytes = bytes;
        return this;
    }

    /**
     * Opens the ledger, recovering it if it was not closed cleanly.
     *
     * @throws LedgerInUseException if the directory is open elsewhere
     * @throws LedgerException      if the directory cannot be created or written, a store is corrupt, or the
     *                              state is ahead of the block store
     */
    public ChannelLedger open() {
        return KvLedger.open(this);
    }

    Path directory() {
        return directory;
    }

    String channelId() {
        return channelId;
    }

    StateLimits limits() {
        return StateLimits.withMaxValueSize(maxValueSize);
    }

    MapSizing stateSizing() {
        final StateLimits limits = limits();
        return new MapSizing(stateEntries, averageKeySize, averageValueSize + StateLimits.VALUE_HEADER_SIZE,
                Math.max(limits.maxEntrySize(), averageKeySize + averageValueSize + StateLimits.VALUE_HEADER_SIZE),
                maxBloatFactor);
    }

    boolean historyEnabled() {
        return historyEnabled;
    }

    long historyEntries() {
        return historyEntries > 0 ? historyEntries : stateEntries;
    }

    int averageKeySize() {
        return averageKeySize;
    }

    long txIndexEntries() {
        return txIndexEntries;
    }

    long blockFileSize() {
        return blockFileSize;
    }

    /** The state cache budget, the default resolved against the current heap; 0 for none. */
    long stateCacheBytes() {
        return stateCacheBytes >= 0 ? stateCacheBytes : Runtime.getRuntime().maxMemory() / 8;
    }

    Duration closeTimeout() {
        return closeTimeout;
    }

    private static long positive(final long value, final String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
        return value;
    }
}
