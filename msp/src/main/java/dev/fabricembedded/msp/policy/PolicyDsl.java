package dev.fabricembedded.msp.policy;

import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.common.SignaturePolicy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The signature policy language of Fabric 1.4 ({@code cauthdsl.FromString}), e.g.
 * {@code OR('Org1MSP.member', AND('Org2MSP.peer', 'Org3MSP.admin'))}.
 *
 * <p>Grammar: {@code AND(p, ...)} needs all arguments, {@code OR(p, ...)} one, {@code OutOf(n, p, ...)} n of them (n
 * a number or a numeric string; {@code 0 <= n <= count + 1}, so {@code n = count + 1} parses and can never be met,
 * as in Fabric). Gate names are accepted as {@code And}, {@code and}, {@code AND} (likewise Or, OutOf). A principal
 * is a quoted {@code '<MSP ID>.<role>'} with role {@code member}, {@code admin}, {@code client}, {@code peer} or
 * {@code orderer}; the MSP ID may contain letters, digits, dots and dashes.
 *
 * <p>The envelope is byte-identical to Fabric's: each principal occurrence gets its own identity entry (no
 * de-duplication), numbered in Fabric's evaluation order, where a gate's nested gates are numbered before its own
 * principals. So {@code OR('A.member', AND('B.member','C.member'))} gives identities {@code [B, C, A]} and rule
 * {@code OutOf(1, SignedBy(2), OutOf(2, SignedBy(0), SignedBy(1)))}. Errors use Fabric's texts:
 * {@code unrecognized token '<x>' in policy string}, {@code Invalid t-out-of-n predicate, t <t>, n <n>},
 * {@code Expected at least two arguments to NOutOf. Given <k>}.
 *
 * <p>Stateless and thread-safe.
 */
public final class PolicyDsl {

    private static final Pattern PRINCIPAL = Pattern.compile("^([A-Za-z0-9.\\-]+)(\\.)(admin|member|client|peer|orderer)$");
    private static final Pattern NUMBER = Pattern.compile("\\d+(\\.\\d*)?|\\.\\d+");
    private static final Map<String, MSPRole.MSPRoleType> ROLES = Map.of("member", MSPRole.MSPRoleType.MEMBER,
            "admin", MSPRole.MSPRoleType.ADMIN, "client", MSPRole.MSPRoleType.CLIENT, "peer",
            MSPRole.MSPRoleType.PEER, "orderer", MSPRole.MSPRoleType.ORDERER);

    private PolicyDsl() {
    }

