package dev.fabricembedded.endorser.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.fabricembedded.ipc.chronicle.ChronicleChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each chaincode in a Docker container, as Fabric does, talking to it over the same Chronicle channel as a
 * child process: the channel directory is bind-mounted into the container at the same absolute path, and the
 * memory-mapped queue files share the page cache between host and container.
 *
 * <pre>{@code
 * try (DockerRuntime runtime = DockerRuntime.builder().build()) {   // DOCKER_HOST or /var/run/docker.sock
 *     RunningChaincode cc = runtime.start(LaunchSpec.builder("mycc", "1.0").packageJar(jar).build(), peerHandler);
 * }
 * }</pre>
 *
 * <p>Per chaincode: an image {@code fabric-embedded/cc-<name>-<version>:<hash>} is built from the base image plus
 * the package jars (once per package, about a second; see {@link ChaincodeImages}), and a container named
 * {@code fabric-embedded-<name>-<version>-<random>} is started with the chaincode JVM's whole command line (the same
 * as {@link ProcessRuntime}'s: Chronicle flags, heap, the shim's class path then the package jars,
 * {@code ChaincodeMain}), the environment {@code CORE_CHAINCODE_ID_NAME} plus the spec's variables, the peer's
 * user and group (so both sides can write the queue files), no network, and read-only bind mounts of the shim's
 * class path entries at their host paths: those jars are the same for every chaincode, so mounting them is
 * faster than copying them into every image, and the chaincode runs exactly the shim the peer has. The Docker
 * daemon must therefore be local (it is anyway, for the channel's memory-mapped files).
 *
 * <p>The base image is configurable; by default it is {@link DockerBaseImage#DEFAULT_NAME}, built locally the
 * first time ({@link DockerBaseImage#ensure}). A container's exit (from {@code docker wait}) closes its channel
 * with {@code REMOTE_PROCESS_EXITED: container exited with <code>}, completes {@link RunningChaincode#exit()} with
 * that message and removes the container. Stopping closes the channel, then {@code docker stop} (SIGTERM, SIGKILL
 * after the grace period), and removes the container. {@link #close()} stops every container, removes the images
 * it built (unless told to keep them) and closes the Docker client if it created it; a JVM shutdown hook removes
 * the containers if the peer exits without closing the runtime; containers a crashed run left behind (their
 * channel directory, a label, is gone from the configured base directory) are removed when the next runtime on
 * that base directory is built.
 *
 * <p>Threads: docker-java's own threads follow each container's log and exit; one named daemon thread
 * ({@code chaincode-docker-exits}) releases exited containers.
 */
public final class DockerRuntime extends JvmChaincodeRuntime<ContainerChaincode> {

    private static final Logger LOG = LoggerFactory.getLogger(DockerRuntime.class);

    /** Label on chaincode images and containers: the chaincode id. */
    public static final String CHAINCODE_LABEL = "dev.fabricembedded.chaincode";
    /** Label on chaincode containers: the pid of the peer that started them. */
    public static final String PEER_LABEL = "dev.fabricembedded.peer.pid";
    /** Label on chaincode containers: their channel directory on the host. */
    public static final String CHANNEL_LABEL = "dev.fabricembedded.channel.dir";

    private final DockerClient docker;
    private final boolean ownsDocker;
    private final List<Path> shimClasspath;
    private final boolean removeImagesOnClose;
    private final ChaincodeImages images;
    private final String user;
    private final SecureRandom random = new SecureRandom();

    private DockerRuntime(final Builder builder, final List<Path> shimClasspath, final DockerClient docker,
            final boolean ownsDocker, final String baseImageId) {
        super(builder, builder.command(builder.javaInImage, shimClasspath), "Docker runtime", "docker");
        this.docker = docker;
        this.ownsDocker = ownsDocker;
        this.shimClasspath = shimClasspath;
        this.removeImagesOnClose = builder.removeImagesOnClose;
        this.images = new ChaincodeImages(docker, builder.baseImage, baseImageId);
        this.user = ownerOf(channelBaseDir());
        removeStaleContainers();
    }

    /** A builder with the defaults described on the class. */
    public static Builder builder() {
        return new Builder();
    }

    /** The Docker client a runtime creates when given none: {@code DOCKER_HOST}, else the local unix socket. */
    static DockerClient defaultDockerClient() {
        final DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        return DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(Duration.ofSeconds(5))
                .build());
    }

    @Override
    ContainerChaincode launch(final LaunchSpec spec, final Path dir, final ObservedHandler handler) {
        final List<String> commandLine = command.forChaincode(spec, ChaincodeImages.jarsInImage(spec), dir.toString(),
                null);
        final String image = images.imageFor(spec);
        final ChronicleChannel channel = createChannel(spec, dir, handler);
        final String name = "fabric-embedded-" + ChaincodeImages.component(spec.name()) + "-"
                + ChaincodeImages.component(spec.version()) + "-" + HexFormat.of().formatHex(randomBytes());
        String containerId = null;
        try {
            final CreateContainerResponse created = docker.createContainerCmd(image)
                    .withName(name)
                    .withCmd(commandLine)
                    .withEnv(environment(spec))
                    .withUser(user)
                    .withLabels(Map.of(CHAINCODE_LABEL, spec.chaincodeId(),
                            PEER_LABEL, Long.toString(ProcessHandle.current().pid()),
                            CHANNEL_LABEL, dir.toString()))
                    .withHostConfig(HostConfig.newHostConfig()
                            .withNetworkMode("none")
                            .withBinds(binds(dir)))
                    .exec();
            containerId = created.getId();
            docker.startContainerCmd(containerId).exec();
        } catch (DockerException | IllegalArgumentException e) {
            channel.close();
            if (containerId != null) {
                removeQuietly(containerId);
            }
            throw new ChaincodeStartException("error starting container " + name + " for chaincode "
                    + spec.chaincodeId() + ": " + e.getMessage(), e);
        }
        LOG.info("chaincode {}: started container {} from {} (channel {})", spec.chaincodeId(), name, image, dir);
        return new ContainerChaincode(spec, docker, containerId, name, channel, handler, stopGracePeriod);
    }

    @Override
    void follow(final ContainerChaincode chaincode, final Executor exitThread,
            final Consumer<ContainerChaincode> released) {
        chaincode.follow(exitThread, released);
    }

    @Override
    void abandon(final ContainerChaincode chaincode) {
        chaincode.remove();
        chaincode.channel().close();
    }

    @Override
    void endAtShutdown(final ContainerChaincode chaincode) {
        LOG.warn("JVM shutting down: removing {}", chaincode);
        chaincode.remove();
    }

    private List<String> environment(final LaunchSpec spec) {
        final List<String> env = new ArrayList<>();
        spec.env().forEach((k, v) -> env.add(k + "=" + v));
        env.add("CORE_CHAINCODE_ID_NAME=" + spec.chaincodeId());
        return env;
    }

    private List<Bind> binds(final Path channelDir) {
        final List<Bind> binds = new ArrayList<>();
        binds.add(new Bind(channelDir.toString(), new Volume(channelDir.toString()), AccessMode.rw));
        for (final Path entry : shimClasspath) {
            binds.add(new Bind(entry.toString(), new Volume(entry.toString()), AccessMode.ro));
        }
        return binds;
    }

    private byte[] randomBytes() {
        final byte[] bytes = new byte[4];
        random.nextBytes(bytes);
        return bytes;
    }

    /** The chaincode images this runtime built and has not removed. */
    public Set<String> builtImages() {
        return images.built();
    }

    @Override
    void releaseResources() {
        if (removeImagesOnClose) {
            images.removeBuilt();
        }
        if (ownsDocker) {
            try {
                docker.close();
            } catch (IOException e) {
                LOG.warn("closing the Docker client failed: {}", e.toString());
            }
        }
    }

    /**
     * Removes the containers a crashed earlier run of this peer left: those whose channel directory was under this
     * runtime's base directory and is gone (the base directory's stale channel directories were just deleted).
     * Containers of other peers, whose channel directories are elsewhere, are never touched.
     */
    private void removeStaleContainers() {
        final List<com.github.dockerjava.api.model.Container> containers;
        try {
            containers = docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of(CHANNEL_LABEL)).exec();
        } catch (DockerException e) {
            LOG.warn("could not list chaincode containers: {}", e.getMessage());
            return;
        }
        for (final com.github.dockerjava.api.model.Container container : containers) {
            final String dir = container.getLabels() == null ? null : container.getLabels().get(CHANNEL_LABEL);
            if (dir == null) {
                continue;
            }
            final Path channelDir = Path.of(dir);
            if (channelBaseDir().equals(channelDir.getParent()) && !Files.exists(channelDir)) {
                LOG.info("removing container {} left by a crashed run (channel directory {} is gone)",
                        String.join(",", container.getNames()), channelDir);
                removeQuietly(container.getId());
            }
        }
    }

    private void removeQuietly(final String containerId) {
        try {
            docker.removeContainerCmd(containerId).withForce(true).exec();
        } catch (NotFoundException e) {
            // never created
        } catch (DockerException e) {
            LOG.warn("could not remove container {}: {}", containerId, e.getMessage());
        }
    }

    private static String ownerOf(final Path dir) {
        try {
            return Files.getAttribute(dir, "unix:uid") + ":" + Files.getAttribute(dir, "unix:gid");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the owner of " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Settings of a {@link DockerRuntime}; every one has a default. */
    public static final class Builder extends JvmChaincodeBuilder<Builder> {
        private DockerClient docker;
        private String baseImage = DockerBaseImage.DEFAULT_NAME;
        private String javaInImage = DockerBaseImage.JAVA;
        private boolean removeImagesOnClose = true;

        private Builder() {
        }

        /** The Docker client to use; it stays open when the runtime closes. Default: one for {@code DOCKER_HOST}. */
        public Builder dockerClient(final DockerClient client) {
            this.docker = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * The base image of chaincode images, with a Java 17+ runtime (default {@link DockerBaseImage#DEFAULT_NAME},
         * built locally if missing; any other image must exist).
         */
        public Builder baseImage(final String image) {
            this.baseImage = Objects.requireNonNull(image, "image");
            return this;
        }

        /** The {@code java} executable inside the base image (default {@value DockerBaseImage#JAVA}). */
        public Builder javaInImage(final String java) {
            this.javaInImage = Objects.requireNonNull(java, "java");
            return this;
        }

        /** Whether {@link DockerRuntime#close()} removes the chaincode images it built (default {@code true}). */
        public Builder removeImagesOnClose(final boolean remove) {
            this.removeImagesOnClose = remove;
            return this;
        }

        /**
         * Connects to the daemon and makes sure the base image exists (building the default one if needed).
         *
         * @throws IllegalStateException if no Docker daemon answers, or the base image is missing and cannot be built
         */
        public DockerRuntime build() {
            final boolean owned = docker == null;
            final DockerClient client = owned ? defaultDockerClient() : docker;
            try {
                try {
                    client.pingCmd().exec();
                } catch (RuntimeException e) {
                    throw new IllegalStateException("no Docker daemon answers"
                            + (owned ? " at " + DefaultDockerClientConfig.createDefaultConfigBuilder().build()
                                    .getDockerHost() : "") + ": " + e.getMessage(), e);
                }
                if (baseImage.equals(DockerBaseImage.DEFAULT_NAME)) {
                    DockerBaseImage.ensure(client, baseImage);
                }
                final String baseImageId;
                try {
                    baseImageId = client.inspectImageCmd(baseImage).exec().getId();
                } catch (NotFoundException e) {
                    throw new IllegalStateException("base image " + baseImage + " not found: build it first (see"
                            + " DockerBaseImage) or choose another with DockerRuntime.Builder.baseImage", e);
                }
                return new DockerRuntime(this, shimClasspathOrDefault(), client, owned, baseImageId);
            } catch (RuntimeException e) {
                if (owned) {
                    try {
                        client.close();
                    } catch (IOException closing) {
                        e.addSuppressed(closing);
                    }
                }
                throw e;
            }
        }
    }
}
