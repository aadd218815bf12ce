package dev.fabricembedded.endorser.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LaunchSpecTest {

    @Test
    void holdsWhatToStart() {
        final LaunchSpec spec = LaunchSpec.builder("my_cc-2", "1.0+build.7")
                .packageJar(Path.of("a.jar"))
                .packageJars(List.of(Path.of("/lib/../lib/b.jar")))
                .chaincodeClass(" com.example.Cc ")
                .env("GREETING", "hello")
                .build();
        assertThat(spec.chaincodeId()).isEqualTo("my_cc-2:1.0+build.7");
        assertThat(spec.packageJars()).containsExactly(Path.of("a.jar").toAbsolutePath(), Path.of("/lib/b.jar"));
        assertThat(spec.chaincodeClass()).contains("com.example.Cc");
        assertThat(spec.env()).containsExactly(java.util.Map.entry("GREETING", "hello"));
        assertThat(LaunchSpec.builder("lscc", "1.4.0").build().packageJars()).isEmpty();
        assertThat(LaunchSpec.builder("lscc", "1.4.0").build().chaincodeClass()).isEmpty();
    }

    @Test
    void refusesFabricInvalidNamesAndVersionsWithFabricMessages() {
        assertThatThrownBy(() -> LaunchSpec.builder("-cc", "1.0"))
                .hasMessage("invalid chaincode name '-cc'. Names must start with an alphanumeric character and can"
                        + " only consist of alphanumerics, '_', and '-'");
        assertThatThrownBy(() -> LaunchSpec.builder("my cc", "1.0")).hasMessageStartingWith("invalid chaincode name");
        assertThatThrownBy(() -> LaunchSpec.builder("cc", "")).hasMessage("invalid chaincode version ''. Versions"
                + " must not be empty and can only consist of alphanumerics, '_',  '-', '+', and '.'");
        assertThatThrownBy(() -> LaunchSpec.builder("cc", "1:0")).hasMessageStartingWith("invalid chaincode version");
        assertThatThrownBy(() -> LaunchSpec.builder("cc", "1.0").env("NOT-A-NAME", "x"))
                .hasMessage("invalid environment variable name 'NOT-A-NAME'");
        assertThatThrownBy(() -> LaunchSpec.builder("cc", "1.0").chaincodeClass(" "))
                .hasMessage("chaincode class must not be blank");
    }
}
