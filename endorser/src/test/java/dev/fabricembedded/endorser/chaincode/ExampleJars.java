package dev.fabricembedded.endorser.chaincode;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * The installable chaincode jars of {@code examples} (classifiers {@code example02}, {@code kv},
 * {@code misbehaving}), as the build put them on the test class path, and jars the tests build from their own
 * chaincode classes.
 */
public final class ExampleJars {

    private ExampleJars() {
    }

    /** The examples jar with this classifier. */
    public static Path jar(final String classifier) {
        for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            final Path path = Path.of(entry);
            final String name = path.getFileName() == null ? "" : path.getFileName().toString();
            if (name.startsWith("fabric-embedded-examples-") && name.endsWith("-" + classifier + ".jar")) {
                return path;
            }
        }
        throw new IllegalStateException("the examples jar with classifier " + classifier + " is not on the test class"
                + " path: build with mvn -pl endorser -am verify (the examples jars come from its package phase)");
    }

    /** The bytes of the examples jar with this classifier: a code package as installed. */
    public static byte[] bytes(final String classifier) {
        try {
            return Files.readAllBytes(jar(classifier));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A package jar holding one compiled test class (and its nested classes), its manifest naming
     * {@code chaincodeClass} (which may be a class that does not exist).
     */
    public static byte[] packageOf(final Class<?> type, final String chaincodeClass, final Path dir) {
        try {
            final Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            manifest.getMainAttributes().putValue("Chaincode-Class", chaincodeClass);
            final Path root = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
            final String prefix = type.getName().replace('.', '/');
            final Path file = Files.createTempFile(dir, "package-", ".jar");
            try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest);
                 var classes = Files.walk(root)) {
                for (final Path classFile : classes.filter(p -> {
                    final String relative = root.relativize(p).toString().replace('\\', '/');
                    return relative.equals(prefix + ".class") || relative.startsWith(prefix + "$");
                }).sorted().toList()) {
                    jar.putNextEntry(new JarEntry(root.relativize(classFile).toString().replace('\\', '/')));
                    jar.write(Files.readAllBytes(classFile));
                    jar.closeEntry();
                }
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
