/**
 * The inter-process channel: two memory-mapped Chronicle Queues in a private directory, one per direction,
 * each with a single writing process. The creating side (the peer) makes the directory and deletes it on
 * close; the attaching side (a chaincode process or container) opens it by path.
 *
 * <p>Thread ownership per channel end: {@code ipc-<name>-events} owns the inbound tailer
 * ({@code InboundQueueReader}) and the handler's state, reads frames and calls the handler for each, runs the
 * tasks handed to it and, after {@code onClose}, releases the transport; {@code ipc-<name>-liveness} sends
 * keepalives and watches the other side. A thread waiting for an answer may take over reading the inbound queue
 * for a while ({@code tryLeaseInbound}); the tailer is then handed over with a happens-before edge. The outbound appender is shared by sending threads under one lock.
 */
package dev.fabricembedded.ipc.chronicle;
