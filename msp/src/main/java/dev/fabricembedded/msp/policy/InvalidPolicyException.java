package dev.fabricembedded.msp.policy;

/**
 * A policy cannot be built: a DSL string that does not parse, an envelope that does not compile (wrong version,
 * identity index out of range, empty element) or a configuration policy of an unknown type. The message is
 * Fabric's, e.g. {@code unrecognized token 'foo' in policy string} or
 * {@code identity index out of range, requested 3, but identities length is 2}.
 */
public final class InvalidPolicyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidPolicyException(String message) {
        super(message);
    }

    public InvalidPolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}
