package dev.fabricembedded.endorser.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local base image chaincode containers start from: a Java runtime and nothing else, built on this machine
 * because no registry may be reachable.
 *
 * <p>{@link #ensure} builds it once, when the image is missing: {@code jlink} from the peer's own JDK with the
 * modules a chaincode JVM needs ({@link #MODULES}: Chronicle needs {@code java.desktop}, {@code java.compiler},
 * {@code jdk.compiler} and {@code jdk.unsupported}), plus the shared libraries {@code ldd} says that runtime links
 * against (libc, libm, libz, the dynamic loader...) and the ones loaded at run time by native-access libraries
 * (libdl, libpthread, librt, libgcc_s), an {@code /etc/passwd}, and a world-writable {@code /tmp}; the tree is
 * tarred and unpacked into an empty image ({@code FROM scratch} + {@code ADD rootfs.tar /}, which is what
 * {@code docker import} does; docker-java's import command is broken). About 50 MB; on a 2-core machine about 15 s, once. The java executable
 * is {@value #JAVA}. There is no shell in the image: the container's command is the whole {@code java} command line.
 *
 * <p>The same image can be built by hand with the same steps:
 * <pre>
 * jlink --add-modules java.base,java.compiler,... --strip-debug --no-header-files --no-man-pages --output rootfs/opt/java
 * for f in $(ldd rootfs/opt/java/bin/java rootfs/opt/java/lib/*.so rootfs/opt/java/lib/server/libjvm.so \
 *            | grep -o '/[^ ]*\.so[^ ]*'); do mkdir -p rootfs$(dirname $f); cp -L $f rootfs$f; done
 * mkdir -m 1777 rootfs/tmp
 * tar -C rootfs -c . | docker import - fabric-embedded/chaincode-base:jre17
 * </pre>
 * Any other image with a Java 17+ runtime can be used instead ({@code DockerRuntime.Builder.baseImage}).
 */
public final class DockerBaseImage {

    private static final Logger LOG = LoggerFactory.getLogger(DockerBaseImage.class);

    /** The default image name: the Java feature version of the peer's JVM in the tag. */
    public static final String DEFAULT_NAME = "fabric-embedded/chaincode-base:jre" + Runtime.version().feature();

    /** Where the image built here has its {@code java} executable. */
    public static final String JAVA = "/opt/java/bin/java";

    /** The modules of the image's Java runtime. */
    public static final List<String> MODULES = List.of("java.base", "java.compiler", "java.desktop", "java.logging",
            "java.management", "java.naming", "java.net.http", "java.scripting", "java.sql", "java.xml",
            "jdk.compiler", "jdk.crypto.ec", "jdk.management", "jdk.unsupported", "jdk.zipfs");

    /** Libraries loaded with dlopen by native-access libraries (JNA, jffi), which ldd cannot see. */
    private static final List<String> RUNTIME_LIBRARIES = List.of("libdl.so.2", "libpthread.so.0", "librt.so.1",
            "libm.so.6", "libgcc_s.so.1");

    private static final Pattern LDD_PATH = Pattern.compile("(/\\S+)\\s+\\(0x[0-9a-f]+\\)");
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(5);

    private DockerBaseImage() {
    }

    /**
     * Makes sure the image {@code name} exists, building it from the peer's JDK if it does not.
     *
     * @return {@code name}
     * @throws IllegalStateException if the image is missing and cannot be built (no {@code jlink} in the peer's
     *                               JDK, no {@code ldd}, or the import failed), naming the step that failed
     */
    public static String ensure(final DockerClient docker, final String name) {
        if (exists(docker, name)) {
            return name;
        }
        final long started = System.nanoTime();
        final Path javaHome = Path.of(System.getProperty("java.home"));
        LOG.info("Docker image {} not found: building it from {} (jlink, about 15 s, once)", name, javaHome);
        Path work = null;
        try {
            work = Files.createTempDirectory("fabric-embedded-base-image-");
            final Path java = work.resolve("java");
            jlink(javaHome, java);
            final Path rootfs = work.resolve("rootfs.tar");
            writeRootFs(java, sharedLibraries(java), rootfs);
            // FROM scratch + ADD unpacks the tree like docker import; docker-java's import command posts the
            // stream as JSON (docker-java issue 2377), so the build API is used instead
            final Path dockerfile = Files.writeString(work.resolve("Dockerfile"),
                    "FROM scratch\nADD rootfs.tar /\n", StandardCharsets.UTF_8);
            FileTree.delete(java);
            docker.buildImageCmd(work.toFile())
                    .withDockerfile(dockerfile.toFile())
                    .withTags(Set.of(name))
                    .withPull(false)
                    .withRemove(true)
                    .withForcerm(true)
                    .exec(new BuildImageResultCallback())
                    .awaitImageId(TOOL_TIMEOUT.toMinutes(), TimeUnit.MINUTES);
            LOG.info("built Docker image {} in {} s", name,
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
            return name;
        } catch (IOException e) {
            throw new IllegalStateException("cannot build Docker image " + name + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e instanceof IllegalStateException) {
                throw e;
            }
            throw new IllegalStateException("cannot build Docker image " + name + ": " + e.getMessage(), e);
        } finally {
            if (work != null) {
                try {
                    FileTree.delete(work);
                } catch (IOException e) {
                    LOG.warn("could not delete {}: {}", work, e.toString());
                }
            }
        }
    }

    /** Whether the daemon has an image of that name. */
    static boolean exists(final DockerClient docker, final String name) {
        try {
            docker.inspectImageCmd(name).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static void jlink(final Path javaHome, final Path output) throws IOException {
        final Path jlink = javaHome.resolve("bin").resolve("jlink");
        if (!Files.isExecutable(jlink)) {
            throw new IllegalStateException("cannot build the chaincode base image: " + javaHome + " has no jlink"
                    + " (a JRE?); run the peer on a JDK or build the image by hand (see DockerBaseImage)");
        }
        run(List.of(jlink.toString(), "--add-modules", String.join(",", MODULES), "--strip-debug",
                "--no-header-files", "--no-man-pages", "--output", output.toString()));
    }

    /** The libraries the runtime links against, by the path the dynamic loader uses, and where their bytes are. */
    private static Map<String, Path> sharedLibraries(final Path java) throws IOException {
        final List<String> command = new ArrayList<>();
        command.add("ldd");
        try (Stream<Path> files = Files.walk(java)) {
            files.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().endsWith(".so") || f.getParent().endsWith("bin"))
                    .map(Path::toString)
                    .sorted()
                    .forEach(command::add);
        }
        final Set<String> paths = new TreeSet<>();
        for (final String line : run(command).split("\n")) {
            if (line.contains("not found")) {
                continue; // e.g. libX11 for AWT windows: never loaded by a chaincode
            }
            final Matcher matcher = LDD_PATH.matcher(line);
            if (matcher.find()) {
                paths.add(matcher.group(1));
            }
        }
        final String libc = paths.stream().filter(p -> p.endsWith("/libc.so.6")).findFirst()
                .orElseThrow(() -> new IllegalStateException("cannot build the chaincode base image: ldd named no"
                        + " libc.so.6 for " + java));
        final Path libDir = Path.of(libc).getParent();
        for (final String library : RUNTIME_LIBRARIES) {
            if (Files.exists(libDir.resolve(library))) {
                paths.add(libDir.resolve(library).toString());
            }
        }
        final Map<String, Path> libraries = new LinkedHashMap<>();
        for (final String path : paths) {
            if (!path.startsWith(java.toString())) {
                libraries.put(path, Path.of(path).toRealPath());
            }
        }
        return libraries;
    }

    private static void writeRootFs(final Path java, final Map<String, Path> libraries, final Path tarFile)
            throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tarFile));
             TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            directory(tar, "tmp/", 01777);
            directory(tar, "opt/", 0755);
            directory(tar, "etc/", 0755);
            file(tar, "etc/passwd", ("root:x:0:0:root:/root:/sbin/nologin\n"
                    + "nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n").getBytes(StandardCharsets.UTF_8), 0644);
            file(tar, "etc/group", "root:x:0:\nnogroup:x:65534:\n".getBytes(StandardCharsets.UTF_8), 0644);
            final Set<String> directories = new TreeSet<>();
            try (Stream<Path> files = Files.walk(java)) {
                for (final Path source : files.sorted().toList()) {
                    final String target = "opt/java/" + java.relativize(source).toString();
                    if (Files.isDirectory(source)) {
                        directory(tar, target.endsWith("/") ? target : target + "/", 0755);
                    } else {
                        file(tar, target, Files.readAllBytes(source), mode(source));
                    }
                }
            }
            for (final Map.Entry<String, Path> library : libraries.entrySet()) {
                final String target = library.getKey().substring(1);
                for (Path parent = Path.of(target).getParent(); parent != null; parent = parent.getParent()) {
                    directories.add(parent.toString() + "/");
                }
            }
            for (final String dir : directories) {
                directory(tar, dir, 0755);
            }
            for (final Map.Entry<String, Path> library : libraries.entrySet()) {
                file(tar, library.getKey().substring(1), Files.readAllBytes(library.getValue()), 0755);
            }
        }
    }

    private static int mode(final Path file) throws IOException {
        final Set<PosixFilePermission> permissions = EnumSet.copyOf(Files.getPosixFilePermissions(file));
        return permissions.contains(PosixFilePermission.OWNER_EXECUTE) ? 0755 : 0644;
    }

    private static void directory(final TarArchiveOutputStream tar, final String name, final int mode)
            throws IOException {
        final TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(TarArchiveEntry.DEFAULT_DIR_MODE & ~0777 | mode);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    private static void file(final TarArchiveOutputStream tar, final String name, final byte[] content,
            final int mode) throws IOException {
        final TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        entry.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | mode);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    /** Runs a tool to completion; its output, or an error naming it with its output. */
    private static String run(final List<String> command) throws IOException {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (InputStream in = process.getInputStream()) {
            final String output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TOOL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("cannot build the chaincode base image: " + command.get(0)
                        + " did not finish");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("cannot build the chaincode base image: " + command.get(0)
                        + " failed with " + process.exitValue() + ": " + output.strip());
            }
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the chaincode base image", e);
        } finally {
            process.destroyForcibly();
        }
    }
}
