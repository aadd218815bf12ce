package dev.fabricembedded.endorser.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreeTest {

    @TempDir
    Path base;

    @Test
    void deletesNestedFilesAndDirectoriesButNotWhatALinkPointsTo() throws IOException {
        Path outside = Files.writeString(base.resolve("outside.txt"), "keep me");
        Path root = base.resolve("root");
        Files.createDirectories(root.resolve("a/b/c"));
        Files.writeString(root.resolve("a/b/c/leaf.jar"), "x");
        Files.writeString(root.resolve("a/top.txt"), "y");
        Files.createSymbolicLink(root.resolve("a/link"), outside);
        Files.createSymbolicLink(root.resolve("dirlink"), base);

        FileTree.delete(root);

        assertThat(root).doesNotExist();
        assertThat(outside).hasContent("keep me");
        assertThat(base).isDirectory();
    }

    @Test
    void aMissingRootIsNothingToDelete() throws IOException {
        Path missing = base.resolve("missing");
        FileTree.delete(missing);
        assertThat(missing).doesNotExist();
        assertThat(base).isDirectory();
    }
}
