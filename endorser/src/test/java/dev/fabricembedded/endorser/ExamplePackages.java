package dev.fabricembedded.endorser;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.peer.ChaincodeDeploymentSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The examples module's installable chaincode jars (classifiers {@code example02}, {@code misbehaving}, ...) and the
 * deployment specs that install and instantiate them.
 */
final class ExamplePackages {

    static final String EXAMPLE02 = "dev.fabricembedded.examples.Example02Chaincode";
    static final String MISBEHAVING = "dev.fabricembedded.examples.MisbehavingChaincode";

    private ExamplePackages() {
    }

    /**
     * The jar bytes of an example chaincode class. When the build put the examples' class directory on the class
     * path instead of the packaged jar, the same jar (manifest {@code Chaincode-Class}) is made from it.
     */
    static ByteString jar(final String chaincodeClass, final Path workDir) throws IOException {
        final Class<?> type;
        try {
            type = Class.forName(chaincodeClass);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(chaincodeClass + " is not on the test class path", e);
        }
        final Path location;
        try {
            location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (Files.isRegularFile(location)) {
            return ByteString.copyFrom(Files.readAllBytes(location));
        }
        final Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Chaincode-Class", type.getName());
        final Path jar = workDir.resolve(type.getSimpleName() + ".jar");
        Files.createDirectories(workDir);
        final Path packageDir = location.resolve(type.getPackageName().replace('.', '/'));
        try (OutputStream out = Files.newOutputStream(jar);
             JarOutputStream stream = new JarOutputStream(out, manifest);
             Stream<Path> files = Files.list(packageDir)) {
            for (final Path classFile : files.filter(p -> p.getFileName().toString().startsWith(type.getSimpleName()))
                    .sorted().toList()) {
                stream.putNextEntry(new JarEntry(location.relativize(classFile).toString().replace('\\', '/')));
                stream.write(Files.readAllBytes(classFile));
                stream.closeEntry();
            }
        }
        return ByteString.copyFrom(Files.readAllBytes(jar));
    }

    /** A JAVA deployment spec; {@code codePackage} empty for the one a client sends with {@code deploy}. */
    static ChaincodeDeploymentSpec spec(final String name, final String version, final ByteString codePackage,
            final String... initArgs) {
        final ChaincodeInput.Builder input = ChaincodeInput.newBuilder();
        for (final String arg : initArgs) {
            input.addArgs(ByteString.copyFrom(arg, StandardCharsets.UTF_8));
        }
        return ChaincodeDeploymentSpec.newBuilder()
                .setChaincodeSpec(ChaincodeSpec.newBuilder()
                        .setType(ChaincodeSpec.Type.JAVA)
                        .setChaincodeId(ChaincodeID.newBuilder().setName(name).setVersion(version)
                                .setPath("examples/" + name))
                        .setInput(input))
                .setCodePackage(codePackage)
                .build();
    }
}
