package dev.fabricembedded.endorser.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabricembedded.ipc.FrameChannel;
import dev.fabricembedded.shim.ChaincodeMain;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShimClasspathTest {

    private static Path codeSource(final Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void holdsTheShimAndItsRuntimeButNotThePeerNorTheTests() throws Exception {
        final List<Path> classpath = ShimClasspath.ofRunningJvm();

        assertThat(classpath).contains(codeSource(ChaincodeMain.class), codeSource(FrameChannel.class),
                codeSource(com.google.protobuf.Message.class), codeSource(org.slf4j.simple.SimpleLogger.class));
        assertThat(classpath).doesNotContain(codeSource(ShimClasspath.class), codeSource(ShimClasspathTest.class),
                codeSource(com.github.dockerjava.api.DockerClient.class));
        assertThat(classpath).doesNotHaveDuplicates().allMatch(Files::exists);
    }

    @Test
    void aMissingRequiredArtifactIsNamed() {
        final ClassLoader empty = new ClassLoader(null) {
        };
        assertThatThrownBy(() -> ShimClasspath.resolve(empty))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot build the chaincode class path: not found on this JVM's class path:"
                        + " fabric-embedded-shim-ipc (dev/fabricembedded/shim/ChaincodeMain.class)");
    }

    @Test
    void locatesJarsAndDirectories() throws Exception {
        assertThat(ShimClasspath.locationOf(new URL("jar:file:/repo/a%20b.jar!/x/Y.class"), "x/Y.class"))
                .isEqualTo(Path.of("/repo/a b.jar"));
        assertThat(ShimClasspath.locationOf(new URL("file:/build/classes/x/y/Z.class"), "x/y/Z.class"))
                .isEqualTo(Path.of("/build/classes"));
    }
}
