package dev.fabricembedded.msp.crypto;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;

/**
 * The last few signatures that verified successfully under one public key, so that the same check asked again moments
 * later can be answered without a second ECDSA verification (~70 µs).
 *
 * <p>Why an answer from here is exactly the answer a new verification would give: Fabric's {@code Verify(m, sig)} is
 * a deterministic function of the public key, {@code H(m)} (SHA-256) and the signature bytes: the DER decoding, the
 * low-S rule and the ECDSA equation read nothing else. One instance belongs to one {@link EcdsaVerifier}, so one key;
 * an entry is the pair ({@code H(m)}, signature bytes) of a verification that <em>succeeded</em>, and a lookup matches
 * only when both are byte-equal. Failures are never remembered, so a tampered signature, other data or another key
 * always goes through the full verification (and fails there). What this class skips is arithmetic, never a check:
 * whether the signer is valid, a member, or satisfies a principal is decided elsewhere, every time.
 *
 * <p>Bounds: a ring of {@code capacity} entries (each ~32 + ~72 bytes plus headers; nothing of the message is
 * kept), the oldest overwritten first, and an entry older than {@code maxAge} is ignored. The memo is meant for one
 * proposal checked twice within microseconds (Fabric checks the creator's signature once in
 * {@code ValidateProposalMessage} and again in the {@code peer/Propose} policy), not as a long-lived cache.
 *
 * <p>Thread-safe and lock-free: entries are immutable and published through an {@link AtomicReferenceArray}; two
 * concurrent inserts may overwrite each other's slot, which only costs a later miss (a full verification).
 */
public final class RecentVerifications {

    /** Entries kept per key by default: more than the proposals one client can have between the two checks. */
    public static final int DEFAULT_CAPACITY = 16;
    /** How long an entry is trusted by default ("moments before"; the two checks are microseconds apart). */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(2);

    private record Entry(byte[] digest, byte[] signature, long rememberedAt) {
    }

    private final AtomicReferenceArray<Entry> ring;
    private final int mask;
    private final AtomicInteger next = new AtomicInteger();
    private final long maxAgeNanos;
    private final LongSupplier nanoClock;

    /** A memo with {@link #DEFAULT_CAPACITY} entries of at most {@link #DEFAULT_MAX_AGE}. */
    public RecentVerifications() {
        this(DEFAULT_CAPACITY, DEFAULT_MAX_AGE, System::nanoTime);
    }

    /**
     * @param capacity  entries kept; rounded up to a power of two, at least 1
     * @param maxAge    how long an entry may be recalled
     * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime})
     */
    public RecentVerifications(final int capacity, final Duration maxAge, final LongSupplier nanoClock) {
        if (capacity < 1 || capacity > 1 << 16) {
            throw new IllegalArgumentException("capacity must be within 1..65536, got " + capacity);
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive, got " + maxAge);
        }
        int size = 1;
        while (size < capacity) {
            size <<= 1;
        }
        this.ring = new AtomicReferenceArray<>(size);
        this.mask = size - 1;
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** How many entries the ring holds. */
    public int capacity() {
        return mask + 1;
    }

    /**
     * Records that {@code signature} verified successfully over a message whose SHA-256 is {@code digest}. Call it
     * only after a successful verification by the key this memo belongs to. The arrays are kept: do not modify them.
     */
    public void remember(final byte[] digest, final byte[] signature) {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(signature, "signature");
        ring.set(next.getAndIncrement() & mask, new Entry(digest, signature, nanoClock.getAsLong()));
    }

    /** {@code true} if this exact (digest, signature) pair was {@link #remember remembered} within the max age. */
    public boolean recall(final byte[] digest, final byte[] signature) {
        long now = Long.MIN_VALUE;
        for (int i = 0; i <= mask; i++) {
            final Entry entry = ring.get(i);
            if (entry == null || !Arrays.equals(entry.digest, digest) || !Arrays.equals(entry.signature, signature)) {
                continue;
            }
            if (now == Long.MIN_VALUE) {
                now = nanoClock.getAsLong();
            }
            if (now - entry.rememberedAt <= maxAgeNanos) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "RecentVerifications[capacity=" + capacity() + ", maxAge=" + Duration.ofNanos(maxAgeNanos) + "]";
    }
}
