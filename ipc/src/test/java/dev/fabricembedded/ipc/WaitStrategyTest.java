package dev.fabricembedded.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WaitStrategyTest {

    @Test
    void busySpinNeverParks() {
        WaitStrategy spin = WaitStrategy.busySpin();
        assertThat(spin.mayPark(0)).isFalse();
        assertThat(spin.mayPark(Integer.MAX_VALUE)).isFalse();
    }

    @Test
    void yieldingNeverParks() {
        assertThat(WaitStrategy.yielding().mayPark(0)).isFalse();
        assertThat(WaitStrategy.yielding().mayPark(Integer.MAX_VALUE)).isFalse();
        assertThatThrownBy(() -> new YieldingWaitStrategy(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void spinYieldParkParksOnlyAfterItsSpinAndYieldPhases() {
        WaitStrategy strategy = WaitStrategy.spinYieldPark(10, 5, Duration.ofNanos(1_000), Duration.ofNanos(4_000));
        assertThat(strategy.mayPark(0)).isFalse();
        assertThat(strategy.mayPark(14)).isFalse();
        assertThat(strategy.mayPark(15)).isTrue();
        assertThat(strategy.mayPark(Integer.MAX_VALUE)).isTrue();
        // a park far past the doubling range stays bounded by the maximum (returns)
        strategy.idle(Integer.MAX_VALUE);
        assertThat(WaitStrategy.spinYieldPark().mayPark(0)).isFalse();
    }

    @Test
    void spinYieldParkRejectsNonsense() {
        assertThatThrownBy(() -> new SpinYieldParkWaitStrategy(-1, 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spins, yields and blockAfter must be >= 0");
        assertThatThrownBy(() -> new SpinYieldParkWaitStrategy(0, 0, 10, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 < min <= max");
        assertThatThrownBy(() -> new SpinYieldParkWaitStrategy(0, 0, 0, 5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
