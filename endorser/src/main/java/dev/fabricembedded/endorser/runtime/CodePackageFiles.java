package dev.fabricembedded.endorser.runtime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A chaincode code package written out as jar files for a runtime to start: the {@code code_package} of a JAVA
 * {@code ChaincodeDeploymentSpec} is either one jar, or a tar.gz whose {@code .jar} entries (at any depth) are the
 * chaincode's jars in class-path order.
 *
 * <pre>{@code
 * try (CodePackageFiles files = CodePackageFiles.materialize(cds.getCodePackage().toByteArray(), dir)) {
 *     RunningChaincode cc = runtime.start(LaunchSpec.builder(name, version).packageJars(files.jars()).build(), h);
 *     ...   // keep the files until the chaincode has stopped
 * }
 * }</pre>
 *
 * <p>A malformed package is refused with an {@link IllegalArgumentException} naming the problem, and nothing is
 * left on disk then. A tar.gz is flattened: each jar is written under its own file name, so no entry name can write
 * outside the directory; links and duplicate jar names are refused, other files (metadata, sources) are ignored.
 * {@link #close()} deletes the directory.
 */
public final class CodePackageFiles implements AutoCloseable {

    /** The file name of a package that is a single jar. */
    public static final String SINGLE_JAR_NAME = "chaincode.jar";

    private final Path directory;
    private final List<Path> jars;

    private CodePackageFiles(final Path directory, final List<Path> jars) {
        this.directory = directory;
        this.jars = List.copyOf(jars);
    }

    /**
     * Writes a code package's jars into {@code dir}, which must not exist or be empty.
     *
     * @throws IllegalArgumentException if the package is neither a jar nor a tar.gz of jars, or is malformed
     * @throws UncheckedIOException     if the files cannot be written
     */
    public static CodePackageFiles materialize(final byte[] codePackage, final Path dir) {
        Objects.requireNonNull(codePackage, "codePackage");
        final Path directory = dir.toAbsolutePath().normalize();
        final boolean created;
        try {
            created = prepare(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create code package directory " + directory + ": " + e.getMessage(),
                    e);
        }
        try {
            final List<Path> jars;
            if (isZip(codePackage)) {
                checkJar(codePackage, "code package");
                jars = List.of(Files.write(directory.resolve(SINGLE_JAR_NAME), codePackage));
            } else if (isGzip(codePackage)) {
                jars = extractJars(codePackage, directory);
            } else {
                throw new IllegalArgumentException(codePackage.length == 0 ? "code package is empty"
                        : "code package is neither a jar nor a tar.gz of jars");
            }
            return new CodePackageFiles(directory, jars);
        } catch (IOException | RuntimeException e) {
            clean(directory, created);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot write code package into " + directory + ": " + e.getMessage(),
                        io);
            }
            throw (RuntimeException) e;
        }
    }

    /** The directory holding the jars. */
    public Path directory() {
        return directory;
    }

    /** The jars, in class-path order. */
    public List<Path> jars() {
        return jars;
    }

    /** Deletes the directory and the jars. */
    @Override
    public void close() {
        try {
            FileTree.delete(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete code package directory " + directory + ": " + e.getMessage(),
                    e);
        }
    }

    private static boolean prepare(final Path directory) throws IOException {
        if (!Files.exists(directory)) {
            Files.createDirectories(directory);
            return true;
        }
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("code package directory " + directory + " is not a directory");
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            if (entries.iterator().hasNext()) {
                throw new IllegalArgumentException("code package directory " + directory + " is not empty");
            }
        }
        return false;
    }

    private static List<Path> extractJars(final byte[] codePackage, final Path directory) throws IOException {
        final List<Path> jars = new ArrayList<>();
        final Set<String> names = new HashSet<>();
        try (InputStream gzip = new GZIPInputStream(new ByteArrayInputStream(codePackage));
             TarArchiveInputStream tar = new TarArchiveInputStream(gzip)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                final String entryName = entry.getName();
                if (entry.isDirectory() || !entryName.endsWith(".jar")) {
                    continue;
                }
                if (entry.isSymbolicLink() || entry.isLink() || !entry.isFile()) {
                    throw new IllegalArgumentException("code package entry " + entryName + " is not a regular file");
                }
                final String fileName = entryName.substring(entryName.lastIndexOf('/') + 1);
                if (fileName.equals(".jar") || !names.add(fileName)) {
                    throw new IllegalArgumentException("code package holds two jars named " + fileName);
                }
                final byte[] jar = tar.readAllBytes();
                checkJar(jar, "code package entry " + entryName);
                jars.add(Files.write(directory.resolve(fileName), jar));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("code package is not a valid tar.gz: " + e.getMessage(), e);
        }
        if (jars.isEmpty()) {
            throw new IllegalArgumentException("code package tar.gz holds no jar");
        }
        return jars;
    }

    /** A jar must be a readable zip with at least one entry. */
    private static void checkJar(final byte[] jar, final String what) {
        if (!isZip(jar)) {
            throw new IllegalArgumentException(what + " is not a jar");
        }
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(jar))) {
            int entries = 0;
            while (zip.getNextEntry() != null) {
                zip.transferTo(OutputStream.nullOutputStream());
                entries++;
            }
            if (entries == 0) {
                throw new IllegalArgumentException(what + " is an empty jar");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " is not a valid jar: " + e.getMessage(), e);
        }
    }

    private static boolean isZip(final byte[] bytes) {
        return bytes.length >= 4 && bytes[0] == 'P' && bytes[1] == 'K' && bytes[2] == 3 && bytes[3] == 4;
    }

    private static boolean isGzip(final byte[] bytes) {
        return bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
    }

    private static void clean(final Path directory, final boolean created) {
        try {
            if (created) {
                FileTree.delete(directory);
            } else {
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
                    for (final Path entry : entries) {
                        FileTree.delete(entry);
                    }
                }
            }
        } catch (IOException e) {
            // best effort after a failure already being reported
        }
    }
}
