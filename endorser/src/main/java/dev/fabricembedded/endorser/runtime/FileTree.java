package dev.fabricembedded.endorser.runtime;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Deletes a directory tree the chaincode runtimes wrote (channel directories, code packages, image build contexts):
 * the JDK has no recursive delete, and every runtime cleans up after a launch ends or a crashed run left files.
 */
public final class FileTree {

    private FileTree() {
    }

    /**
     * Deletes {@code root} and everything below it, files before their directories; nothing if it does not exist.
     * Symbolic links are deleted, never followed.
     *
     * @throws IOException the first entry that could not be deleted (what was deleted before it stays deleted)
     */
    public static void delete(final Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(final Path dir, final IOException exc) throws IOException {
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
