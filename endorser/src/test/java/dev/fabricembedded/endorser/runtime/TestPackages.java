package dev.fabricembedded.endorser.runtime;

import dev.fabricembedded.endorser.runtime.testchaincode.Example02Chaincode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** Chaincode package jars built by the tests from the compiled test chaincode. */
final class TestPackages {

    static final String EXAMPLE02_CLASS = Example02Chaincode.class.getName();

    private TestPackages() {
    }

    /** A package jar holding the test chaincode package's classes, its manifest naming {@code chaincodeClass}. */
    static Path example02Jar(final Path dir) throws IOException {
        return jar(dir.resolve("example02.jar"), EXAMPLE02_CLASS);
    }

    /** The bytes of {@link #example02Jar}. */
    static byte[] example02Bytes(final Path dir) throws IOException {
        return Files.readAllBytes(example02Jar(dir));
    }

    static Path jar(final Path file, final String chaincodeClass) throws IOException {
        final Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (chaincodeClass != null) {
            manifest.getMainAttributes().putValue("Chaincode-Class", chaincodeClass);
        }
        final Path classes = classesRoot();
        final Path packageDir = classes.resolve(Example02Chaincode.class.getPackageName().replace('.', '/'));
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file);
             JarOutputStream jar = new JarOutputStream(out, manifest);
             Stream<Path> files = Files.list(packageDir)) {
            for (final Path classFile : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                jar.putNextEntry(new JarEntry(classes.relativize(classFile).toString().replace('\\', '/')));
                jar.write(Files.readAllBytes(classFile));
                jar.closeEntry();
            }
        }
        return file;
    }

    private static Path classesRoot() {
        try {
            return Path.of(Example02Chaincode.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The examples module's example02 package jar (classifier {@code example02}, manifest {@code Chaincode-Class}).
     * When the build resolved it to the examples' class directory instead of the packaged jar, the same jar is
     * made from there in {@code dir}.
     */
    static Path examplesExample02Jar(final Path dir) throws IOException {
        final Class<?> example02;
        try {
            example02 = Class.forName("dev.fabricembedded.examples.Example02Chaincode");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the examples' example02 jar is not on the test class path", e);
        }
        final Path location;
        try {
            location = Path.of(example02.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (Files.isRegularFile(location)) {
            return location;
        }
        final Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Chaincode-Class", example02.getName());
        final Path jar = dir.resolve("example02-from-classes.jar");
        final Path packageDir = location.resolve(example02.getPackageName().replace('.', '/'));
        Files.createDirectories(dir);
        try (OutputStream out = Files.newOutputStream(jar);
             JarOutputStream stream = new JarOutputStream(out, manifest);
             Stream<Path> files = Files.list(packageDir)) {
            for (final Path classFile : files.filter(p -> p.getFileName().toString().startsWith("Example02Chaincode"))
                    .sorted().toList()) {
                stream.putNextEntry(new JarEntry(location.relativize(classFile).toString().replace('\\', '/')));
                stream.write(Files.readAllBytes(classFile));
                stream.closeEntry();
            }
        }
        return jar;
    }

    /** A spec for the test chaincode packaged at {@code jar}. */
    static LaunchSpec example02(final String name, final String version, final Path jar) {
        return LaunchSpec.builder(name, version).packageJars(List.of(jar)).build();
    }
}
