package dev.fabricembedded.ledger.storage;

import dev.fabricembedded.ledger.LedgerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A persisted byte[] map that never fills up: a chain of Chronicle Map generations, each {@value #GROWTH} times
 * the capacity of the one before; writes go to the newest, reads look from the newest to the oldest.
 *
 * <p>Why: the transaction-id index and the history index grow with the chain, for ever, while a Chronicle Map's
 * capacity is fixed at creation. These indexes are insert-mostly and small-valued, so a newer generation can
 * simply shadow an older one. Costs of growing: a lookup of an absent key probes every generation (so the first
 * generation should be sized for the expected chain, growth being the safety net), and the write that fills a
 * generation creates the next one, which Chronicle writes in full (a one-off pause: ~100 MB/s here, about
 * 0.5 s for a 400,000-entry transaction index generation). The world state is different: it is sized by the
 * user and refuses blocks it cannot take, because a missing key there must cost a single probe.
 *
 * <p>Keys starting with byte 0 are reserved for the owner's own bookkeeping ({@link #putMeta}); they live in
 * the first generation.
 *
 * <p>Thread safety: one writer (the committing thread); any number of concurrent readers.
 */
public final class GenerationalMap implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GenerationalMap.class);
    private static final int MAX_GENERATIONS = 20;
    private static final int GROWTH = 4;

    private final Path directory;
    private final String prefix;
    private final MapSizing baseSizing;
    private volatile PersistedMap[] generations;
    /** Entries of the newest generation, counted by the writer (Chronicle's own count walks every segment). */
    private long newestSize;

    private GenerationalMap(final Path directory, final String prefix, final MapSizing baseSizing,
                            final PersistedMap[] generations) {
        this.directory = directory;
        this.prefix = prefix;
        this.baseSizing = baseSizing;
        this.generations = generations;
        this.newestSize = generations[generations.length - 1].map().longSize();
    }

    /**
     * Opens every generation found in {@code directory} (files {@code <prefix>-NNN.cm}), creating the first one
     * if there is none.
     *
     * @param recover open in Chronicle's recovery mode (after a process crash)
     */
    public static GenerationalMap open(final Path directory, final String prefix, final MapSizing baseSizing,
                                       final boolean recover) {
        final TreeMap<Integer, Path> found = new TreeMap<>();
        final Pattern pattern = Pattern.compile(Pattern.quote(prefix) + "-(\\d{3})\\.cm");
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path path : stream) {
                final Matcher matcher = pattern.matcher(path.getFileName().toString());
                if (matcher.matches()) {
                    found.put(Integer.parseInt(matcher.group(1)), path);
                }
            }
        } catch (IOException e) {
            throw new LedgerException("cannot list " + directory + ": " + e, e);
        }
        final List<PersistedMap> opened = new ArrayList<>();
        try {
            if (found.isEmpty()) {
                opened.add(PersistedMap.open(file(directory, prefix, 0), baseSizing, prefix + "-0", false));
            } else {
                int expected = 0;
                for (var entry : found.entrySet()) {
                    if (entry.getKey() != expected++) {
                        throw new LedgerException("generation files of " + prefix + " in " + directory
                                + " are not contiguous: " + found.keySet());
                    }
                    opened.add(PersistedMap.open(entry.getValue(), sizing(baseSizing, entry.getKey()),
                            prefix + "-" + entry.getKey(), recover));
                }
            }
        } catch (RuntimeException e) {
            for (int i = opened.size() - 1; i >= 0; i--) {
                opened.get(i).close();
            }
            throw e;
        }
        return new GenerationalMap(directory, prefix, baseSizing, opened.toArray(new PersistedMap[0]));
    }

    /** Deletes every generation of the map (to rebuild it from the block store). */
    public static void delete(final Path directory, final String prefix) {
        for (int g = 0; g < MAX_GENERATIONS; g++) {
            PersistedMap.delete(file(directory, prefix, g));
        }
    }

    private static Path file(final Path directory, final String prefix, final int generation) {
        return directory.resolve(String.format("%s-%03d.cm", prefix, generation));
    }

    private static MapSizing sizing(final MapSizing base, final int generation) {
        long entries = base.entries();
        for (int g = 0; g < generation && entries < (1L << 40); g++) {
            entries *= GROWTH;
        }
        return base.withEntries(entries);
    }

    /** The value of {@code key} in the newest generation holding it, or null. */
    public byte[] get(final byte[] key) {
        final PersistedMap[] current = generations;
        for (int g = current.length - 1; g >= 0; g--) {
            final byte[] value = current[g].map().get(key);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** Writes {@code key} into the newest generation, starting a new one first if the newest is full. */
    public void put(final byte[] key, final byte[] value) {
        PersistedMap newest = newest();
        if (newestSize >= newest.sizing().entries() && !newest.map().containsKey(key)) {
            newest = addGeneration();
        }
        if (newest.map().put(key, value) == null) {
            newestSize++;
        }
    }

    /**
     * Writes {@code key} into the newest generation unless some generation holds it already (one lookup per
     * older generation, then a single insert-if-absent in the newest).
     */
    public void putIfAbsent(final byte[] key, final byte[] value) {
        final PersistedMap[] current = generations;
        for (int g = current.length - 2; g >= 0; g--) {
            if (current[g].map().containsKey(key)) {
                return;
            }
        }
        PersistedMap newest = current[current.length - 1];
        if (newestSize >= newest.sizing().entries()) {
            if (newest.map().containsKey(key)) {
                return;
            }
            newest = addGeneration();
        }
        if (newest.map().putIfAbsent(key, value) == null) {
            newestSize++;
        }
    }

    /** Reads a bookkeeping entry (key starting with byte 0) from the first generation. */
    public byte[] getMeta(final byte[] key) {
        return generations[0].map().get(key);
    }

    /** Writes a bookkeeping entry (key starting with byte 0) into the first generation. */
    public void putMeta(final byte[] key, final byte[] value) {
        if (key.length == 0 || key[0] != 0) {
            throw new IllegalArgumentException("bookkeeping keys must start with byte 0");
        }
        if (generations[0].map().put(key, value) == null && generations.length == 1) {
            newestSize++;
        }
    }

    /** Number of generations (1 until the first one fills up). */
    public int generationCount() {
        return generations.length;
    }

    /** Entries over all generations, shadowed ones included. */
    public long size() {
        long size = 0;
        for (PersistedMap map : generations) {
            size += map.map().longSize();
        }
        return size;
    }

    private PersistedMap newest() {
        final PersistedMap[] current = generations;
        return current[current.length - 1];
    }

    private PersistedMap addGeneration() {
        final PersistedMap[] current = generations;
        final int generation = current.length;
        if (generation >= MAX_GENERATIONS) {
            throw new LedgerException(prefix + " in " + directory + " reached " + MAX_GENERATIONS + " generations");
        }
        final MapSizing sizing = sizing(baseSizing, generation);
        LOG.info("{} in {}: generation {} is full, starting generation {} with {} entries", prefix, directory,
                generation - 1, generation, sizing.entries());
        final PersistedMap added = PersistedMap.open(file(directory, prefix, generation), sizing,
                prefix + "-" + generation, false);
        final PersistedMap[] next = new PersistedMap[generation + 1];
        System.arraycopy(current, 0, next, 0, generation);
        next[generation] = added;
        generations = next;
        newestSize = added.map().longSize();
        return added;
    }

    /** Closes (and syncs) every generation, newest first. */
    @Override
    public void close() {
        final PersistedMap[] current = generations;
        RuntimeException failure = null;
        for (int g = current.length - 1; g >= 0; g--) {
            try {
                current[g].close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
