package dev.fabricembedded.msp;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The MSPs of a channel (or of a peer's local view), and the {@link IdentityDeserializer} everything on the
 * transaction path uses: it selects the MSP named by a {@code SerializedIdentity}'s {@code mspid} and caches the
 * resulting identity by the serialized bytes, so a repeated creator or endorser is parsed once.
 *
 * <p>Errors are Fabric's: {@code could not deserialize a SerializedIdentity: ...} for bytes that are not the
 * protobuf and {@code MSP <id> is unknown} for an mspid no MSP here has. Immutable apart from the thread-safe
 * cache; share one instance per channel across threads.
 */
public final class MspManager implements IdentityDeserializer {

    /** Default number of cached identities. */
    public static final int DEFAULT_IDENTITY_CACHE_SIZE = 1024;

    private final Map<String, Msp> msps;
    private final IdentityCache cache;

    private MspManager(Builder builder) {
        this.msps = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(builder.msps));
        this.cache = new IdentityCache(builder.identityCacheSize);
    }

    /** A manager over the given MSPs with the default cache size. */
    public static MspManager of(Collection<? extends Msp> msps) {
        Builder builder = builder();
        msps.forEach(builder::add);
        return builder.build();
    }

    /** A manager over the given MSPs with the default cache size. */
    public static MspManager of(Msp... msps) {
        return of(List.of(msps));
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The MSP with this ID.
     *
     * @throws InvalidIdentityException {@code MSP <id> is unknown}
     */
    public Msp msp(String mspId) {
        Msp msp = msps.get(mspId);
        if (msp == null) {
            throw unknown(mspId);
        }
        return msp;
    }

    /** The MSP with this ID, if any. */
    public Optional<Msp> find(String mspId) {
        return Optional.ofNullable(msps.get(mspId));
    }

    /** All MSPs by ID, in the order they were added. */
    public Map<String, Msp> msps() {
        return msps;
    }

    @Override
    public Identity deserializeIdentity(ByteString serializedIdentity) {
        Objects.requireNonNull(serializedIdentity, "serializedIdentity");
        Identity cached = cache.get(serializedIdentity);
        if (cached != null) {
            return cached;
        }
        SerializedIdentity parsed = X509Msp.parseSerialized(serializedIdentity);
        Msp msp = msps.get(parsed.getMspid());
        if (msp == null) {
            throw unknown(parsed.getMspid());
        }
        Identity identity = msp instanceof X509Msp x509
                ? x509.deserializeIdBytes(parsed.getIdBytes(), serializedIdentity)
                : msp.deserializeIdentity(serializedIdentity);
        cache.put(serializedIdentity, identity);
        return identity;
    }

    @Override
    public ValidationResult isWellFormed(ByteString serializedIdentity) {
        return X509Msp.checkWellFormed(serializedIdentity);
    }

    /** Number of identities currently cached (for tests and metrics). */
    public int cachedIdentities() {
        return cache.size();
    }

    private static InvalidIdentityException unknown(String mspId) {
        return new InvalidIdentityException(InvalidIdentityException.Reason.UNKNOWN_MSP, "MSP " + mspId + " is unknown");
    }

    @Override
    public String toString() {
        return "MspManager" + new ArrayList<>(msps.keySet());
    }

    /** Builder for {@link MspManager}; default identity cache size {@value #DEFAULT_IDENTITY_CACHE_SIZE}. */
    public static final class Builder {
        private final Map<String, Msp> msps = new LinkedHashMap<>();
        private int identityCacheSize = DEFAULT_IDENTITY_CACHE_SIZE;

        private Builder() {
        }

        /**
         * Adds an MSP.
         *
         * @throws IllegalArgumentException when an MSP with the same name was added
         */
        public Builder add(Msp msp) {
            Objects.requireNonNull(msp, "msp");
            if (msps.putIfAbsent(msp.name(), msp) != null) {
                throw new IllegalArgumentException("duplicate MSP " + msp.name());
            }
            return this;
        }

        /** Maximum number of cached identities; 0 disables the cache. */
        public Builder identityCacheSize(int size) {
            if (size < 0) {
                throw new IllegalArgumentException("identity cache size must be >= 0, got " + size);
            }
            this.identityCacheSize = size;
            return this;
        }

        public MspManager build() {
            return new MspManager(this);
        }
    }
}
