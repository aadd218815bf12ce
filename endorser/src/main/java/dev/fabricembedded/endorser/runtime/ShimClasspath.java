package dev.fabricembedded.endorser.runtime;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The class path of a chaincode process, minus the chaincode's own jars: the shim ({@code ChaincodeMain}), the ipc
 * channel, and what they need at run time (Chronicle and its native-access helpers, the Disruptor, protobuf,
 * fabric-protos, SLF4J with the simple binding), found in the peer's own JVM.
 *
 * <p>Why this way: the peer already has these classes, in whatever form the host application ships them (jars in a
 * Maven repository, a {@code lib/} directory, the reactor's {@code target/classes}, one shaded jar). Each artifact
 * is located through a class it holds ({@link ClassLoader#getResource}): the jar or directory it comes from goes on
 * the chaincode's class path. Taking all of {@code java.class.path} instead would hand the chaincode the whole peer
 * and host application (and their versions of libraries the chaincode may bring itself); filtering it by file names
 * would break on renamed or shaded jars. The price is the list below, which must follow the run-time dependencies of
 * {@code ipc} and {@code shim-ipc}; a required artifact that cannot be found is an error naming it, and
 * {@code ProcessRuntimeTest} starts real chaincodes with exactly this class path.
 *
 * <p>The SLF4J binding ({@code slf4j-simple}) is optional: the chaincode then runs without a provider and only what
 * it prints itself reaches the peer's log (a warning says so once).
 */
public final class ShimClasspath {

    private static final Logger LOG = LoggerFactory.getLogger(ShimClasspath.class);

    /** An artifact of the shim's run-time class path and a class file it holds. */
    private record Artifact(String name, String resource, boolean required) {
    }

    private static final List<Artifact> ARTIFACTS = List.of(
            new Artifact("fabric-embedded-shim-ipc", "dev/fabricembedded/shim/ChaincodeMain.class", true),
            new Artifact("fabric-embedded-ipc", "dev/fabricembedded/ipc/FrameChannel.class", true),
            new Artifact("chronicle-queue", "net/openhft/chronicle/queue/ChronicleQueue.class", true),
            new Artifact("chronicle-core", "net/openhft/chronicle/core/Jvm.class", true),
            new Artifact("chronicle-bytes", "net/openhft/chronicle/bytes/Bytes.class", true),
            new Artifact("chronicle-wire", "net/openhft/chronicle/wire/Wire.class", true),
            new Artifact("chronicle-threads", "net/openhft/chronicle/threads/BusyPauser.class", true),
            new Artifact("chronicle-analytics", "net/openhft/chronicle/analytics/Analytics.class", true),
            new Artifact("affinity", "net/openhft/affinity/Affinity.class", true),
            new Artifact("posix", "net/openhft/posix/PosixAPI.class", true),
            new Artifact("compiler", "net/openhft/compiler/CompilerUtils.class", true),
            new Artifact("jna", "com/sun/jna/Native.class", false),
            new Artifact("jna-platform", "com/sun/jna/platform/FileUtils.class", false),
            new Artifact("jnr-ffi", "jnr/ffi/LibraryLoader.class", false),
            new Artifact("jffi", "com/kenai/jffi/Foreign.class", false),
            new Artifact("jffi-native", "jni/x86_64-Linux/libjffi-1.2.so", false),
            new Artifact("asm", "org/objectweb/asm/ClassWriter.class", false),
            new Artifact("jnr-a64asm", "jnr/a64asm/Assembler_A64.class", false),
            new Artifact("jnr-x86asm", "jnr/x86asm/Assembler.class", false),
            new Artifact("jnr-constants", "jnr/constants/Constant.class", false),
            new Artifact("annotations", "org/jetbrains/annotations/NotNull.class", false),
            new Artifact("disruptor", "com/lmax/disruptor/RingBuffer.class", true),
            new Artifact("protobuf-java", "com/google/protobuf/Message.class", true),
            new Artifact("fabric-protos", "org/hyperledger/fabric/protos/peer/ChaincodeMessage.class", true),
            new Artifact("slf4j-api", "org/slf4j/Logger.class", true),
            new Artifact("slf4j-simple", "org/slf4j/simple/SimpleServiceProvider.class", false));

    private ShimClasspath() {
    }

    /**
     * The shim's class path as found by this class's class loader, in a stable order without duplicates.
     *
     * @throws IllegalStateException naming every required artifact that is not there
     */
    public static List<Path> ofRunningJvm() {
        return resolve(ShimClasspath.class.getClassLoader());
    }

    static List<Path> resolve(final ClassLoader loader) {
        Objects.requireNonNull(loader, "loader");
        final Set<Path> entries = new LinkedHashSet<>();
        final List<String> missing = new ArrayList<>();
        for (final Artifact artifact : ARTIFACTS) {
            final URL url = loader.getResource(artifact.resource());
            if (url == null) {
                if (artifact.required()) {
                    missing.add(artifact.name() + " (" + artifact.resource() + ")");
                } else if (artifact.name().equals("slf4j-simple")) {
                    LOG.warn("slf4j-simple is not on the class path: chaincode processes will run without an SLF4J"
                            + " provider and their own log lines are lost (what they print still reaches this log)");
                }
                continue;
            }
            entries.add(locationOf(url, artifact.resource()));
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("cannot build the chaincode class path: not found on this JVM's class"
                    + " path: " + String.join(", ", missing));
        }
        return List.copyOf(entries);
    }

    /** The jar or directory a resource was loaded from. */
    static Path locationOf(final URL url, final String resource) {
        try {
            switch (url.getProtocol()) {
                case "jar" -> {
                    final String spec = url.getPath();
                    final int bang = spec.indexOf("!/");
                    return Path.of(URI.create(spec.substring(0, bang))).toAbsolutePath().normalize();
                }
                case "file" -> {
                    Path path = Path.of(url.toURI());
                    for (int i = resource.split("/").length; i > 0; i--) {
                        path = path.getParent();
                    }
                    return path.toAbsolutePath().normalize();
                }
                default -> throw new IllegalStateException("cannot put " + url + " on a chaincode class path: only"
                        + " jar files and directories are supported");
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot locate " + resource + " from " + url + ": " + e.getMessage(), e);
        }
    }
}
