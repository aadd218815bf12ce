package dev.fabricembedded.ledger.storage;

import dev.fabricembedded.ledger.LedgerException;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * How a persisted Chronicle Map is sized; fixed when the map file is created, stored beside it.
 *
 * <p>Chronicle Map allocates its file from these numbers at creation and can never grow past
 * {@code entries x maxBloatFactor} (shared/reference/infra.md), so they are kept with the file and the ledger
 * enforces {@link #entries()} itself, before writing, as a logical capacity. The physical map keeps head room
 * above it (measured: inserts succeed up to ~2.7x {@code entries} at bloat 1, ~3.7x at bloat 2), so uneven
 * hashing never makes Chronicle refuse a write the ledger has accepted.
 *
 * <p>One entry can be at most one segment tier. {@link #builder} therefore chooses the segment count (and if
 * need be raises the physical entry count) so that a tier holds {@link #maxEntrySize()} bytes; the map creation
 * verifies it with a probe entry.
 *
 * @param entries          logical capacity in entries
 * @param averageKeySize   expected average key size in bytes
 * @param averageValueSize expected average value size in bytes
 * @param maxEntrySize     largest key + value that must fit, in bytes
 * @param maxBloatFactor   Chronicle's {@code maxBloatFactor}: extra segment tiers allowed beyond the sizing
 */
public record MapSizing(long entries, int averageKeySize, int averageValueSize, int maxEntrySize,
                        double maxBloatFactor) {

    private static final double TIER_HEADROOM = 1.25;

    public MapSizing {
        if (entries < 1) {
            throw new IllegalArgumentException("entries must be at least 1, was " + entries);
        }
        if (averageKeySize < 1 || averageValueSize < 1) {
            throw new IllegalArgumentException("average key and value sizes must be at least 1 byte, were "
                    + averageKeySize + " and " + averageValueSize);
        }
        if (maxEntrySize < averageKeySize + averageValueSize) {
            throw new IllegalArgumentException("max entry size " + maxEntrySize
                    + " is smaller than the average key + value size " + (averageKeySize + averageValueSize));
        }
        if (!(maxBloatFactor >= 1.0 && maxBloatFactor <= 1000.0)) {
            throw new IllegalArgumentException("maxBloatFactor must be in [1, 1000], was " + maxBloatFactor);
        }
    }

    /** The same sizing with another logical capacity. */
    public MapSizing withEntries(final long newEntries) {
        return new MapSizing(newEntries, averageKeySize, averageValueSize, maxEntrySize, maxBloatFactor);
    }

    /** Bytes of keys + values the map is sized for: the ledger's logical byte budget. */
    public long byteCapacity() {
        return entries * (long) (averageKeySize + averageValueSize);
    }

    /** A Chronicle builder for byte[] keys and values with this sizing. */
    public ChronicleMapBuilder<byte[], byte[]> builder(final String name) {
        final long averageEntry = (long) averageKeySize + averageValueSize;
        final long perSegment = Math.max(1, (long) Math.ceil(TIER_HEADROOM * maxEntrySize / averageEntry));
        final long physicalEntries = Math.max(entries, perSegment);
        final long segments = Math.max(1, Math.min(1024, Long.highestOneBit(physicalEntries / perSegment)));
        return ChronicleMap.of(byte[].class, byte[].class)
                .name(name)
                .entries(physicalEntries)
                .averageKeySize(averageKeySize)
                .averageValueSize(averageValueSize)
                .maxBloatFactor(maxBloatFactor)
                .actualSegments((int) segments);
    }

    /** Writes the sizing to {@code file} and syncs it. */
    public void store(final Path file) {
        final Properties properties = new Properties();
        properties.setProperty("entries", Long.toString(entries));
        properties.setProperty("averageKeySize", Integer.toString(averageKeySize));
        properties.setProperty("averageValueSize", Integer.toString(averageValueSize));
        properties.setProperty("maxEntrySize", Integer.toString(maxEntrySize));
        properties.setProperty("maxBloatFactor", Double.toString(maxBloatFactor));
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(writer, "Chronicle Map sizing, fixed at creation");
        } catch (IOException e) {
            throw new LedgerException("cannot write map sizing " + file + ": " + e, e);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        } catch (IOException e) {
            throw new LedgerException("cannot sync map sizing " + file + ": " + e, e);
        }
    }

    /** Reads a sizing written by {@link #store}. */
    public static MapSizing load(final Path file) {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
            return new MapSizing(
                    Long.parseLong(properties.getProperty("entries")),
                    Integer.parseInt(properties.getProperty("averageKeySize")),
                    Integer.parseInt(properties.getProperty("averageValueSize")),
                    Integer.parseInt(properties.getProperty("maxEntrySize")),
                    Double.parseDouble(properties.getProperty("maxBloatFactor")));
        } catch (IOException | RuntimeException e) {
            throw new LedgerException("cannot read map sizing " + file + ": " + e, e);
        }
    }
}
