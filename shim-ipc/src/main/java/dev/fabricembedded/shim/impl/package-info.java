/**
 * The chaincode-side runtime, never imported by chaincode authors: the shim state machine
 * ({@link dev.fabricembedded.shim.impl.ChaincodeConnection} and its handler), the stub that turns ledger calls into
 * Fabric {@code ChaincodeMessage} requests, lazily paged query iterators, and the chaincode process entry point.
 *
 * <p>Thread ownership: the ipc channel's single event-loop thread owns the state machine and the map of running
 * transactions (no locks on the message path); chaincode invocations run on the connection's named worker
 * threads ({@link dev.fabricembedded.shim.impl.InvocationWorkers}: the event loop puts each INIT/TRANSACTION into the
 * most recently idle worker's single slot by compare-and-set and unparks it only if it parked), each owning its
 * transaction's stub and iterators; a worker and the event loop meet only in one
 * compare-and-set slot per transaction (the single outstanding request) and in a lock-free queue of finished
 * transactions. A worker waiting for a request's answer reads the channel's inbound queue itself while it holds the
 * channel's inbound lease ({@link dev.fabricembedded.ipc.InboundLease}, one worker at a time): it keeps its own answer
 * and forwards every other frame to the event loop, in order; without the lease the event loop hands the answer
 * over as before. Returning the lease does not wake the event loop, so between the requests of one invocation it
 * stays parked; a worker hurries it (an empty task) only when the loop must read the peer's next message: after the
 * invocation's result is sent (the next INIT or TRANSACTION), or when it waits for an answer without the lease.
 */
package dev.fabricembedded.shim.impl;
