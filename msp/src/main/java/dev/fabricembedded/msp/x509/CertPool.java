package dev.fabricembedded.msp.x509;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Trusted root and intermediate certificates, and the chain builder of Go's {@code x509.Certificate.Verify}
 * that Fabric's MSP relies on.
 *
 * <p>What is copied from Go (the version Fabric 1.4 is built with): parents are looked up by authority key id
 * first and by issuer name otherwise; each link needs a valid signature, a CA parent allowed to sign
 * certificates, every certificate valid at the verification time, path-length limits respected; a certificate
 * that is itself a root gives the one-element chain; the extended key usages of the chain must allow
 * {@code serverAuth} (Go's default when, as in Fabric, no usage is requested). Every chain found is returned:
 * the MSP, not the pool, rejects several. Error texts are Go's.
 *
 * <p>Immutable and thread-safe.
 */
public final class CertPool {

    private static final int MAX_DEPTH = 16;

    private final List<X509Cert> roots;
    private final List<X509Cert> intermediates;
    private final Map<ByteBuffer, List<X509Cert>> rootsByName;
    private final Map<ByteBuffer, List<X509Cert>> rootsByKeyId;
    private final Map<ByteBuffer, List<X509Cert>> intermediatesByName;
    private final Map<ByteBuffer, List<X509Cert>> intermediatesByKeyId;

    /** A pool of the given trusted roots and candidate intermediates. */
    public CertPool(Collection<X509Cert> roots, Collection<X509Cert> intermediates) {
        this.roots = List.copyOf(roots);
        this.intermediates = List.copyOf(intermediates);
        this.rootsByName = index(this.roots, false);
        this.rootsByKeyId = index(this.roots, true);
        this.intermediatesByName = index(this.intermediates, false);
        this.intermediatesByKeyId = index(this.intermediates, true);
    }

    /**
     * The result of a chain search.
     *
     * @param chains every chain found, each from the certificate (first) to a root (last); empty on failure
     * @param error  Go's error text when no chain was found, otherwise {@code null}
     */
    public record Chains(List<List<X509Cert>> chains, String error) {
        public Chains {
            chains = List.copyOf(chains);
        }

        /** {@code true} when at least one chain was found. */
        public boolean found() {
            return error == null;
        }
    }

    /** The trusted roots. */
    public List<X509Cert> roots() {
        return roots;
    }

    /** The intermediates. */
    public List<X509Cert> intermediates() {
        return intermediates;
    }

    /** {@code true} when {@code cert} is byte-equal to one of the roots. */
    public boolean isRoot(X509Cert cert) {
        return contains(rootsByName, cert);
    }

    /** {@code true} when {@code cert} is byte-equal to one of the intermediates. */
    public boolean isIntermediate(X509Cert cert) {
        return contains(intermediatesByName, cert);
    }

    /** Every chain from {@code cert} to a root, with all certificates checked at time {@code at}. */
    public Chains chains(X509Cert cert, Instant at) {
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(at, "at");
        if (at.isBefore(cert.notBefore())) {
            return failure("x509: certificate has expired or is not yet valid: current time "
                    + format(at) + " is before " + format(cert.notBefore()));
        }
        if (at.isAfter(cert.notAfter())) {
            return failure("x509: certificate has expired or is not yet valid: current time "
                    + format(at) + " is after " + format(cert.notAfter()));
        }
        List<List<X509Cert>> candidates;
        Search search = new Search(at);
        if (isRoot(cert)) {
            candidates = List.of(List.of(cert));
        } else {
            List<X509Cert> start = new ArrayList<>(4);
            start.add(cert);
            candidates = new ArrayList<>(1);
            search.build(start, candidates, 0);
        }
        if (candidates.isEmpty()) {
            String message = "x509: certificate signed by unknown authority";
            if (search.hintError != null) {
                message += " (possibly because of \"" + search.hintError
                        + "\" while trying to verify candidate authority certificate \"" + search.hintCertificate + "\")";
            }
            return failure(message);
        }
        List<List<X509Cert>> usable = new ArrayList<>(candidates.size());
        for (List<X509Cert> chain : candidates) {
            if (chain.stream().allMatch(X509Cert::allowsServerAuth)) {
                usable.add(chain);
            }
        }
        if (usable.isEmpty()) {
            return failure("x509: certificate specifies an incompatible key usage");
        }
        return new Chains(usable, null);
    }

    private final class Search {
        private final Instant at;
        private String hintError;
        private String hintCertificate;

        Search(Instant at) {
            this.at = at;
        }

        void build(List<X509Cert> chain, List<List<X509Cert>> out, int depth) {
            X509Cert current = chain.get(chain.size() - 1);
            for (X509Cert root : parents(rootsByKeyId, rootsByName, current)) {
                consider(chain, root, true, out, depth);
            }
            for (X509Cert intermediate : parents(intermediatesByKeyId, intermediatesByName, current)) {
                consider(chain, intermediate, false, out, depth);
            }
        }

        private void consider(List<X509Cert> chain, X509Cert candidate, boolean root, List<List<X509Cert>> out,
                int depth) {
            if (alreadyInChain(candidate, chain) || depth > MAX_DEPTH) {
                return;
            }
            X509Cert current = chain.get(chain.size() - 1);
            if (!candidate.isCa()) {
                hint("x509: invalid signature: parent certificate cannot sign this kind of certificate", candidate);
                return;
            }
            if (!current.isSignedBy(candidate)) {
                hint("x509: " + (candidate.ecPublicKey() != null ? "ECDSA" : "signature") + " verification failure",
                        candidate);
                return;
            }
            if (!candidate.isValidAt(at)) {
                return;
            }
            Integer maxPathLength = pathLengthConstraint(candidate);
            if (maxPathLength != null && chain.size() - 1 > maxPathLength) {
                return;
            }
            List<X509Cert> extended = new ArrayList<>(chain.size() + 1);
            extended.addAll(chain);
            extended.add(candidate);
            if (root) {
                out.add(List.copyOf(extended));
            } else {
                build(extended, out, depth + 1);
            }
        }

        private void hint(String error, X509Cert candidate) {
            if (hintError == null) {
                hintError = error;
                hintCertificate = candidate.commonName();
            }
        }
    }

    private static Integer pathLengthConstraint(X509Cert cert) {
        var extensions = cert.holder().getExtensions();
        if (extensions == null) {
            return null;
        }
        var constraints = org.bouncycastle.asn1.x509.BasicConstraints.fromExtensions(extensions);
        if (constraints == null || constraints.getPathLenConstraint() == null) {
            return null;
        }
        return constraints.getPathLenConstraint().intValue();
    }

    private static boolean alreadyInChain(X509Cert candidate, List<X509Cert> chain) {
        for (X509Cert cert : chain) {
            if (Arrays.equals(cert.rawSubject(), candidate.rawSubject())
                    && cert.subjectPublicKeyInfo().equals(candidate.subjectPublicKeyInfo())) {
                return true;
            }
        }
        return false;
    }

    private static List<X509Cert> parents(Map<ByteBuffer, List<X509Cert>> byKeyId,
            Map<ByteBuffer, List<X509Cert>> byName, X509Cert child) {
        byte[] aki = child.authorityKeyIdentifier();
        if (aki != null && aki.length > 0) {
            List<X509Cert> found = byKeyId.get(ByteBuffer.wrap(aki));
            if (found != null && !found.isEmpty()) {
                return found;
            }
        }
        return byName.getOrDefault(ByteBuffer.wrap(child.rawIssuer()), List.of());
    }

    private static boolean contains(Map<ByteBuffer, List<X509Cert>> byName, X509Cert cert) {
        for (X509Cert candidate : byName.getOrDefault(ByteBuffer.wrap(cert.rawSubject()), List.of())) {
            if (candidate.sameEncodingAs(cert)) {
                return true;
            }
        }
        return false;
    }

    private static Map<ByteBuffer, List<X509Cert>> index(List<X509Cert> certs, boolean byKeyId) {
        Map<ByteBuffer, List<X509Cert>> index = new HashMap<>();
        for (X509Cert cert : certs) {
            byte[] key = byKeyId ? cert.subjectKeyIdentifier() : cert.rawSubject();
            if (key == null || key.length == 0) {
                continue;
            }
            index.computeIfAbsent(ByteBuffer.wrap(key), k -> new ArrayList<>(1)).add(cert);
        }
        index.replaceAll((k, v) -> List.copyOf(v));
        return Map.copyOf(index);
    }

    private static Chains failure(String error) {
        return new Chains(List.of(), error);
    }

    private static String format(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }
}
