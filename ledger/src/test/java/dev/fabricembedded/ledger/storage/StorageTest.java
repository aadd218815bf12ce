package dev.fabricembedded.ledger.storage;

import dev.fabricembedded.ledger.LedgerException;
import dev.fabricembedded.ledger.testing.Crashes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StorageTest {
    @TempDir
    Path dir;

    private static byte[] key(final int i) {
        return ("key-" + i).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aGenerationalMapGrowsPastItsFirstCapacityAndNewerWritesShadowOlderOnes() {
        final MapSizing sizing = new MapSizing(100, 8, 8, 1024, 2.0);
        try (GenerationalMap map = GenerationalMap.open(dir, "test", sizing, false)) {
            for (int i = 0; i < 1000; i++) {
                map.put(key(i), new byte[]{(byte) i});
            }
            map.put(key(5), new byte[]{42});
            map.putMeta(new byte[]{0, 'S'}, new byte[]{7});
            map.putIfAbsent(key(7), new byte[]{99});
            map.putIfAbsent(key(2000), new byte[]{100});

            assertThat(map.generationCount()).isGreaterThanOrEqualTo(3);
            assertThat(map.get(key(999))).containsExactly((byte) 999);
            assertThat(map.get(key(5))).containsExactly(42);
            assertThat(map.get(key(5000))).isNull();
            assertThat(map.get(key(7))).as("kept from an older generation").containsExactly(7);
            assertThat(map.get(key(2000))).containsExactly(100);
            assertThatThrownBy(() -> map.putMeta(key(1), new byte[1])).isInstanceOf(IllegalArgumentException.class);
        }
        try (GenerationalMap map = GenerationalMap.open(dir, "test", sizing, true)) {
            assertThat(map.get(key(0))).containsExactly(0);
            assertThat(map.get(key(5))).containsExactly(42);
            assertThat(map.getMeta(new byte[]{0, 'S'})).containsExactly(7);
        }
        GenerationalMap.delete(dir, "test");
        try (GenerationalMap map = GenerationalMap.open(dir, "test", sizing, false)) {
            assertThat(map.get(key(0))).isNull();
            assertThat(map.generationCount()).isEqualTo(1);
        }
    }

    @Test
    void aPersistedMapKeepsTheSizingItWasCreatedWithAndHoldsItsLargestEntry() {
        final MapSizing created = new MapSizing(50, 16, 16, 200_000, 1.5);
        final Path file = dir.resolve("m.cm");
        try (PersistedMap map = PersistedMap.open(file, created, "m", false)) {
            map.map().put(key(1), new byte[200_000 - 16]);
            assertThat(map.sizing()).isEqualTo(created);
        }
        try (PersistedMap map = PersistedMap.open(file, created.withEntries(999), "m", false)) {
            assertThat(map.sizing()).isEqualTo(created);
            assertThat(map.map().get(key(1))).hasSize(200_000 - 16);
        }
        assertThat(dir.resolve("m.cm.creating")).doesNotExist();
    }

    @Test
    void sizingIsValidated() {
        assertThatThrownBy(() -> new MapSizing(0, 8, 8, 100, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("entries must be at least 1");
        assertThatThrownBy(() -> new MapSizing(10, 8, 8, 10, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max entry size 10 is smaller");
        assertThatThrownBy(() -> new MapSizing(10, 8, 8, 100, 0.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxBloatFactor");
    }

    @Test
    void theShutdownMarkerTellsACleanCloseFromAProcessCrashAndAMachineRestart() throws Exception {
        ShutdownMarker marker = ShutdownMarker.arm(dir);
        assertThat(marker.previous()).isEqualTo(ShutdownMarker.PreviousShutdown.CLEAN);
        marker.disarm();
        assertThat(ShutdownMarker.arm(dir).previous()).isEqualTo(ShutdownMarker.PreviousShutdown.CLEAN);
        // armed but never disarmed: the owner died
        marker = ShutdownMarker.arm(dir);
        assertThat(marker.previous()).isEqualTo(ShutdownMarker.PreviousShutdown.PROCESS_CRASH);
        Crashes.leaveDirty(dir, true);
        if (!ShutdownMarker.currentBootId().isEmpty()) {
            assertThat(ShutdownMarker.arm(dir).previous()).isEqualTo(ShutdownMarker.PreviousShutdown.SYSTEM_CRASH);
        }
        Files.writeString(dir.resolve(ShutdownMarker.FILE_NAME), "garbage");
        assertThat(ShutdownMarker.arm(dir).previous()).isEqualTo(ShutdownMarker.PreviousShutdown.PROCESS_CRASH);
    }

    @Test
    void aDirectoryLockIsExclusiveUntilClosed() throws Exception {
        try (DirectoryLock lock = DirectoryLock.acquire(dir.resolve("locked"))) {
            assertThat(lock.directory()).isEqualTo(dir.resolve("locked"));
            assertThatThrownBy(() -> DirectoryLock.acquire(dir.resolve("locked")))
                    .isInstanceOf(dev.fabricembedded.ledger.LedgerInUseException.class);
        }
        DirectoryLock.acquire(dir.resolve("locked")).close();
        final Path file = Files.writeString(dir.resolve("plain"), "x");
        assertThatThrownBy(() -> DirectoryLock.acquire(file.resolve("sub"))).isInstanceOf(LedgerException.class)
                .hasMessageContaining("cannot create or write ledger directory");
    }
}
