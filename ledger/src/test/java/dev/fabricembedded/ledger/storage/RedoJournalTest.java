package dev.fabricembedded.ledger.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedoJournalTest {
    @TempDir
    Path dir;

    @Test
    void theLastRecordedBatchIsReadBackInOrderAfterReopening() {
        final Path file = dir.resolve("j");
        try (RedoJournal journal = RedoJournal.open(file)) {
            journal.begin();
            journal.put(bytes("a"), bytes("1"));
            journal.record(6);
            journal.begin();
            journal.remove(bytes("gone"));
            journal.put(bytes("b"), bytes("2"));
            journal.put(bytes("empty"), new byte[0]);
            journal.record(7);
        }
        try (RedoJournal journal = RedoJournal.open(file)) {
            final RedoJournal.Batch batch = journal.last().orElseThrow();
            assertThat(batch.sequence()).isEqualTo(7);
            final List<String> entries = new ArrayList<>();
            batch.forEach((key, value) -> entries.add(text(key) + "=" + (value == null ? "<removed>" : text(value))));
            assertThat(entries).containsExactly("gone=<removed>", "b=2", "empty=");
        }
    }

    @Test
    void aNewOrForeignFileHoldsNoBatch() throws IOException {
        try (RedoJournal journal = RedoJournal.open(dir.resolve("new"))) {
            assertThat(journal.last()).isEmpty();
        }
        final Path foreign = dir.resolve("foreign");
        Files.write(foreign, new byte[100]);
        try (RedoJournal journal = RedoJournal.open(foreign)) {
            assertThat(journal.last()).isEmpty();
        }
    }

    @Test
    void aBatchTornByACrashIsIgnored() throws IOException {
        final Path file = dir.resolve("j");
        try (RedoJournal journal = RedoJournal.open(file)) {
            journal.begin();
            journal.put(bytes("a"), new byte[1000]);
            journal.record(1);
        }
        // a later, larger batch whose write stopped part-way: new header, payload cut short
        final Path longer = dir.resolve("longer");
        try (RedoJournal journal = RedoJournal.open(longer)) {
            journal.begin();
            journal.put(bytes("a"), new byte[3000]);
            journal.record(2);
        }
        final byte[] torn = Files.readAllBytes(longer);
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            out.write(torn, 0, 2000);
        }
        try (RedoJournal journal = RedoJournal.open(file)) {
            assertThat(journal.last()).isEmpty();
        }
        // one flipped payload byte
        final byte[] flipped = Files.readAllBytes(longer);
        flipped[flipped.length - 1] ^= 1;
        Files.write(file, flipped);
        try (RedoJournal journal = RedoJournal.open(file)) {
            assertThat(journal.last()).isEmpty();
        }
    }

    @Test
    void aBatchLargerThanTheInitialBufferIsRecordedWhole() {
        final Random random = new Random(5);
        final List<byte[]> values = new ArrayList<>();
        try (RedoJournal journal = RedoJournal.open(dir.resolve("j"))) {
            journal.begin();
            for (int i = 0; i < 300; i++) {
                final byte[] value = new byte[random.nextInt(2000)];
                random.nextBytes(value);
                values.add(value);
                journal.put(bytes("k" + i), value);
            }
            journal.record(3);
            final RedoJournal.Batch batch = journal.last().orElseThrow();
            assertThat(batch.keys()).hasSize(300);
            for (int i = 0; i < 300; i++) {
                assertThat(batch.keys().get(i)).isEqualTo(bytes("k" + i));
                assertThat(batch.values().get(i)).isEqualTo(values.get(i));
            }
        }
    }

    @Test
    void aSmallBatchAfterAHugeOneIsRecordedWholeInTheBufferGivenBack() {
        try (RedoJournal journal = RedoJournal.open(dir.resolve("j"))) {
            journal.begin();
            journal.put(bytes("huge"), new byte[9 << 20]);
            journal.record(1);
            assertThat(journal.last().orElseThrow().values().get(0)).hasSize(9 << 20);
            journal.begin();
            journal.put(bytes("small"), bytes("s"));
            journal.record(2);
            final RedoJournal.Batch batch = journal.last().orElseThrow();
            assertThat(batch.sequence()).isEqualTo(2);
            assertThat(batch.keys()).containsExactly(bytes("small"));
            assertThat(batch.values()).containsExactly(bytes("s"));
        }
    }

    @Test
    void entriesOutsideABatchAreRefused() {
        try (RedoJournal journal = RedoJournal.open(dir.resolve("j"))) {
            assertThatThrownBy(() -> journal.put(bytes("a"), bytes("1"))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("begin() was not called");
            journal.begin();
            journal.record(1);
            assertThatThrownBy(() -> journal.record(2)).isInstanceOf(IllegalStateException.class);
            assertThat(journal.last().orElseThrow().keys()).isEmpty();
        }
    }

    @Test
    void aBatchIsInterruptedWhenItFollowsTheSavepointOrTheSavepointIsGone() {
        try (RedoJournal journal = RedoJournal.open(dir.resolve("j"))) {
            journal.begin();
            journal.put(bytes("a"), bytes("1"));
            journal.record(8);
            assertThat(journal.interrupted(savepoint(7))).map(RedoJournal.Batch::sequence).contains(8L);
            assertThat(journal.interrupted(null)).map(RedoJournal.Batch::sequence).contains(8L);
            assertThat(journal.interrupted(savepoint(8))).isEmpty();
            assertThat(journal.interrupted(savepoint(5))).isEmpty();
        }
        try (RedoJournal journal = RedoJournal.open(dir.resolve("fresh"))) {
            assertThat(journal.interrupted(null)).isEmpty();
        }
    }

    @Test
    void deleteRemovesTheFile() {
        final Path file = dir.resolve("j");
        RedoJournal.open(file).close();
        assertThat(file).exists();
        RedoJournal.delete(file);
        assertThat(file).doesNotExist();
    }

    private static byte[] savepoint(final long block) {
        return ByteBuffer.allocate(8).putLong(block).array();
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(final byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
