/**
 * Chaincode support (Fabric's {@code core/chaincode}): launching chaincodes, the peer side of Fabric's chaincode
 * protocol, and executing Init and Invoke for the endorser.
 *
 * <p>{@link dev.fabricembedded.endorser.chaincode.ChaincodeSupport} is the entry point. Inside: the
 * {@code HandlerRegistry} of launches and registered handlers (by {@code name:version}), the {@code RuntimeLauncher}
 * that starts a chaincode once however many transactions need it, one {@code Handler} per chaincode connection (the
 * state machine created → established → ready), and per handler the {@code TransactionContexts} of the executions in
 * progress, each holding the transaction's simulator and its open query iterators.
 *
 * <p>Thread ownership: a handler's state belongs to its connection's event-loop thread (the ipc channel's), which also
 * serves the chaincode's ledger requests, so one chaincode's requests never wait for another's. An execution's caller
 * thread creates and deletes its transaction context and waits on it; while it waits it may hold the channel's inbound
 * lease and serve its own transaction's requests and answer itself ({@code OwnFrameReader}, see {@code Handler}); chaincode-to-chaincode calls run on the
 * support's {@code chaincode-invoke-<n>} workers, runtime starts and stops on {@code chaincode-launch-<n>}. The
 * registry is synchronized; transaction contexts and active requests are concurrent maps; a simulator is only used
 * under its own monitor, which orders the accesses of a chaincode and of the chaincodes it calls. The
 * {@link dev.fabricembedded.endorser.chaincode.ProposalLoad} (proposals in flight, an atomic counter any thread enters
 * and exits) is published to a chaincode's channel by each execution's caller thread before it sends TRANSACTION.
 */
package dev.fabricembedded.endorser.chaincode;
