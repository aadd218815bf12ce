package dev.fabricembedded.peer.committer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Fabric 1.4's system chaincodes as the committer routes them (§6.3 steps 5-7). */
class SystemChaincodeProviderTest {

    private final SystemChaincodeProvider sysccs = SystemChaincodeProvider.fabric14();

    @Test
    void lsccAndQsccAreInvokableEverywhereCsccOnlyExternallyEsccAndVsccNowhere() {
        assertThat(sysccs.isSysCC("lscc")).isTrue();
        assertThat(sysccs.isSysCCAndNotInvokableExternal("lscc")).isFalse();
        assertThat(sysccs.isSysCCAndNotInvokableCC2CC("lscc")).isFalse();
        assertThat(sysccs.isSysCCAndNotInvokableCC2CC("qscc")).isFalse();
        assertThat(sysccs.isSysCCAndNotInvokableExternal("cscc")).isFalse();
        assertThat(sysccs.isSysCCAndNotInvokableCC2CC("cscc")).isTrue();
        for (String deprecated : new String[] {"escc", "vscc"}) {
            assertThat(sysccs.isSysCC(deprecated)).isTrue();
            assertThat(sysccs.isSysCCAndNotInvokableExternal(deprecated)).isTrue();
            assertThat(sysccs.isSysCCAndNotInvokableCC2CC(deprecated)).isTrue();
        }
        assertThat(sysccs.isSysCC("mycc")).isFalse();
        assertThat(sysccs.isSysCCAndNotInvokableExternal("mycc")).isFalse();
        assertThat(sysccs.isSysCCAndNotInvokableCC2CC("mycc")).isFalse();
    }
}
