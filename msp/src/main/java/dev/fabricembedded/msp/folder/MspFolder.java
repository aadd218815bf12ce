package dev.fabricembedded.msp.folder;

import com.google.protobuf.ByteString;
import dev.fabricembedded.msp.Enrollment;
import dev.fabricembedded.msp.InvalidIdentityException;
import dev.fabricembedded.msp.Msp;
import dev.fabricembedded.msp.MspConfig;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.crypto.EcKeyPair;
import dev.fabricembedded.msp.crypto.Pem;
import dev.fabricembedded.msp.x509.X509Cert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads and writes Fabric's MSP folder layout.
 *
 * <p>Reading follows {@code msp/configbuilder.go}: every regular file of {@code cacerts/} (required),
 * {@code intermediatecerts/}, {@code admincerts/}, {@code crls/}, {@code tlscacerts/} and
 * {@code tlsintermediatecerts/} must contain PEM and contributes its bytes; {@code config.yaml} supplies NodeOUs and
 * OU identifiers; {@code signcerts/} plus a matching private key in {@code keystore/} (PKCS#8 or SEC1 PEM, any file
 * name, typically {@code <ski>_sk} or {@code priv_sk}) give the signing identity, which like Fabric's must not be
 * expired.
 *
 * <p>Writing creates the folder in a temporary sibling and moves it into place, so a failure leaves nothing behind;
 * the target must not exist or must be an empty directory. Certificates are named {@code <CN>-cert.pem}, keys
 * {@code <hex(SKI)>_sk} (owner-only permissions where the file system supports them).
 */
public final class MspFolder {

    private static final Logger LOG = LoggerFactory.getLogger(MspFolder.class);

    private MspFolder() {
    }

    /**
     * Loads an MSP folder.
     *
     * @param directory the MSP folder (the one containing {@code cacerts/})
     * @param mspId     the MSP ID to give it (folders do not record it)
     * @throws IllegalArgumentException naming the folder and the problem
     */
    public static LocalMsp read(Path directory, String mspId) {
        try {
            if (!Files.isDirectory(directory)) {
                throw new IllegalArgumentException("not a directory");
            }
            MspConfig config = readConfig(directory, mspId);
            Msp msp = Msp.create(config);
            Optional<SigningIdentity> signer = readSigner(directory, msp);
            return new LocalMsp(config, msp, signer);
        } catch (IllegalArgumentException | InvalidIdentityException e) {
            throw new IllegalArgumentException("could not load MSP folder " + directory + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not load MSP folder " + directory + ": " + e.getMessage(), e);
        }
    }

    private static MspConfig readConfig(Path directory, String mspId) throws IOException {
        MspConfig.Builder builder = MspConfig.builder(mspId);
        List<byte[]> roots = pemFiles(directory.resolve("cacerts"));
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("could not load a valid ca certificate from directory "
                    + directory.resolve("cacerts"));
        }
        roots.forEach(b -> builder.rootCert(ByteString.copyFrom(b)));
        pemFiles(directory.resolve("intermediatecerts")).forEach(b -> builder.intermediateCert(ByteString.copyFrom(b)));
        pemFiles(directory.resolve("admincerts")).forEach(b -> builder.adminCert(ByteString.copyFrom(b)));
        pemFiles(directory.resolve("crls")).forEach(b -> builder.revocationList(ByteString.copyFrom(b)));
        pemFiles(directory.resolve("tlscacerts")).forEach(b -> builder.tlsRootCert(ByteString.copyFrom(b)));
        pemFiles(directory.resolve("tlsintermediatecerts"))
                .forEach(b -> builder.tlsIntermediateCert(ByteString.copyFrom(b)));
        Path yaml = directory.resolve("config.yaml");
        if (Files.isRegularFile(yaml)) {
            ConfigYaml.Contents contents = ConfigYaml.read(directory, yaml);
            contents.organizationalUnitIdentifiers().forEach(builder::organizationalUnitIdentifier);
            builder.nodeOUs(contents.nodeOUs());
        }
        return builder.build();
    }

    private static Optional<SigningIdentity> readSigner(Path directory, Msp msp) throws IOException {
        List<byte[]> signcerts = pemFiles(directory.resolve("signcerts"));
        if (signcerts.isEmpty()) {
            return Optional.empty();
        }
        byte[] certPem = signcerts.get(0);
        X509Cert cert = X509Cert.fromPem(certPem);
        Path keystore = directory.resolve("keystore");
        for (Path file : regularFiles(keystore)) {
            EcKeyPair keys;
            try {
                keys = EcKeyPair.fromPem(Files.readAllBytes(file));
            } catch (IllegalArgumentException e) {
                LOG.debug("skipping {}: {}", file, e.getMessage());
                continue;
            }
            if (cert.ecPublicKey() != null && keys.matches(cert.ecPublicKey())) {
                SigningIdentity signer = msp.signingIdentity(new Enrollment(ByteString.copyFrom(certPem), keys));
                Instant now = Instant.now();
                if (signer.isExpired(now)) {
                    throw new IllegalArgumentException("signing identity expired "
                            + Duration.between(signer.expiresAt(), now) + " ago");
                }
                return Optional.of(signer);
            }
        }
        throw new IllegalArgumentException("could not find a private key in " + keystore
                + " matching the certificate in " + directory.resolve("signcerts"));
    }

    /** The PEM files of a directory in file-name order; a missing directory gives none. */
    private static List<byte[]> pemFiles(Path dir) throws IOException {
        List<byte[]> contents = new ArrayList<>();
        for (Path file : regularFiles(dir)) {
            byte[] bytes = Files.readAllBytes(file);
            if (Pem.decode(bytes) == null) {
                throw new IllegalArgumentException("no pem content for file " + file);
            }
            contents.add(bytes);
        }
        return contents;
    }

