package dev.fabricembedded.msp.crypto;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;

/**
 * An EC key pair on a named curve, with the encodings an MSP folder uses: PKCS#8 PEM for the private key
 * ({@code keystore/*_sk}) and {@code SubjectPublicKeyInfo} for certificates.
 *
 * <p>Immutable; the private scalar never leaves the object except through {@link #toPkcs8Pem()}.
 *
 * @param privateKey the private scalar and its curve
 * @param publicKey  the matching public point on the same curve
 */
public record EcKeyPair(ECPrivateKeyParameters privateKey, ECPublicKeyParameters publicKey) {

    public EcKeyPair {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(publicKey, "publicKey");
    }

    /** A fresh P-256 key pair from a strong random source. */
    public static EcKeyPair generate() {
        return generate(new SecureRandom());
    }

    /** A fresh P-256 key pair from the given random source (a seeded one makes tests reproducible). */
    public static EcKeyPair generate(SecureRandom random) {
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(EcCurves.P256, random));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        return new EcKeyPair((ECPrivateKeyParameters) pair.getPrivate(), (ECPublicKeyParameters) pair.getPublic());
    }

    /** The key pair of a private key: the public point is recomputed as {@code d·G}. */
    public static EcKeyPair fromPrivateKey(ECPrivateKeyParameters privateKey) {
        ECDomainParameters domain = privateKey.getParameters();
        var q = new FixedPointCombMultiplier().multiply(domain.getG(), privateKey.getD()).normalize();
        return new EcKeyPair(privateKey, new ECPublicKeyParameters(q, domain));
    }

    /**
     * Reads a private key from PEM: PKCS#8 ({@code PRIVATE KEY}, what Fabric's tools write) or SEC1
     * ({@code EC PRIVATE KEY}).
     *
     * @throws IllegalArgumentException naming the problem when the bytes are not such a key
     */
    public static EcKeyPair fromPem(byte[] pem) {
        List<PemBlock> blocks = Pem.decodeAll(pem);
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("no PEM block found in private key data");
        }
        PemBlock block = blocks.get(0);
        try {
            return switch (block.type()) {
                case "PRIVATE KEY" -> fromPkcs8(block.content());
                case "EC PRIVATE KEY" -> fromSec1(ECPrivateKey.getInstance(ASN1Primitive.fromByteArray(block.content())),
                        null);
                default -> throw new IllegalArgumentException("PEM block of type '" + block.type()
                        + "' is not a private key (expected 'PRIVATE KEY' or 'EC PRIVATE KEY')");
            };
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage() != null
                    && iae.getMessage().startsWith("PEM block of type")) {
                throw iae;
            }
            throw new IllegalArgumentException("could not parse EC private key: " + e.getMessage(), e);
        }
    }

    private static EcKeyPair fromPkcs8(byte[] der) throws IOException {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(ASN1Primitive.fromByteArray(der));
        ASN1ObjectIdentifier algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
            throw new IllegalArgumentException("private key algorithm " + algorithm + " is not EC");
        }
        X962Parameters parameters = X962Parameters.getInstance(info.getPrivateKeyAlgorithm().getParameters());
        ECPrivateKey sec1 = ECPrivateKey.getInstance(info.parsePrivateKey());
        return fromSec1(sec1, parameters);
    }

    private static EcKeyPair fromSec1(ECPrivateKey sec1, X962Parameters outerParameters) {
        X962Parameters parameters = outerParameters;
        if (parameters == null || parameters.isImplicitlyCA()) {
            var inner = sec1.getParametersObject();
            parameters = inner == null ? null : X962Parameters.getInstance(inner);
        }
        if (parameters == null || !parameters.isNamedCurve()) {
            throw new IllegalArgumentException("EC private key without a named curve is not supported");
        }
        ECNamedDomainParameters domain = EcCurves.byOid(ASN1ObjectIdentifier.getInstance(parameters.getParameters()));
        BigInteger d = sec1.getKey();
        return fromPrivateKey(new ECPrivateKeyParameters(d, domain));
    }

    /** The private key as PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}), Fabric's keystore format. */
    public byte[] toPkcs8Pem() {
        try {
            return Pem.encode("PRIVATE KEY", PrivateKeyInfoFactory.createPrivateKeyInfo(privateKey).getEncoded("DER"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode private key", e);
        }
    }

    /** The public key as a certificate's {@code SubjectPublicKeyInfo} (named-curve form). */
    public SubjectPublicKeyInfo subjectPublicKeyInfo() {
        try {
            return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(publicKey);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode public key", e);
        }
    }

    /**
     * Fabric's key identifier (BCCSP {@code SKI}): {@code H(uncompressed public point)}. cryptogen uses it as the
     * certificates' subject key identifier and as the keystore file name ({@code <hex>_sk}).
     */
    public byte[] subjectKeyIdentifier() {
        return Sha256.digest(publicKey.getQ().getEncoded(false));
    }

    /** {@code true} when {@code other} is this pair's public point. */
    public boolean matches(ECPublicKeyParameters other) {
        return publicKey.getQ().equals(other.getQ())
                && publicKey.getParameters().getCurve().equals(other.getParameters().getCurve());
    }

    @Override
    public String toString() {
        // never print the private scalar
        return "EcKeyPair[publicKey=" + java.util.HexFormat.of().formatHex(publicKey.getQ().getEncoded(true)) + "]";
    }
}
