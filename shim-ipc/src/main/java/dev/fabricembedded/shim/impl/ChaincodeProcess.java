package dev.fabricembedded.shim.impl;

import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.chronicle.ChronicleChannel;
import dev.fabricembedded.ipc.chronicle.ChronicleChannelBuilder;
import dev.fabricembedded.shim.Chaincode;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of a chaincode process: read the {@link LaunchOptions}, load and create the chaincode, attach to the
 * peer's Chronicle channel, register, serve until the channel closes, and say how it ended with the exit status.
 *
 * <table>
 * <caption>Exit statuses</caption>
 * <tr><th>Status</th><th>Meaning</th></tr>
 * <tr><td>0</td><td>the channel closed in an orderly way (the peer closed it, or this process was asked to stop)</td></tr>
 * <tr><td>1</td><td>the peer was lost: its process exited, keepalives stopped, or the channel broke</td></tr>
 * <tr><td>2</td><td>bad options or chaincode class (nothing was started)</td></tr>
 * <tr><td>3</td><td>the channel could not be attached (no channel at the directory)</td></tr>
 * </table>
 */
public final class ChaincodeProcess {

    /** The channel closed in an orderly way. */
    public static final int EXIT_ORDERLY = 0;
    /** The peer disappeared or the channel broke. */
    public static final int EXIT_PEER_LOST = 1;
    /** Bad options or chaincode class. */
    public static final int EXIT_USAGE = 2;
    /** No channel to attach to. */
    public static final int EXIT_NO_CHANNEL = 3;

    /** Manifest attribute of a chaincode package jar naming its {@link Chaincode} class. */
    public static final String CHAINCODE_CLASS_ATTRIBUTE = "Chaincode-Class";

    private static final Logger LOG = LoggerFactory.getLogger(ChaincodeProcess.class);

    private ChaincodeProcess() {
    }

    /**
     * Runs a chaincode process to its end.
     *
     * @return the exit status (see the class documentation)
     */
    public static int run(final String[] args, final Map<String, String> env) {
        final LaunchOptions options;
        try {
            options = LaunchOptions.parse(args, env);
        } catch (IllegalArgumentException e) {
            LOG.error("{}; {}", e.getMessage(), LaunchOptions.USAGE);
            return EXIT_USAGE;
        }
        try (LoadedChaincode loaded = load(options)) {
            return serve(options, loaded.chaincode());
        } catch (ChaincodeLoadException e) {
            LOG.error("chaincode {} not started: {}", options.chaincodeId(), e.getMessage());
            return EXIT_USAGE;
        }
    }

    private static int serve(final LaunchOptions options, final Chaincode chaincode) {
        final ChaincodeConnection connection;
        try {
            connection = ChaincodeConnection.builder(chaincode, options.chaincodeId()).open(handler -> {
                final ChronicleChannelBuilder builder = ChronicleChannel.builder(options.channelDir())
                        .name(options.chaincodeId());
                if (options.peerPid() != null) {
                    ProcessHandle.of(options.peerPid()).ifPresentOrElse(builder::watchProcess,
                            () -> LOG.warn("peer process {} is not running", options.peerPid()));
                }
                return builder.attach(handler);
            });
        } catch (RuntimeException e) {
            LOG.error("chaincode {} could not attach to the channel at {}: {}", options.chaincodeId(),
                    options.channelDir(), e.getMessage());
            return EXIT_NO_CHANNEL;
        }
        // No shutdown hook: the peer stops a chaincode by closing the channel (exit 0 here); a chaincode that
        // calls System.exit or is killed must look to the peer like the process exit it is.
        try {
            final CloseReason reason = connection.closeReason().join();
            final int status = switch (reason.kind()) {
                case LOCAL_CLOSE, REMOTE_CLOSE -> EXIT_ORDERLY;
                default -> EXIT_PEER_LOST;
            };
            LOG.info("chaincode {} stopping: channel closed ({}); exit status {}", options.chaincodeId(), reason,
                    status);
            return status;
        } finally {
            connection.close();
        }
    }

