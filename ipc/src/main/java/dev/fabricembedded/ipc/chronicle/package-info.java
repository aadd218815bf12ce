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
 *
 * <p>Doorbells ({@code Doorbell}): a FIFO per direction and a shared state word; only the event-loop thread blocks on
 * its FIFO (and closes it when it ends); the other process rings after appending while the loop announced that it
 * sleeps, this process's publishers ring it through the event loop; the other side's bell is rung and closed under the
 * outbound write lock.
 */
package dev.fabricembedded.ipc.chronicle;
