package dev.fabricembedded.scc.ccprovider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.fabricembedded.scc.fixtures.TestPackages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.peer.ChaincodeDeploymentSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileChaincodePackageStoreTest {

    @TempDir
    Path dir;

    @Test
    void installWritesTheRawBytesAtNameDotVersionWithMode0644() throws Exception {
        FileChaincodePackageStore store = new FileChaincodePackageStore(dir.resolve("chaincodes"));
        ByteString bytes = TestPackages.cds("mycc", "1.0").toByteString();

        ChaincodePackage pkg = store.install(bytes);

        Path file = dir.resolve("chaincodes").resolve("mycc.1.0");
        assertThat(Files.readAllBytes(file)).isEqualTo(bytes.toByteArray());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
        try (Stream<Path> files = Files.list(dir.resolve("chaincodes"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("mycc.1.0");
        }
        assertThat(store.get("mycc", "1.0")).get().extracting(ChaincodePackage::id).isEqualTo(pkg.id());
        assertThat(store.get("mycc", "2.0")).isEmpty();
    }

    @Test
    void installingTheSameNameAndVersionAgainFailsWithFabricsTextAndKeepsTheFirstFile() throws Exception {
        FileChaincodePackageStore store = new FileChaincodePackageStore(dir);
        ByteString first = TestPackages.cds("mycc", "1.0").toByteString();
        store.install(first);

        ByteString second = TestPackages.cds("mycc", "1.0", TestPackages.jar("other")).toByteString();
        assertThatThrownBy(() -> store.install(second))
                .isInstanceOf(InvalidChaincodeException.class)
                .hasMessage("error installing chaincode code mycc:1.0(chaincode " + dir.resolve("mycc.1.0")
                        + " exists)");
        assertThat(Files.readAllBytes(dir.resolve("mycc.1.0"))).isEqualTo(first.toByteArray());
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.count()).as("no temporary file left behind").isEqualTo(1);
        }
    }

    @Test
    void concurrentInstallsOfOnePackageHaveExactlyOneWinner() throws Exception {
        FileChaincodePackageStore store = new FileChaincodePackageStore(dir);
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> new Thread(r, "install-test"));
        try {
            List<Callable<Boolean>> installs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ByteString bytes = TestPackages.cds("race", "1.0", TestPackages.jar("v" + i)).toByteString();
                installs.add(() -> {
                    try {
                        store.install(bytes);
                        return true;
                    } catch (InvalidChaincodeException e) {
                        return false;
                    }
                });
            }
            int winners = 0;
            for (Future<Boolean> f : pool.invokeAll(installs)) {
                winners += f.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("race.1.0");
        }
    }

    @Test
    void installRejectsBadNamesVersionsSystemNamesTypesAndCodeWithoutWriting() throws Exception {
        FileChaincodePackageStore store = new FileChaincodePackageStore(dir);
        assertThatThrownBy(() -> store.install(TestPackages.cds("_a", "1.0").toByteString()))
                .hasMessage("invalid chaincode name '_a'. Names must start with an alphanumeric character and can "
                        + "only consist of alphanumerics, '_', and '-'");
        assertThatThrownBy(() -> store.install(TestPackages.cds("a", "1 0").toByteString()))
                .hasMessage("invalid chaincode version '1 0'. Versions must not be empty and can only consist of "
                        + "alphanumerics, '_',  '-', '+', and '.'");
        assertThatThrownBy(() -> store.install(TestPackages.cds("lscc", "1.0").toByteString()))
                .hasMessage("cannot install: lscc is the name of a system chaincode");
        ChaincodeDeploymentSpec golang = TestPackages.cds("gocc", "1.0").toBuilder()
                .setChaincodeSpec(TestPackages.cds("gocc", "1.0").getChaincodeSpec().toBuilder()
                        .setType(ChaincodeSpec.Type.GOLANG))
                .build();
        assertThatThrownBy(() -> store.install(golang.toByteString()))
                .hasMessageContaining("chaincode type GOLANG is not supported");
        assertThatThrownBy(() -> store.install(TestPackages.cds("empty", "1.0", ByteString.EMPTY).toByteString()))
                .hasMessageStartingWith("code package is empty");
        assertThatThrownBy(() -> store.install(
                TestPackages.cds("junk", "1.0", ByteString.copyFromUtf8("#!/bin/sh")).toByteString()))
                .hasMessageStartingWith("code package is neither a jar (zip) nor a tar.gz");
        assertThatThrownBy(() -> store.install(ByteString.copyFromUtf8("garbage")))
                .hasMessage("could not unmarshal chaincode package to CDS or SignedCDS");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.count()).isZero();
        }
    }

    @Test
    void getReadsAfreshSoATamperedFileFailsTheFingerprintCheck() throws Exception {
        FileChaincodePackageStore store = new FileChaincodePackageStore(dir);
        ChaincodePackage installed = store.install(TestPackages.cds("mycc", "1.0").toByteString());
        ChaincodeData onLedger = installed.chaincodeData().withInstance("escc", "vscc", ByteString.copyFromUtf8("p"));
        assertThat(store.get("mycc", "1.0").orElseThrow().mismatch(onLedger)).isEmpty();

        Files.write(dir.resolve("mycc.1.0"),
                TestPackages.cds("mycc", "1.0", TestPackages.jar("evil")).toByteArray());

        ChaincodePackage tampered = store.get("mycc", "1.0").orElseThrow();
        assertThatThrownBy(() -> tampered.validateAgainst(onLedger))
                .hasMessage("chaincode fingerprint mismatch: data mismatch");

        Files.write(dir.resolve("mycc.1.0"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> store.get("mycc", "1.0"))
                .hasMessage("could not unmarshal chaincode package to CDS or SignedCDS");
    }

    @Test
    void listSkipsMismatchedUnreadableAndTemporaryFilesInNameOrder() throws Exception {
        FileChaincodePackageStore store = new FileChaincodePackageStore(dir);
        store.install(TestPackages.cds("zeta", "1.0").toByteString());
        store.install(TestPackages.cds("alpha", "2.0").toByteString());
        store.install(TestPackages.cds("alpha", "1.0").toByteString());
        Files.write(dir.resolve("renamed.1.0"), TestPackages.cds("other", "1.0").toByteArray());
        Files.write(dir.resolve("broken.1.0"), new byte[] {9, 9, 9});
        Files.write(dir.resolve(".install-x.tmp"), TestPackages.cds("hidden", "1.0").toByteArray());
        Files.write(dir.resolve("nodot"), TestPackages.cds("nodot", "1.0").toByteArray());

        assertThat(store.list()).extracting(p -> p.name() + ":" + p.version())
                .containsExactly("alpha:1.0", "alpha:2.0", "zeta:1.0");
    }

    @Test
    void getRefusesNamesThatEscapeTheDirectory() {
        FileChaincodePackageStore store = new FileChaincodePackageStore(dir.resolve("cc"));
        assertThatThrownBy(() -> store.get("../x", "1")).hasMessageStartingWith("invalid chaincode file name");
    }
}