    /**
     * Parses a policy string into a {@code SignaturePolicyEnvelope}.
     *
     * @throws InvalidPolicyException with Fabric's message when the string is not a valid policy
     */
    public static SignaturePolicyEnvelope parse(String policy) {
        Objects.requireNonNull(policy, "policy");
        Parser parser = new Parser(policy);
        Node root = parser.expression();
        if (parser.peek().kind() != Kind.END) {
            throw unrecognized(parser.peek().text());
        }
        if (root instanceof Text text) {
            throw unrecognized(text.value());
        }
        if (!(root instanceof Gate gate)) {
            throw new InvalidPolicyException("invalid policy string '" + policy + "'");
        }
        List<MSPPrincipal> identities = new ArrayList<>();
        SignaturePolicy rule = build(gate, identities);
        return SignaturePolicies.envelope(rule, identities);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Envelope construction in Fabric's identity order

    private static SignaturePolicy build(Gate gate, List<MSPPrincipal> identities) {
        // nested gates first (Go evaluates a function's arguments before the function), then own principals
        SignaturePolicy[] built = new SignaturePolicy[gate.args().size()];
        for (int i = 0; i < built.length; i++) {
            if (gate.args().get(i) instanceof Gate nested) {
                built[i] = build(nested, identities);
            }
        }
        List<SignaturePolicy> rules = new ArrayList<>(built.length);
        for (int i = 0; i < built.length; i++) {
            Node arg = gate.args().get(i);
            if (arg instanceof Gate) {
                rules.add(built[i]);
            } else if (arg instanceof Text text) {
                Matcher m = PRINCIPAL.matcher(text.value());
                if (!m.matches()) {
                    throw unrecognized(text.value());
                }
                identities.add(SignaturePolicies.rolePrincipal(m.group(1), ROLES.get(m.group(3))));
                rules.add(SignaturePolicies.signedBy(identities.size() - 1));
            } else {
                throw new InvalidPolicyException("Unexpected type float64: a number ("
                        + ((NumberLiteral) arg).literal() + ") where a principal or a gate is expected");
            }
        }
        return SignaturePolicies.nOutOf(gate.threshold(), rules);
    }

    private static InvalidPolicyException unrecognized(String token) {
        return new InvalidPolicyException("unrecognized token '" + token + "' in policy string");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Syntax

    private sealed interface Node permits Gate, Text, NumberLiteral {
    }

    /** A gate with its threshold resolved and its arguments (principals and nested gates). */
    private record Gate(int threshold, List<Node> args) implements Node {
    }

    /** A quoted string: a principal, or a numeric threshold of OutOf. */
    private record Text(String value) implements Node {
    }

    private record NumberLiteral(double value, String literal) implements Node {
    }

    private enum Kind { IDENT, STRING, NUMBER, LPAREN, RPAREN, COMMA, END }

    private record Token(Kind kind, String text) {
    }

    private static final class Parser {
        private final List<Token> tokens;
        private int position;

        Parser(String source) {
            this.tokens = tokenize(source);
        }

        Token peek() {
            return tokens.get(position);
        }

        Token next() {
            return tokens.get(position++);
        }

        Node expression() {
            Token token = next();
            switch (token.kind()) {
                case IDENT -> {
                    if (peek().kind() != Kind.LPAREN) {
                        throw unrecognized(token.text());
                    }
                    next();
                    GateKind kind = GateKind.of(token.text());
                    if (kind == null) {
                        throw unrecognized(token.text());
                    }
                    List<Node> args = arguments();
                    return kind.gate(args);
                }
                case STRING -> {
                    return new Text(token.text());
                }
                case NUMBER -> {
                    return new NumberLiteral(Double.parseDouble(token.text()), token.text());
                }
                case LPAREN -> {
                    Node inner = expression();
                    expect(Kind.RPAREN);
                    return inner;
                }
                case END -> throw new InvalidPolicyException(position <= 1
                        ? "invalid policy string: empty" : "Unbalanced parenthesis");
                default -> throw unrecognized(token.text());
            }
        }

        private List<Node> arguments() {
            List<Node> args = new ArrayList<>();
            if (peek().kind() == Kind.RPAREN) {
                next();
                return args;
            }
            while (true) {
                args.add(expression());
                Token separator = next();
                if (separator.kind() == Kind.RPAREN) {
                    return args;
                }
                if (separator.kind() == Kind.END) {
                    throw new InvalidPolicyException("Unbalanced parenthesis");
                }
                if (separator.kind() != Kind.COMMA) {
                    throw unrecognized(separator.text());
                }
            }
        }

        private void expect(Kind kind) {
            Token token = next();
            if (token.kind() == Kind.END) {
                throw new InvalidPolicyException("Unbalanced parenthesis");
            }
            if (token.kind() != kind) {
                throw unrecognized(token.text());
            }
        }
    }

    private enum GateKind {
        AND, OR, OUT_OF;

        static GateKind of(String name) {
            return switch (name) {
                case "And", "and", "AND" -> AND;
                case "Or", "or", "OR" -> OR;
                case "OutOf", "outof", "OUTOF" -> OUT_OF;
                default -> null;
            };
        }

        Gate gate(List<Node> args) {
            return switch (this) {
                case AND -> checked(args.size(), args);
                case OR -> checked(1, args);
                case OUT_OF -> {
                    if (args.size() < 2) {
                        throw new InvalidPolicyException("Expected at least two arguments to NOutOf. Given "
                                + args.size());
                    }
                    yield checked(threshold(args.get(0)), args.subList(1, args.size()));
                }
            };
        }

        private static Gate checked(int t, List<Node> args) {
            if (args.isEmpty()) {
                // Fabric's And()/Or() become outof(t) with a single argument
                throw new InvalidPolicyException("Expected at least two arguments to NOutOf. Given 1");
            }
            int n = args.size();
            if (t < 0 || t > n + 1) {
                throw new InvalidPolicyException("Invalid t-out-of-n predicate, t " + t + ", n " + n);
            }
            return new Gate(t, List.copyOf(args));
        }

        private static int threshold(Node node) {
            if (node instanceof NumberLiteral number) {
                return (int) number.value();
            }
            if (node instanceof Text text) {
                String value = text.value().trim();
                if (NUMBER.matcher(value).matches()) {
                    return (int) Double.parseDouble(value);
                }
                throw unrecognized(text.value());
            }
            throw new InvalidPolicyException("Unrecognized type, expected a number, got *common.SignaturePolicy");
        }
    }

    private static List<Token> tokenize(String source) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int length = source.length();
        while (i < length) {
            char c = source.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(') {
                tokens.add(new Token(Kind.LPAREN, "("));
                i++;
            } else if (c == ')') {
                tokens.add(new Token(Kind.RPAREN, ")"));
                i++;
            } else if (c == ',') {
                tokens.add(new Token(Kind.COMMA, ","));
                i++;
            } else if (c == '\'' || c == '"') {
                int end = source.indexOf(c, i + 1);
                if (end < 0) {
                    throw new InvalidPolicyException("Unclosed string literal " + source.substring(i));
                }
                tokens.add(new Token(Kind.STRING, source.substring(i + 1, end)));
                i = end + 1;
            } else if (Character.isDigit(c) || c == '.' || c == '-') {
                int start = i;
                i++;
                while (i < length && (Character.isDigit(source.charAt(i)) || source.charAt(i) == '.')) {
                    i++;
                }
                String literal = source.substring(start, i);
                String digits = literal.startsWith("-") ? literal.substring(1) : literal;
                if (!NUMBER.matcher(digits).matches()) {
                    throw unrecognized(literal);
                }
                tokens.add(new Token(Kind.NUMBER, literal));
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < length && (Character.isLetterOrDigit(source.charAt(i)) || source.charAt(i) == '_'
                        || source.charAt(i) == '.')) {
                    i++;
                }
                tokens.add(new Token(Kind.IDENT, source.substring(start, i)));
            } else {
                throw unrecognized(String.valueOf(c));
            }
        }
        tokens.add(new Token(Kind.END, ""));
        return tokens;
    }
}
