package dev.fabricembedded.peer.committer;

import dev.fabricembedded.endorser.chaincode.SystemChaincodes;
import java.util.Set;

/**
 * Which chaincode names are system chaincodes and how they may be invoked (Fabric's {@code sysccprovider}); the
 * validator needs it to route a transaction (§6.3 steps 5-7): a system chaincode is validated with the channel's
 * {@code SignedByAnyMember} policy, an application chaincode may not write the namespace of a system chaincode that
 * cannot be invoked, and a system chaincode that cannot be invoked externally can never be committed.
 *
 * <p>Implementations are immutable and thread-safe: the validator workers call them in parallel.
 */
public interface SystemChaincodeProvider {

    /** Whether {@code name} is a system chaincode, deprecated names ({@code escc}, {@code vscc}) included. */
    boolean isSysCC(String name);

    /** Whether {@code name} is a system chaincode that a proposal may not target. */
    boolean isSysCCAndNotInvokableExternal(String name);

    /** Whether {@code name} is a system chaincode that another chaincode may not invoke. */
    boolean isSysCCAndNotInvokableCC2CC(String name);

    /**
     * Fabric 1.4's peer: {@code lscc} and {@code qscc} (invokable externally and by other chaincodes), {@code cscc}
     * (externally only), and the deprecated names {@code escc} and {@code vscc} (not invokable at all).
     */
    static SystemChaincodeProvider fabric14() {
        return new SystemChaincodeProvider() {
            private final Set<String> all = Set.of("lscc", "qscc", "cscc", "escc", "vscc");
            private final Set<String> notExternal = Set.of("escc", "vscc");
            private final Set<String> notCc2cc = Set.of("cscc", "escc", "vscc");

            @Override
            public boolean isSysCC(String name) {
                return all.contains(name);
            }

            @Override
            public boolean isSysCCAndNotInvokableExternal(String name) {
                return notExternal.contains(name);
            }

            @Override
            public boolean isSysCCAndNotInvokableCC2CC(String name) {
                return notCc2cc.contains(name);
            }

            @Override
            public String toString() {
                return "SystemChaincodeProvider(fabric 1.4: " + all + ")";
            }
        };
    }

    /** The rules of an endorser's system chaincodes, so that the committer agrees with what the peer endorses. */
    static SystemChaincodeProvider of(SystemChaincodes systemChaincodes) {
        return new SystemChaincodeProvider() {
            @Override
            public boolean isSysCC(String name) {
                return systemChaincodes.isSysCC(name);
            }

            @Override
            public boolean isSysCCAndNotInvokableExternal(String name) {
                return systemChaincodes.isSysCCAndNotInvokableExternal(name);
            }

            @Override
            public boolean isSysCCAndNotInvokableCC2CC(String name) {
                return systemChaincodes.isSysCCAndNotInvokableCC2CC(name);
            }

            @Override
            public String toString() {
                return "SystemChaincodeProvider(" + systemChaincodes.all() + ")";
            }
        };
    }
}
