package dev.fabricembedded.endorser.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-package images of a {@link DockerRuntime}: the base image plus the chaincode's package jars in
 * {@value #PACKAGE_DIR}, like Fabric's {@code dev-peer-<name>-<version>} images.
 *
 * <p>An image is named {@code fabric-embedded/cc-<name>-<version>:<hash>}, the hash covering the base image id and
 * the jars' names and bytes, so a relaunch of the same package reuses it and a new package never meets a stale one.
 * Only the package goes into the image (a few KB to MB: the build takes about a second); the shim's class path is
 * bind-mounted read-only at run time instead, being the same for every chaincode. Builds of the same image are
 * serialized; different images build concurrently. The images built here are remembered so that the runtime can
 * remove them when it closes.
 */
final class ChaincodeImages {

    private static final Logger LOG = LoggerFactory.getLogger(ChaincodeImages.class);

    /** Where the package jars are in a chaincode image. */
    static final String PACKAGE_DIR = "/opt/fabric-embedded/chaincode/";

    private final DockerClient docker;
    private final String baseImage;
    private final String baseImageId;
    private final Map<String, Object> buildLocks = new ConcurrentHashMap<>();
    private final Set<String> built = ConcurrentHashMap.newKeySet();

    ChaincodeImages(final DockerClient docker, final String baseImage, final String baseImageId) {
        this.docker = docker;
        this.baseImage = baseImage;
        this.baseImageId = baseImageId;
    }

    /** The package jars' paths inside the image, in the spec's order. */
    static List<String> jarsInImage(final LaunchSpec spec) {
        final List<String> jars = new ArrayList<>();
        for (int i = 0; i < spec.packageJars().size(); i++) {
            jars.add(PACKAGE_DIR + fileName(i, spec.packageJars().get(i)));
        }
        return jars;
    }

    private static String fileName(final int index, final Path jar) {
        // only safe characters: the name goes into a Dockerfile and a class path
        return index + "-" + jar.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /**
     * The image for a spec's package, built if it does not exist yet.
     *
     * @throws ChaincodeStartException if a jar cannot be read or the build fails
     */
    String imageFor(final LaunchSpec spec) {
        final String image = "fabric-embedded/cc-" + component(spec.name()) + "-" + component(spec.version()) + ":"
                + hash(spec);
        synchronized (buildLocks.computeIfAbsent(image, i -> new Object())) {
            if (DockerBaseImage.exists(docker, image)) {
                return image;
            }
            build(spec, image);
            built.add(image);
            return image;
        }
    }

    private void build(final LaunchSpec spec, final String image) {
        final long started = System.nanoTime();
        Path context = null;
        try {
            context = Files.createTempDirectory("fabric-embedded-image-");
            final StringBuilder dockerfile = new StringBuilder("FROM ").append(baseImage).append('\n').append("COPY");
            for (int i = 0; i < spec.packageJars().size(); i++) {
                final String name = fileName(i, spec.packageJars().get(i));
                Files.copy(spec.packageJars().get(i), context.resolve(name));
                dockerfile.append(' ').append(name);
            }
            dockerfile.append(' ').append(PACKAGE_DIR).append('\n')
                    .append("LABEL ").append(DockerRuntime.CHAINCODE_LABEL).append("=\"").append(spec.chaincodeId())
                    .append("\"\n");
            final Path file = Files.writeString(context.resolve("Dockerfile"), dockerfile, StandardCharsets.UTF_8);
            docker.buildImageCmd(context.toFile())
                    .withDockerfile(file.toFile())
                    .withTags(Set.of(image))
                    .withPull(false)
                    .withRemove(true)
                    .withForcerm(true)
                    .exec(new BuildImageResultCallback())
                    .awaitImageId(5, TimeUnit.MINUTES);
            LOG.info("chaincode {}: built image {} in {} ms", spec.chaincodeId(), image,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (IOException | DockerException | DockerClientException e) {
            throw new ChaincodeStartException("cannot start chaincode " + spec.chaincodeId() + ": cannot build image "
                    + image + ": " + e.getMessage(), e);
        } finally {
            if (context != null) {
                try {
                    FileTree.delete(context);
                } catch (IOException e) {
                    LOG.warn("could not delete the image build context {}: {}", context, e.toString());
                }
            }
        }
    }

    /** The images built by this object. */
    Set<String> built() {
        return Set.copyOf(built);
    }

    /** Removes the images built by this object (best effort: an image still used by a container stays). */
    void removeBuilt() {
        for (final String image : built) {
            try {
                docker.removeImageCmd(image).withForce(false).exec();
                LOG.debug("removed image {}", image);
            } catch (NotFoundException e) {
                // already gone
            } catch (DockerException e) {
                LOG.warn("could not remove image {}: {}", image, e.getMessage());
            }
            built.remove(image);
        }
    }

    private String hash(final LaunchSpec spec) {
        try {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(baseImageId.getBytes(StandardCharsets.UTF_8));
            for (final Path jar : spec.packageJars()) {
                digest.update((byte) 0);
                digest.update(jar.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                try (InputStream in = Files.newInputStream(jar)) {
                    final byte[] buffer = new byte[65536];
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        digest.update(buffer, 0, n);
                    }
                }
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new ChaincodeStartException("cannot start chaincode " + spec.chaincodeId() + ": cannot read its"
                    + " package jar: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** A Docker repository path component: lowercase alphanumerics separated by single dashes. */
    static String component(final String text) {
        final String cleaned = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return cleaned.isEmpty() ? "x" : cleaned;
    }
}
