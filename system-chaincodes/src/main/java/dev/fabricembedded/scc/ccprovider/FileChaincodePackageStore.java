package dev.fabricembedded.scc.ccprovider;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ChaincodePackageStore} over a directory: one file {@code <dir>/<name>.<version>} per package holding the
 * raw install bytes, mode 0644, as Fabric lays out {@code /var/hyperledger/production/chaincodes}.
 *
 * <p>Installing is atomic and never overwrites: the bytes go to a hidden temporary file in the same directory, which
 * is synced and then hard-linked to its final name ({@code link(2)} fails if the name exists, so two concurrent
 * installs of one name and version cannot both win), and the temporary file is removed. A crash leaves at worst a
 * hidden {@code .install-*.tmp} file, which listing ignores. Reads need no lock: a package file is complete from the
 * moment its name exists. Thread-safe; holds no open files.
 */
public final class FileChaincodePackageStore implements ChaincodePackageStore {

    private static final Logger LOG = LoggerFactory.getLogger(FileChaincodePackageStore.class);
    private static final Set<PosixFilePermission> MODE_0644 = PosixFilePermissions.fromString("rw-r--r--");
    private static final String TEMP_PREFIX = ".install-";

    private final Path directory;
    private final Set<String> reservedNames;

    /**
     * A store over {@code directory} (created if missing) that refuses Fabric's system chaincode names.
     *
     * @throws UncheckedIOException when the directory cannot be created
     */
    public FileChaincodePackageStore(Path directory) {
        this(directory, ChaincodeNames.SYSTEM_CHAINCODE_NAMES);
    }

    /**
     * A store over {@code directory} (created if missing) that refuses the given system chaincode names.
     *
     * @throws UncheckedIOException when the directory cannot be created
     */
    public FileChaincodePackageStore(Path directory, Set<String> reservedNames) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.reservedNames = Set.copyOf(reservedNames);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create chaincode install directory " + directory, e);
        }
    }

    /** The install directory. */
    public Path directory() {
        return directory;
    }

    @Override
    public ChaincodePackage install(ByteString installBytes) {
        ChaincodePackage pkg = ChaincodePackage.parse(installBytes);
        String name = pkg.name();
        String version = pkg.version();
        ChaincodeNames.requireValidName(name);
        ChaincodeNames.requireValidVersion(version);
        if (reservedNames.contains(name)) {
            throw new InvalidChaincodeException("cannot install: " + name + " is the name of a system chaincode");
        }
        ChaincodeSpec.Type type = pkg.deploymentSpec().getChaincodeSpec().getType();
        if (type != ChaincodeSpec.Type.JAVA) {
            throw new InvalidChaincodeException("cannot install: chaincode type " + type
                    + " is not supported, this peer runs JAVA chaincode packages (a jar or a tar.gz of jars)");
        }
        JavaCodePackage.validate(pkg.deploymentSpec().getCodePackage());
        Path target = fileOf(name, version);
        try {
            writeNew(target, installBytes);
        } catch (FileAlreadyExistsException e) {
            throw new InvalidChaincodeException("error installing chaincode code " + name + ":" + version
                    + "(chaincode " + target + " exists)", e);
        } catch (IOException e) {
            throw new InvalidChaincodeException("error installing chaincode code " + name + ":" + version + "("
                    + e + ")", e);
        }
        LOG.info("installed chaincode {}:{} at {}", name, version, target);
        return pkg;
    }

    @Override
    public Optional<ChaincodePackage> get(String name, String version) {
        Path file = fileOf(name, version);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new InvalidChaincodeException("could not read chaincode package " + file + ": " + e, e);
        }
        return Optional.of(ChaincodePackage.parse(ByteString.copyFrom(bytes)));
    }

    @Override
    public List<ChaincodePackage> list() {
        TreeSet<String> fileNames = new TreeSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                if (Files.isRegularFile(file)) {
                    fileNames.add(file.getFileName().toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list chaincode install directory " + directory, e);
        }
        List<ChaincodePackage> packages = new ArrayList<>();
        for (String fileName : fileNames) {
            int dot = fileName.indexOf('.');
            if (fileName.startsWith(TEMP_PREFIX) || dot <= 0) {
                continue;
            }
            String name = fileName.substring(0, dot);
            String version = fileName.substring(dot + 1);
            try {
                Optional<ChaincodePackage> pkg = get(name, version);
                if (pkg.isEmpty()) {
                    continue;
                }
                if (!pkg.get().name().equals(name) || !pkg.get().version().equals(version)) {
                    LOG.error("chaincode file {} holds {}:{}, skipping it", fileName, pkg.get().name(),
                            pkg.get().version());
                    continue;
                }
                packages.add(pkg.get());
            } catch (InvalidChaincodeException e) {
                LOG.error("unreadable chaincode file {}, skipping it: {}", fileName, e.getMessage());
            }
        }
        return packages;
    }

    private Path fileOf(String name, String version) {
        String fileName = name + "." + version;
        Path file = directory.resolve(fileName).normalize();
        if (!directory.normalize().equals(file.getParent())) {
            // Only reachable through get() with names that bypass the install checks, e.g. "../x".
            throw new InvalidChaincodeException("invalid chaincode file name " + fileName);
        }
        return file;
    }

    private void writeNew(Path target, ByteString bytes) throws IOException {
        Path temp = directory.resolve(TEMP_PREFIX + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                ByteBuffer buffer = bytes.asReadOnlyByteBuffer();
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            setMode0644(temp);
            Files.createLink(target, temp);
        } finally {
            Files.deleteIfExists(temp);
        }
        syncDirectory();
    }

    private static void setMode0644(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, MODE_0644);
        } catch (UnsupportedOperationException e) {
            LOG.debug("file system without POSIX permissions; {} keeps its default mode", file);
        }
    }

    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("could not sync directory {}: {}", directory, e.toString());
        }
    }

    @Override
    public String toString() {
        return "FileChaincodePackageStore{" + directory + "}";
    }
}
