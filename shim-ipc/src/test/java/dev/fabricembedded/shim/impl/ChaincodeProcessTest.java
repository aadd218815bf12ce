package dev.fabricembedded.shim.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up of a chaincode process, in this JVM: options, class loading, and the exit statuses of failures. */
class ChaincodeProcessTest {

    @TempDir
    Path dir;

    private static String[] args(final String... args) {
        return args;
    }

    @Test
    void badOptionsExitWithUsageStatus() {
        assertThat(ChaincodeProcess.run(args("--id", "cc"), Map.of())).isEqualTo(ChaincodeProcess.EXIT_USAGE);
    }

    @Test
    void anUnknownOrWrongClassExitsWithUsageStatus() {
        assertThat(ChaincodeProcess.run(args("--id", "cc:1", "--channel-dir", dir.toString(), "--class",
                "com.example.Missing"), Map.of())).isEqualTo(ChaincodeProcess.EXIT_USAGE);
        assertThat(ChaincodeProcess.run(args("--id", "cc:1", "--channel-dir", dir.toString(), "--class",
                NotAChaincode.class.getName()), Map.of())).isEqualTo(ChaincodeProcess.EXIT_USAGE);
    }

    @Test
    void noChannelAtTheDirectoryExitsWithNoChannelStatus() {
        assertThat(ChaincodeProcess.run(args("--id", "cc:1", "--channel-dir", dir.resolve("none").toString(),
                "--class", EchoChaincode.class.getName()), Map.of())).isEqualTo(ChaincodeProcess.EXIT_NO_CHANNEL);
    }

    @Test
    void loadingExplainsWhatIsWrongWithTheClass() {
        assertThatThrownBy(() -> ChaincodeProcess.load(options("com.example.Missing", null)))
                .hasMessage("chaincode class com.example.Missing not found");
        assertThatThrownBy(() -> ChaincodeProcess.load(options(NotAChaincode.class.getName(), null)))
                .hasMessage("class dev.fabricembedded.shim.impl.NotAChaincode does not implement"
                        + " dev.fabricembedded.shim.Chaincode");
        assertThatThrownBy(() -> ChaincodeProcess.load(options(FunctionChaincode.class.getName(), null)))
                .hasMessageContaining("has no public no-argument constructor");
    }

    @Test
    void theChaincodeClassMayComeFromThePackageJarsManifest() throws Exception {
        final Path jar = jar("example.jar", EchoChaincode.class.getName());
        try (ChaincodeProcess.LoadedChaincode loaded = ChaincodeProcess.load(options(null, jar))) {
            assertThat(loaded.chaincode()).isInstanceOf(EchoChaincode.class);
            assertThat(loaded.jarLoader()).isNotNull();
        }
    }

    @Test
    void aPackageJarWithoutTheAttributeOrMissingIsRejected() throws Exception {
        final Path jar = jar("plain.jar", null);
        assertThatThrownBy(() -> ChaincodeProcess.load(options(null, jar)))
                .hasMessageContaining("has no Chaincode-Class manifest attribute and no --class was given");
        assertThatThrownBy(() -> ChaincodeProcess.load(options(null, dir.resolve("missing.jar"))))
                .hasMessageContaining("missing.jar does not exist");
    }

    private LaunchOptions options(final String className, final Path jar) {
        return new LaunchOptions("cc:1.0", dir, className, jar, null);
    }

    private Path jar(final String name, final String chaincodeClass) throws Exception {
        final Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (chaincodeClass != null) {
            manifest.getMainAttributes().putValue(ChaincodeProcess.CHAINCODE_CLASS_ATTRIBUTE, chaincodeClass);
        }
        final Path jar = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar)) {
            new JarOutputStream(out, manifest).finish();
        }
        return jar;
    }
}