    /** Loads and creates the chaincode: from the class path, or from the package jar. */
    static LoadedChaincode load(final LaunchOptions options) throws ChaincodeLoadException {
        final ClassLoader parent = ChaincodeProcess.class.getClassLoader();
        URLClassLoader jarLoader = null;
        String className = options.chaincodeClass();
        try {
            if (options.jar() != null) {
                if (!Files.isRegularFile(options.jar())) {
                    throw new ChaincodeLoadException("package jar " + options.jar() + " does not exist");
                }
                if (className == null) {
                    className = manifestClass(options);
                }
                jarLoader = new URLClassLoader("chaincode-" + options.chaincodeId(),
                        new URL[] {options.jar().toUri().toURL()}, parent);
            }
            final Chaincode chaincode = instantiate(className, jarLoader != null ? jarLoader : parent);
            LOG.info("chaincode {}: loaded {}{}", options.chaincodeId(), className,
                    options.jar() == null ? "" : " from " + options.jar());
            return new LoadedChaincode(chaincode, jarLoader);
        } catch (ChaincodeLoadException | MalformedURLException | RuntimeException e) {
            closeQuietly(jarLoader);
            if (e instanceof ChaincodeLoadException load) {
                throw load;
            }
            throw new ChaincodeLoadException("cannot load " + className + ": " + e, e);
        }
    }

    private static String manifestClass(final LaunchOptions options) throws ChaincodeLoadException {
        try (JarFile jar = new JarFile(options.jar().toFile())) {
            final Manifest manifest = jar.getManifest();
            final String name = manifest == null ? null
                    : manifest.getMainAttributes().getValue(CHAINCODE_CLASS_ATTRIBUTE);
            if (name == null || name.isBlank()) {
                throw new ChaincodeLoadException("package jar " + options.jar() + " has no "
                        + CHAINCODE_CLASS_ATTRIBUTE + " manifest attribute and no --class was given");
            }
            return name.trim();
        } catch (IOException e) {
            throw new ChaincodeLoadException("cannot read package jar " + options.jar() + ": " + e.getMessage(), e);
        }
    }

    private static Chaincode instantiate(final String className, final ClassLoader loader)
            throws ChaincodeLoadException {
        final Class<?> type;
        try {
            type = Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            throw new ChaincodeLoadException("chaincode class " + className + " not found", e);
        } catch (LinkageError e) {
            throw new ChaincodeLoadException("chaincode class " + className + " cannot be loaded: " + e, e);
        }
        if (!Chaincode.class.isAssignableFrom(type)) {
            throw new ChaincodeLoadException("class " + className + " does not implement " + Chaincode.class.getName());
        }
        try {
            return (Chaincode) type.getConstructor().newInstance();
        } catch (NoSuchMethodException e) {
            throw new ChaincodeLoadException("chaincode class " + className + " has no public no-argument constructor",
                    e);
        } catch (InvocationTargetException e) {
            throw new ChaincodeLoadException("the constructor of " + className + " threw " + e.getCause(), e);
        } catch (ReflectiveOperationException e) {
            throw new ChaincodeLoadException("cannot create " + className + ": " + e, e);
        }
    }

    private static void closeQuietly(final URLClassLoader loader) {
        if (loader != null) {
            try {
                loader.close();
            } catch (IOException e) {
                LOG.debug("closing the chaincode class loader failed", e);
            }
        }
    }

    /** A created chaincode and the class loader of its package jar, if any (closed with it). */
    record LoadedChaincode(Chaincode chaincode, URLClassLoader jarLoader) implements AutoCloseable {
        @Override
        public void close() {
            closeQuietly(jarLoader);
        }
    }

    /** The chaincode could not be loaded or created. */
    static final class ChaincodeLoadException extends Exception {
        private static final long serialVersionUID = 1L;

        ChaincodeLoadException(final String message) {
            super(message);
        }

        ChaincodeLoadException(final String message, final Throwable cause) {
            super(message, cause);
        }
    }
}
