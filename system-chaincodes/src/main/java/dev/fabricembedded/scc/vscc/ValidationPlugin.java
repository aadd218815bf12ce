package dev.fabricembedded.scc.vscc;

/**
 * Decides whether a transaction's endorsements satisfy a namespace's rules (Fabric 1.4's validation plugin, the
 * successor of the VSCC system chaincode). Selected by the {@code vscc} name of the chaincode definition through a
 * {@link ValidationPluginRegistry}.
 *
 * <p>Implementations are stateless and thread-safe: the committer validates transactions in parallel.
 */
@FunctionalInterface
public interface ValidationPlugin {

    /**
     * Validates.
     *
     * @return {@code VALID}, or the failure code and Fabric's message (normally {@code ENDORSEMENT_POLICY_FAILURE})
     * @throws ValidationExecutionException when validation cannot be carried out; the block must not be committed
     */
    TxValidationResult validate(ValidationRequest request);
}
