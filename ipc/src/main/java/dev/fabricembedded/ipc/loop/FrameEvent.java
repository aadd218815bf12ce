package dev.fabricembedded.ipc.loop;

/**
 * One slot of an event loop's ring (its mailbox): an inbound frame (in-JVM channels), a task to run on the
 * event-loop thread, or the marker of an orderly close. Written by a publisher before the slot is published,
 * read and cleared by the event-loop thread.
 */
final class FrameEvent {

    enum Kind { FRAME, TASK, CLOSE }

    Kind kind;
    byte[] frame;
    Runnable task;

    void set(Kind kind, byte[] frame, Runnable task) {
        this.kind = kind;
        this.frame = frame;
        this.task = task;
    }

    void clear() {
        kind = null;
        frame = null;
        task = null;
    }
}
