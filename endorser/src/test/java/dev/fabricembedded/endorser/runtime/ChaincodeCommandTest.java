package dev.fabricembedded.endorser.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabricembedded.shim.ChaincodeMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChaincodeCommandTest {

    @TempDir
    Path base;

    private final ChaincodeCommand command = new ChaincodeCommand("/jdk/bin/java", List.of("-Xmx64m"),
            List.of("/shim.jar", "/ipc.jar"));

    @Test
    void aSingleJarIsTheJarArgumentAndTheShimComesFirstOnTheClassPath() throws Exception {
        final Path jar = TestPackages.example02Jar(base);
        final LaunchSpec spec = LaunchSpec.builder("mycc", "1.0").packageJar(jar).build();

        final List<String> line = command.forChaincode(spec, List.of("/in/cc.jar"), "/channels/mycc", 42L);

        assertThat(line.get(0)).isEqualTo("/jdk/bin/java");
        assertThat(line.subList(1, 1 + ChronicleJvmFlags.FLAGS.size())).isEqualTo(ChronicleJvmFlags.FLAGS);
        assertThat(line.subList(1 + ChronicleJvmFlags.FLAGS.size(), line.size())).containsExactly("-Xmx64m",
                "-cp", "/shim.jar:/ipc.jar:/in/cc.jar", ChaincodeMain.class.getName(), "--id", "mycc:1.0",
                "--channel-dir", "/channels/mycc", "--jar", "/in/cc.jar", "--peer-pid", "42");
    }

    @Test
    void amongSeveralJarsTheOneWhoseManifestNamesTheClassIsTheJarArgument() throws Exception {
        final Path dependency = TestPackages.jar(base.resolve("dependency.jar"), null);
        final Path chaincode = TestPackages.example02Jar(base);
        final LaunchSpec spec = LaunchSpec.builder("mycc", "1.0").packageJars(List.of(dependency, chaincode)).build();

        final List<String> line = command.forChaincode(spec, List.of("/d.jar", "/c.jar"), "/ch", null);

        assertThat(line).containsSubsequence("-cp", "/shim.jar:/ipc.jar:/d.jar:/c.jar").containsSubsequence("--jar",
                "/c.jar").doesNotContain("--peer-pid", "--class");
    }

    @Test
    void aGivenClassIsPassedAndWithoutAnyManifestOnlyTheClassNamesTheChaincode() throws Exception {
        final Path first = TestPackages.jar(base.resolve("a.jar"), null);
        final Path second = Files.write(base.resolve("b.jar"), new byte[] {1, 2, 3});
        final LaunchSpec named = LaunchSpec.builder("mycc", "1.0").packageJars(List.of(first, second))
                .chaincodeClass("com.example.Cc").build();
        assertThat(command.forChaincode(named, List.of("/a.jar", "/b.jar"), "/ch", null))
                .containsSubsequence("--class", "com.example.Cc").doesNotContain("--jar");

        final LaunchSpec unnamed = LaunchSpec.builder("mycc", "1.0").packageJars(List.of(first, second)).build();
        assertThatThrownBy(() -> command.forChaincode(unnamed, List.of("/a.jar", "/b.jar"), "/ch", null))
                .isInstanceOf(ChaincodeStartException.class)
                .hasMessage("cannot start chaincode mycc:1.0: none of its package jars " + List.of(first, second)
                        + " has a Chaincode-Class manifest attribute and no chaincode class was given");
    }

    @Test
    void heapSizesAreChecked() {
        assertThat(ChaincodeCommand.checkHeapSize("512m")).isEqualTo("512m");
        assertThatThrownBy(() -> ProcessRuntime.builder().maxHeap("lots"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("max heap must look like 256m or 1g, got 'lots'");
    }
}
