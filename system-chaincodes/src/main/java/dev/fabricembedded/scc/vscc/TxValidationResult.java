package dev.fabricembedded.scc.vscc;

import java.util.Objects;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * The outcome of validating one transaction: Fabric's {@link TxValidationCode} and, when invalid, a message naming
 * what failed (Fabric's text). Expected failures are results, never exceptions; only an execution failure (the
 * ledger could not be read) is thrown, as {@link ValidationExecutionException}, because it must abort the block.
 *
 * @param code    the validation code
 * @param message empty when valid
 */
public record TxValidationResult(TxValidationCode code, String message) {

    private static final TxValidationResult VALID = new TxValidationResult(TxValidationCode.VALID, "");

    public TxValidationResult {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /** The valid result. */
    public static TxValidationResult valid() {
        return VALID;
    }

    /** An invalid result. */
    public static TxValidationResult invalid(TxValidationCode code, String message) {
        if (code == TxValidationCode.VALID) {
            throw new IllegalArgumentException("an invalid result needs a failure code");
        }
        return new TxValidationResult(code, message);
    }

    /** {@code ENDORSEMENT_POLICY_FAILURE} with a message: what every policy error of VSCC maps to. */
    public static TxValidationResult policyFailure(String message) {
        return invalid(TxValidationCode.ENDORSEMENT_POLICY_FAILURE, message);
    }

    /** {@code true} only for {@code VALID}. */
    public boolean isValid() {
        return code == TxValidationCode.VALID;
    }

    @Override
    public String toString() {
        return isValid() ? "VALID" : code + ": " + message;
    }
}