    private static List<Path> regularFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path file : stream) {
                if (Files.isRegularFile(file)) {
                    files.add(file);
                }
            }
        }
        files.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return files;
    }

    /**
     * Writes an MSP folder for a configuration and, optionally, a signing identity.
     *
     * @param directory the folder to create (must not exist, or be empty)
     * @param config    the verifying configuration
     * @param signer    the enrollment for {@code signcerts/} and {@code keystore/}, or {@code null}
     * @throws IllegalArgumentException when the folder exists and is not empty, or config.yaml would reference a
     *                                  certificate that is not one of the MSP's CA certificates
     * @throws UncheckedIOException     when writing fails (nothing is left behind)
     */
    public static void write(Path directory, MspConfig config, Enrollment signer) {
        writeAtomically(directory, tmp -> {
            Map<ByteString, String> paths = new HashMap<>();
            writeCerts(tmp, "cacerts", config.rootCerts(), paths);
            writeCerts(tmp, "intermediatecerts", config.intermediateCerts(), paths);
            writeCerts(tmp, "admincerts", config.admins(), null);
            Files.createDirectories(tmp.resolve("admincerts"));
            if (!config.revocationLists().isEmpty()) {
                Path crls = Files.createDirectories(tmp.resolve("crls"));
                for (int i = 0; i < config.revocationLists().size(); i++) {
                    Files.write(crls.resolve("crl-" + i + ".pem"), config.revocationLists().get(i).toByteArray());
                }
            }
            writeCerts(tmp, "tlscacerts", config.tlsRootCerts(), null);
            writeCerts(tmp, "tlsintermediatecerts", config.tlsIntermediateCerts(), null);
            String yaml = ConfigYaml.write(config, pem -> {
                String path = paths.get(pem);
                if (path == null) {
                    throw new IllegalArgumentException("an OU certificate of MSP " + config.name()
                            + " is not one of its root or intermediate CA certificates");
                }
                return path;
            });
            if (yaml != null) {
                Files.writeString(tmp.resolve("config.yaml"), yaml);
            }
            if (signer != null) {
                writeCerts(tmp, "signcerts", List.of(signer.certificatePem()), null);
                writeKey(Files.createDirectories(tmp.resolve("keystore")), signer.keyPair());
            }
        });
    }

    /** Writes a CA folder as cryptogen does: {@code <name>-cert.pem} and {@code <hex(SKI)>_sk}. */
    public static void writeCa(Path directory, ByteString certificatePem, EcKeyPair keyPair, String name) {
        writeAtomically(directory, tmp -> {
            Files.write(tmp.resolve(fileName(name) + "-cert.pem"), certificatePem.toByteArray());
            writeKey(tmp, keyPair);
        });
    }

    private static void writeCerts(Path root, String subdirectory, List<ByteString> pems, Map<ByteString, String> paths)
            throws IOException {
        if (pems.isEmpty()) {
            return;
        }
        Path dir = Files.createDirectories(root.resolve(subdirectory));
        Set<String> used = new HashSet<>();
        for (int i = 0; i < pems.size(); i++) {
            ByteString pem = pems.get(i);
            String base;
            try {
                base = fileName(X509Cert.fromPem(pem.toByteArray()).commonName());
            } catch (IllegalArgumentException e) {
                base = "cert-" + i;
            }
            String name = base + "-cert.pem";
            for (int n = 1; !used.add(name); n++) {
                name = base + "-" + n + "-cert.pem";
            }
            Files.write(dir.resolve(name), pem.toByteArray());
            if (paths != null) {
                paths.putIfAbsent(pem, subdirectory + "/" + name);
            }
        }
    }

    private static void writeKey(Path dir, EcKeyPair keyPair) throws IOException {
        Path file = dir.resolve(HexFormat.of().formatHex(keyPair.subjectKeyIdentifier()) + "_sk");
        Files.write(file, keyPair.toPkcs8Pem());
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            LOG.debug("file system without POSIX permissions; {} keeps default permissions", file);
        }
    }

    private static String fileName(String name) {
        return name.replaceAll("[^A-Za-z0-9@._-]", "_");
    }

    /** Fills a directory that {@link #writeAtomically} moves into place afterwards. */
    @FunctionalInterface
    public interface DirectoryWriter {
        /** Writes the contents into {@code temporaryDirectory} (which exists and is empty). */
        void write(Path temporaryDirectory) throws IOException;
    }

    /**
     * Creates {@code directory} with the given contents all at once: the writer fills a temporary sibling that is
     * then moved into place, and removed if anything fails. The target must not exist or be an empty directory.
     *
     * @throws IllegalArgumentException when the target exists and is not an empty directory
     * @throws UncheckedIOException     when writing fails (nothing is left behind)
     */
    public static void writeAtomically(Path directory, DirectoryWriter writer) {
        Path target = directory.toAbsolutePath().normalize();
        try {
            if (Files.exists(target)) {
                if (!Files.isDirectory(target) || !isEmpty(target)) {
                    throw new IllegalArgumentException("cannot write MSP folder " + target
                            + ": it already exists and is not an empty directory");
                }
            }
            Path parent = Files.createDirectories(target.getParent());
            Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
            try {
                writer.write(tmp);
                if (Files.exists(target)) {
                    Files.delete(target);
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                deleteRecursively(tmp);
                if (e instanceof FileAlreadyExistsException) {
                    throw new IllegalArgumentException("cannot write MSP folder " + target + ": it appeared while "
                            + "writing", e);
                }
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write MSP folder " + target + ": " + e.getMessage(), e);
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.warn("could not delete {}: {}", p, e.getMessage());
                }
            });
        } catch (IOException e) {
            LOG.warn("could not clean up {}: {}", root, e.getMessage());
        }
    }
}
