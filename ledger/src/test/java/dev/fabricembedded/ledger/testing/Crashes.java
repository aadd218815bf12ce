package dev.fabricembedded.ledger.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes a cleanly closed directory look like one whose owner crashed, by writing the dirty-shutdown marker the
 * owner writes at open (with this machine's boot id, or another one to fake a machine restart). The process-level
 * crash test kills real processes; these in-process tests reach the recovery paths deterministically.
 */
public final class Crashes {
    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    private Crashes() {
    }

    public static void leaveDirty(final Path directory, final boolean machineRestarted) throws IOException {
        final String boot = machineRestarted ? "00000000-0000-0000-0000-000000000000"
                : Files.exists(BOOT_ID) ? Files.readString(BOOT_ID).trim() : "";
        Files.writeString(directory.resolve("DIRTY"), "boot=" + boot + "\npid=1\n");
    }
}
