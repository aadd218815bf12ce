package dev.fabricembedded.ipc.chronicle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk layout of one Chronicle channel, and the housekeeping of a base directory holding many.
 *
 * <pre>
 * &lt;dir&gt;/                       mode 0700, created by the creating side
 *   channel.properties         format, maximum frame size, roll cycle, and the creator's pid + start time
 *   creator-to-attacher/       Chronicle Queue written only by the creating side (e.g. peer → chaincode)
 *   attacher-to-creator/       Chronicle Queue written only by the attaching side (e.g. chaincode → peer)
 *   creator.bell, attacher.bell  FIFOs the creating / attaching side's event loop blocks on when idle ({@link Doorbell})
 *   doorbells                  the two bells' shared state words (128 bytes, memory-mapped by both sides)
 *   lane-0/, lane-1/, ...      the channel's lanes ({@link Lane}), each with the same queues, bells and state file
 *                              as above and a {@code served} marker, announced by {@code lanes=N} (and their home
 *                              CPUs by {@code lane.cpus=0,1,...} when they have CPU affinity)
 * </pre>
 *
 * <p>The doorbells are made when the channel is created, unless disabled or impossible (no {@code mkfifo}): then
 * {@code channel.properties} does not announce them and both sides poll as without doorbells. Lanes need doorbells:
 * without them a channel has none.
 *
 * <p>The creator's pid and process start time identify a directory whose creator is gone (a crashed run):
 * {@link #cleanStale(Path)} deletes those, and creating a channel over one replaces it instead of reusing a
 * single byte of it, so old frames can never be replayed into a new run.
 */
public final class ChannelDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelDirectory.class);

    static final String PROPERTIES = "channel.properties";
    static final String CREATOR_TO_ATTACHER = "creator-to-attacher";
    static final String ATTACHER_TO_CREATOR = "attacher-to-creator";
    /** The name of a lane's directory ({@link Lane#directory}). */
    private static final Pattern LANE_DIRECTORY = Pattern.compile("lane-[0-9]+");
    static final String FORMAT = "fabric-embedded-ipc/1";
    /** The lanes' home CPUs, comma-separated in lane order. */
    private static final String LANE_CPUS = "lane.cpus";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private final Path dir;
    private final Properties properties;

    private ChannelDirectory(Path dir, Properties properties) {
        this.dir = dir;
        this.properties = properties;
    }

    /** The channel directory. */
    public Path path() {
        return dir;
    }

    Path creatorToAttacher() {
        return dir.resolve(CREATOR_TO_ATTACHER);
    }

    Path attacherToCreator() {
        return dir.resolve(ATTACHER_TO_CREATOR);
    }

    int maxFrameSize() {
        return Integer.parseInt(properties.getProperty("maxFrameSize"));
    }

    String rollCycle() {
        return properties.getProperty("rollCycle");
    }

    /** Whether the creator made doorbells: then both sides must use them (the other side rings only if announced). */
    boolean hasDoorbells() {
        return "fifo".equals(properties.getProperty("doorbells"));
    }

    /** How many lanes the creator made ({@link Lane}); 0 for a directory without (or without doorbells). */
    int lanes() {
        return hasDoorbells() ? Integer.parseInt(properties.getProperty("lanes", "0")) : 0;
    }

    /**
     * The home CPU of lane {@code index} ({@code lane.cpus}, written by the creator when lanes have CPU affinity, see
     * {@link ChronicleChannelBuilder#laneAffinity}), or {@code -1} for none.
     */
    int laneCpu(int index) {
        String[] cpus = properties.getProperty(LANE_CPUS, "").split(",");
        try {
            return index < cpus.length && !cpus[index].isEmpty() ? Integer.parseInt(cpus[index].trim()) : -1;
        } catch (NumberFormatException e) {
            LOG.warn("channel directory {}: {} is not a list of CPUs: {}; lanes without a home CPU", dir, LANE_CPUS,
                    properties.getProperty(LANE_CPUS));
            return -1;
        }
    }

    long creatorPid() {
        return Long.parseLong(properties.getProperty("creator.pid"));
    }

    /**
     * Creates a fresh channel directory (mode 0700; the base directory is created too if missing). A stale
     * channel directory at the same path (its creator is gone) is deleted first.
     *
     * @param doorbells whether to make the doorbells (FIFOs and their state file); a failure to make them is logged
     *                  and the channel goes without
     * @throws IllegalStateException if the path is a live channel's directory, or an unrelated non-empty one
     */
    static ChannelDirectory create(Path dir, int maxFrameSize, String rollCycle, boolean doorbells, int lanes,
                                   boolean laneAffinity) {
        try {
            if (Files.exists(dir)) {
                Optional<Creator> creator = Creator.of(dir);
                if (creator.isPresent() && creator.get().isAlive()) {
                    throw new IllegalStateException("channel directory " + dir + " is in use by process "
                            + creator.get().pid);
                }
                if (creator.isEmpty() && !holdsOnlyChannelRemains(dir)) {
                    throw new IllegalStateException("refusing to create a channel in " + dir
                            + ": it exists, is not empty and holds no " + PROPERTIES);
                }
                LOG.info("deleting stale channel directory {} left by a process that is gone", dir);
                deleteRecursively(dir);
            }
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            }
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.setPosixFilePermissions(dir, OWNER_ONLY);
            ProcessHandle self = ProcessHandle.current();
            Properties props = new Properties();
            props.setProperty("format", FORMAT);
            props.setProperty("maxFrameSize", Integer.toString(maxFrameSize));
            props.setProperty("rollCycle", rollCycle);
            props.setProperty("creator.pid", Long.toString(self.pid()));
            props.setProperty("creator.start", self.info().startInstant().map(Instant::toString).orElse(""));
            Path[] laneDirs = new Path[doorbells ? lanes : 0];
            for (int i = 0; i < laneDirs.length; i++) {
                laneDirs[i] = Files.createDirectory(Lane.directory(dir, i), PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            }
            if (doorbells && Doorbell.createFiles(dir, laneDirs)) {
                props.setProperty("doorbells", "fifo");
                if (laneDirs.length > 0) {
                    props.setProperty("lanes", Integer.toString(laneDirs.length));
                    int[] cpus = laneAffinity ? CpuAffinity.processCpus() : new int[0];
                    if (cpus.length > 0) {
                        StringBuilder homes = new StringBuilder();
                        for (int i = 0; i < laneDirs.length; i++) {
                            homes.append(i == 0 ? "" : ",").append(cpus[i % cpus.length]);
                        }
                        props.setProperty(LANE_CPUS, homes.toString());
                    }
                }
            }
            Path tmp = dir.resolve(PROPERTIES + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                props.store(out, "Fabric Embedded IPC channel; deleted when the channel closes");
            }
            Files.move(tmp, dir.resolve(PROPERTIES), StandardCopyOption.ATOMIC_MOVE);
            return new ChannelDirectory(dir, props);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create channel directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens the directory of a channel created by another process (or this one).
     *
     * @throws IllegalStateException if there is no channel there, or of another format
     */
    static ChannelDirectory open(Path dir) {
        Properties props = readProperties(dir).orElseThrow(() ->
                new IllegalStateException("no channel to attach to at " + dir + " (missing " + PROPERTIES + ")"));
        if (!FORMAT.equals(props.getProperty("format"))) {
            throw new IllegalStateException("channel directory " + dir + " has format " + props.getProperty("format")
                    + ", this side speaks " + FORMAT);
        }
        if (!Files.isDirectory(dir.resolve(CREATOR_TO_ATTACHER)) || !Files.isDirectory(dir.resolve(ATTACHER_TO_CREATOR))) {
            throw new IllegalStateException("channel directory " + dir + " lacks its queues");
        }
        return new ChannelDirectory(dir, props);
    }

    /** Deletes the whole directory; logs instead of throwing, since it runs while closing. */
    void delete() {
        try {
            deleteRecursively(dir);
        } catch (IOException e) {
            LOG.warn("could not delete channel directory {}: {}", dir, e.toString());
        }
    }

    /**
     * Deletes every channel directory directly under {@code base} whose creating process is gone (crashed
     * runs), and remains of closed channels (queue directories without {@value #PROPERTIES}). Directories of
     * live channels, and anything that is not a channel directory, are left alone.
     * Call it when the creating side (the peer) starts.
     *
     * @return how many stale directories were deleted
     */
    public static int cleanStale(Path base) {
        if (!Files.isDirectory(base)) {
            return 0;
        }
        int deleted = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(base, Files::isDirectory)) {
            for (Path entry : entries) {
                Optional<Creator> creator = Creator.of(entry);
                if (creator.isPresent() && !creator.get().isAlive()) {
                    LOG.info("deleting stale channel directory {} (creator process {} is gone)", entry, creator.get().pid);
                    deleteRecursively(entry);
                    deleted++;
                } else if (creator.isEmpty() && !isEmpty(entry) && holdsOnlyChannelRemains(entry)) {
                    LOG.info("deleting remains of a closed channel in {}", entry);
                    deleteRecursively(entry);
                    deleted++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean stale channel directories under " + base + ": " + e.getMessage(), e);
        }
        return deleted;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return !entries.iterator().hasNext();
        }
    }

    /**
     * Empty, or only what a channel leaves: a queue directory can reappear without {@value #PROPERTIES} when
     * the attaching side writes a last keepalive (or a lane's close) just as the creator deletes the directory, and a
     * creator that died while creating leaves lane directories made before its properties. A live channel always
     * has its properties, which are written after its lanes' files and before its queues.
     */
    private static boolean holdsOnlyChannelRemains(Path dir) throws IOException {
        return holdsOnlyRemains(dir, false);
    }

    /** {@link #holdsOnlyChannelRemains} of a channel directory, or of one of its lanes' ({@code lane}). */
    private static boolean holdsOnlyRemains(Path dir, boolean lane) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                boolean laneRemains = !lane && LANE_DIRECTORY.matcher(name).matches() && holdsOnlyRemains(entry, true);
                if (!laneRemains && !name.equals(CREATOR_TO_ATTACHER) && !name.equals(ATTACHER_TO_CREATOR)
                        && !name.equals(PROPERTIES + ".tmp") && !name.equals(Doorbell.CREATOR_FIFO)
                        && !name.equals(Doorbell.ATTACHER_FIFO) && !name.equals(Doorbell.STATE_FILE)
                        && !(lane && name.equals(Lane.SERVED))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Optional<Properties> readProperties(Path dir) {
        Path file = dir.resolve(PROPERTIES);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return Optional.of(props);
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                deleteIfPresent(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                if (exc instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw exc;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException exc) throws IOException {
                deleteIfPresent(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteIfPresent(Path path) throws IOException {
        Files.deleteIfExists(path);
    }

    /** The process that created a channel directory, identified by pid and start time (pids are reused). */
    private record Creator(long pid, String start) {

        static Optional<Creator> of(Path dir) {
            try {
                return readProperties(dir).map(p -> new Creator(
                        Long.parseLong(p.getProperty("creator.pid", "-1")), p.getProperty("creator.start", "")));
            } catch (RuntimeException e) {
                LOG.warn("unreadable channel properties in {}: {}", dir, e.toString());
                return Optional.of(new Creator(-1, ""));
            }
        }

        boolean isAlive() {
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(p -> start.isEmpty()
                            || p.info().startInstant().map(Instant::toString).map(start::equals).orElse(true))
                    .isPresent();
        }
    }
}
