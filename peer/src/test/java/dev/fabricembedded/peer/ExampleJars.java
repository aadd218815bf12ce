package dev.fabricembedded.peer;

import java.io.File;
import java.nio.file.Path;

/** The installable example chaincode jars (classifiers {@code example02}, {@code kv}) on the test class path. */
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
                + " path: build with mvn -pl peer -am verify (the examples jars come from its package phase)");
    }
}
