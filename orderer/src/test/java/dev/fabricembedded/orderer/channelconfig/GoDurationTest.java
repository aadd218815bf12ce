package dev.fabricembedded.orderer.channelconfig;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GoDurationTest {

    @ParameterizedTest
    @CsvSource({
            "2s, 2000000000",
            "200ms, 200000000",
            "1.5s, 1500000000",
            "1m30s, 90000000000",
            "1h, 3600000000000",
            "1h2m3.004s, 3723004000000",
            "10us, 10000",
            "10\u00b5s, 10000",
            "7ns, 7",
            ".5s, 500000000",
            "1.s, 1000000000",
            "0, 0",
            "-2s, -2000000000",
            "+3ms, 3000000"
    })
    void parsesGoDurations(String text, long nanos) {
        assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest
    @CsvSource({
            "2000000000, 2s",
            "100000000, 100ms",
            "1500000000, 1.5s",
            "90000000000, 1m30s",
            "3600000000000, 1h0m0s",
            "120000000000, 2m0s",
            "1500, 1.5\u00b5s",
            "999, 999ns",
            "0, 0s",
            "-2500000, -2.5ms"
    })
    void formatsLikeGoDurationString(long nanos, String text) {
        assertThat(GoDuration.format(Duration.ofNanos(nanos))).isEqualTo(text);
    }

    @Test
    void formatThenParseIsTheIdentity() {
        for (long nanos : new long[] {1, 1_234, 1_234_567, 1_234_567_891L, 98_765_432_101_234L}) {
            Duration d = Duration.ofNanos(nanos);
            assertThat(GoDuration.parse(GoDuration.format(d))).isEqualTo(d);
        }
    }

    @Test
    void rejectsWhatGoRejectsWithGoMessages() {
        assertThatThrownBy(() -> GoDuration.parse("")).hasMessage("time: invalid duration \"\"");
        assertThatThrownBy(() -> GoDuration.parse("abc")).hasMessage("time: invalid duration \"abc\"");
        assertThatThrownBy(() -> GoDuration.parse("10")).hasMessage("time: missing unit in duration \"10\"");
        assertThatThrownBy(() -> GoDuration.parse("3d")).hasMessage("time: unknown unit \"d\" in duration \"3d\"");
        assertThatThrownBy(() -> GoDuration.parse("-")).hasMessage("time: invalid duration \"-\"");
        assertThatThrownBy(() -> GoDuration.parse("99999999999h")).hasMessage(
                "time: invalid duration \"99999999999h\"");
    }
}
