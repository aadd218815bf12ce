package dev.fabricembedded.scc.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.fabricembedded.msp.MspManager;
import dev.fabricembedded.msp.policy.CompiledSignaturePolicy;
import dev.fabricembedded.msp.policy.PolicyDsl;
import dev.fabricembedded.scc.fixtures.TestNetwork.Orgs;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompiledPoliciesTest {

    private final CompiledPolicies policies = new CompiledPolicies(MspManager.of(Orgs.org1().msp(),
            Orgs.org2().msp()));

    /** {@code OutOf(1, 'Org1MSP.member' x copies)}: a distinct policy per number of copies. */
    private static ByteString policy(int copies) {
        return PolicyDsl.parse("OutOf(1, " + String.join(", ", Collections.nCopies(copies, "'Org1MSP.member'"))
                + ")").toByteString();
    }

    @Test
    void beyondItsBoundAPolicyIsCompiledPerCallAndStillEvaluatesTheSame() {
        for (int copies = 1; copies <= CompiledPolicies.MAX_ENTRIES; copies++) {
            CompiledSignaturePolicy compiled = policies.get(policy(copies));
            assertThat(policies.get(policy(copies))).isSameAs(compiled);
        }
        assertThat(policies.size()).isEqualTo(CompiledPolicies.MAX_ENTRIES);

        ByteString oneMore = policy(CompiledPolicies.MAX_ENTRIES + 1);
        CompiledSignaturePolicy first = policies.get(oneMore);
        CompiledSignaturePolicy second = policies.get(oneMore);

        assertThat(second).isNotSameAs(first);
        assertThat(policies.size()).isEqualTo(CompiledPolicies.MAX_ENTRIES);
        assertThat(second.evaluate(List.of()).message()).isEqualTo(first.evaluate(List.of()).message());
        assertThat(first.evaluate(List.of()).isSatisfied()).isFalse();
    }
}
