package dev.fabricembedded.shim.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LaunchOptionsTest {

    @Test
    void argumentsAreRead() {
        final LaunchOptions options = LaunchOptions.parse(new String[] {"--id", "cc:1.0", "--channel-dir", "/tmp/ch",
                "--class", "com.example.Cc", "--peer-pid", "42"}, Map.of());
        assertThat(options).isEqualTo(new LaunchOptions("cc:1.0", Path.of("/tmp/ch"), "com.example.Cc", null, 42L));
    }

    @Test
    void environmentFillsWhatTheArgumentsLeaveOutAndArgumentsWin() {
        final Map<String, String> env = Map.of("CORE_CHAINCODE_ID_NAME", "env:1", "FABRIC_EMBEDDED_CHANNEL_DIR", "/env",
                "FABRIC_EMBEDDED_CHAINCODE_CLASS", "env.Cc", "FABRIC_EMBEDDED_CHAINCODE_JAR", "/env.jar");
        final LaunchOptions options = LaunchOptions.parse(new String[] {"--id", "arg:2"}, env);
        assertThat(options).isEqualTo(new LaunchOptions("arg:2", Path.of("/env"), "env.Cc", Path.of("/env.jar"), null));
    }

    @Test
    void aJarAloneIsEnough() {
        final LaunchOptions options = LaunchOptions.parse(
                new String[] {"--id", "cc:1", "--channel-dir", "d", "--jar", "cc.jar"}, Map.of());
        assertThat(options.chaincodeClass()).isNull();
        assertThat(options.packageJar()).contains(Path.of("cc.jar"));
    }

    @Test
    void missingOrMalformedOptionsAreNamed() {
        assertThatThrownBy(() -> LaunchOptions.parse(new String[0], Map.of()))
                .hasMessageContaining("no chaincode id: give --id name:version or set CORE_CHAINCODE_ID_NAME");
        assertThatThrownBy(() -> LaunchOptions.parse(new String[] {"--id", "noversion"}, Map.of()))
                .hasMessageContaining("chaincode id must be name:version, got 'noversion'");
        assertThatThrownBy(() -> LaunchOptions.parse(new String[] {"--id", "cc:1"}, Map.of()))
                .hasMessageContaining("no channel directory");
        assertThatThrownBy(() -> LaunchOptions.parse(new String[] {"--id", "cc:1", "--channel-dir", "d"}, Map.of()))
                .hasMessageContaining("no chaincode class");
        assertThatThrownBy(() -> LaunchOptions.parse(new String[] {"--id", "cc:1", "--channel-dir", "d", "--class",
                "C", "--peer-pid", "x"}, Map.of())).hasMessageContaining("peer pid must be a number, got 'x'");
        assertThatThrownBy(() -> LaunchOptions.parse(new String[] {"--verbose", "yes"}, Map.of()))
                .hasMessage("unknown option --verbose");
        assertThatThrownBy(() -> LaunchOptions.parse(new String[] {"--id"}, Map.of()))
                .hasMessage("option --id needs a value");
    }
}
