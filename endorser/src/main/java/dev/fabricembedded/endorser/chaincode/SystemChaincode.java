package dev.fabricembedded.endorser.chaincode;

import dev.fabricembedded.shim.Chaincode;
import java.util.Objects;

/**
 * A system chaincode: a {@link Chaincode} object the peer runs in its own JVM under the peer's system chaincode
 * version, with Fabric's two invocation flags.
 *
 * @param name              the chaincode name, e.g. {@code lscc}
 * @param chaincode         the implementation
 * @param invokableExternal whether a proposal may target it ({@code lscc}, {@code qscc}, {@code cscc}: yes)
 * @param invokableCC2CC    whether another chaincode may invoke it ({@code lscc}, {@code qscc}: yes; {@code cscc}: no)
 */
public record SystemChaincode(String name, Chaincode chaincode, boolean invokableExternal, boolean invokableCC2CC) {

    public SystemChaincode {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(chaincode, "chaincode");
        if (name.isBlank()) {
            throw new IllegalArgumentException("system chaincode name must not be blank");
        }
    }
}
