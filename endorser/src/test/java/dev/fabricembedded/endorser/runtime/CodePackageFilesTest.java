package dev.fabricembedded.endorser.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabricembedded.shim.testing.LeakCheck;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodePackageFilesTest {

    @TempDir
    Path base;

    /** A tar.gz with the given entries: name, then content ({@code null} content: a symbolic link). */
    private static byte[] tarGz(final Object... entries) throws IOException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            for (int i = 0; i < entries.length; i += 2) {
                final String name = (String) entries[i];
                final byte[] content = (byte[]) entries[i + 1];
                final TarArchiveEntry entry;
                if (content == null) {
                    entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
                    entry.setLinkName("/etc/passwd");
                } else {
                    entry = new TarArchiveEntry(name);
                    entry.setSize(content.length);
                }
                tar.putArchiveEntry(entry);
                if (content != null) {
                    tar.write(content);
                }
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void aSingleJarIsWrittenAsIs() throws Exception {
        final byte[] jar = TestPackages.example02Bytes(base.resolve("build"));
        try (CodePackageFiles files = CodePackageFiles.materialize(jar, base.resolve("pkg"))) {
            assertThat(files.jars()).containsExactly(base.resolve("pkg").resolve("chaincode.jar"));
            assertThat(Files.readAllBytes(files.jars().get(0))).isEqualTo(jar);
            assertThat(files.directory()).isEqualTo(base.resolve("pkg"));
        }
        assertThat(base.resolve("pkg")).doesNotExist();
    }

    @Test
    void aTarGzOfJarsIsFlattenedInOrderAndOtherFilesAreIgnored() throws Exception {
        final byte[] jar = TestPackages.example02Bytes(base.resolve("build"));
        final byte[] pkg = tarGz("META-INF/metadata.json", "{}".getBytes(StandardCharsets.UTF_8),
                "lib/z-dependency.jar", jar, "../../escape/a-chaincode.jar", jar);
        try (CodePackageFiles files = CodePackageFiles.materialize(pkg, base.resolve("pkg"))) {
            assertThat(files.jars()).containsExactly(base.resolve("pkg/z-dependency.jar"),
                    base.resolve("pkg/a-chaincode.jar"));
            assertThat(LeakCheck.entries(base.resolve("pkg"))).hasSize(2);
        }
        assertThat(base.resolve("escape")).doesNotExist();
    }

    @Test
    void malformedPackagesAreRefusedAndLeaveNothingBehind() throws Exception {
        final byte[] jar = TestPackages.example02Bytes(base.resolve("build"));
        final Path dir = base.resolve("pkg");
        assertThatThrownBy(() -> CodePackageFiles.materialize(new byte[0], dir))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("code package is empty");
        assertThatThrownBy(() -> CodePackageFiles.materialize("hello".getBytes(StandardCharsets.UTF_8), dir))
                .hasMessage("code package is neither a jar nor a tar.gz of jars");
        assertThatThrownBy(() -> CodePackageFiles.materialize(new byte[] {'P', 'K', 3, 4, 0, 0}, dir))
                .hasMessageStartingWith("code package is");
        assertThatThrownBy(() -> CodePackageFiles.materialize(tarGz("README", new byte[] {1}), dir))
                .hasMessage("code package tar.gz holds no jar");
        assertThatThrownBy(() -> CodePackageFiles.materialize(tarGz("a.jar", jar, "lib/a.jar", jar), dir))
                .hasMessage("code package holds two jars named a.jar");
        assertThatThrownBy(() -> CodePackageFiles.materialize(tarGz("a.jar", jar, "evil.jar", null), dir))
                .hasMessage("code package entry evil.jar is not a regular file");
        assertThatThrownBy(() -> CodePackageFiles.materialize(tarGz("a.jar", jar, "b.jar", "text".getBytes()), dir))
                .hasMessage("code package entry b.jar is not a jar");
        final byte[] truncated = tarGz("a.jar", jar);
        assertThatThrownBy(() -> CodePackageFiles.materialize(java.util.Arrays.copyOf(truncated, truncated.length / 2),
                dir)).hasMessageStartingWith("code package is not a valid tar.gz");
        assertThat(dir).doesNotExist();

        Files.createDirectories(dir);
        Files.writeString(dir.resolve("other"), "x");
        assertThatThrownBy(() -> CodePackageFiles.materialize(jar, dir))
                .hasMessage("code package directory " + dir + " is not empty");
        assertThat(LeakCheck.entries(dir)).containsExactly(dir.resolve("other"));
    }
}
