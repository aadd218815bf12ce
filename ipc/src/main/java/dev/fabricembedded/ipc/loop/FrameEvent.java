package dev.fabricembedded.ipc.loop;

/**
 * One slot of the ring: an inbound frame, the marker of an orderly close, or a wake-up with no content.
 * Written by a publisher before the slot is published, read and cleared by the event-loop thread.
 */
final class FrameEvent {

    enum Kind { FRAME, CLOSE, WAKE }

    Kind kind;
    byte[] frame;

    void set(Kind kind, byte[] frame) {
        this.kind = kind;
        this.frame = frame;
    }

    void clear() {
        kind = null;
        frame = null;
    }
}
