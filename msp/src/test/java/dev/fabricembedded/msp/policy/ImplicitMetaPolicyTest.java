package dev.fabricembedded.msp.policy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ImplicitMetaPolicyTest {

    private static final Policy YES = signatureSet -> PolicyResult.satisfied();
    private static final Policy NO = signatureSet -> PolicyResult.signatureSetNotSatisfied();

    private static PolicyResult evaluate(ImplicitMetaPolicy.Rule rule, Policy... subPolicies) {
        return new ImplicitMetaPolicy("Writers", rule, List.of(subPolicies)).evaluate(List.of());
    }

    @Test
    void anyNeedsOne() {
        assertThat(evaluate(ImplicitMetaPolicy.Rule.ANY, NO, YES, NO).isSatisfied()).isTrue();
        PolicyResult none = evaluate(ImplicitMetaPolicy.Rule.ANY, NO, NO);
        assertThat(none.code()).isEqualTo(PolicyResult.Code.IMPLICIT_META_NOT_SATISFIED);
        assertThat(none.message()).isEqualTo("implicit policy evaluation failed - 0 sub-policies were satisfied, but "
                + "this policy requires 1 of the 'Writers' sub-policies to be satisfied");
    }

    @Test
    void allNeedsEvery() {
        assertThat(evaluate(ImplicitMetaPolicy.Rule.ALL, YES, YES).isSatisfied()).isTrue();
        assertThat(evaluate(ImplicitMetaPolicy.Rule.ALL, YES, NO, YES).message())
                .isEqualTo("implicit policy evaluation failed - 2 sub-policies were satisfied, but this policy "
                        + "requires 3 of the 'Writers' sub-policies to be satisfied");
    }

    @Test
    void majorityNeedsMoreThanHalf() {
        assertThat(new ImplicitMetaPolicy("Admins", ImplicitMetaPolicy.Rule.MAJORITY, List.of(YES, YES, YES, YES))
                .threshold()).isEqualTo(3);
        assertThat(evaluate(ImplicitMetaPolicy.Rule.MAJORITY, YES, NO, YES).isSatisfied()).isTrue();
        assertThat(evaluate(ImplicitMetaPolicy.Rule.MAJORITY, YES, NO, NO, YES).isSatisfied()).isFalse();
    }

    @Test
    void noSubPoliciesMeansThresholdZeroAndSatisfied() {
        for (ImplicitMetaPolicy.Rule rule : ImplicitMetaPolicy.Rule.values()) {
            assertThat(evaluate(rule).isSatisfied()).isTrue();
        }
    }
}
