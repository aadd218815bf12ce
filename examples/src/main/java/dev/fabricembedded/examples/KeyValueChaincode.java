package dev.fabricembedded.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.fabricembedded.shim.Chaincode;
import dev.fabricembedded.shim.ChaincodeStub;
import dev.fabricembedded.shim.Response;
import dev.fabricembedded.shim.ledger.CompositeKey;
import dev.fabricembedded.shim.ledger.KeyModification;
import dev.fabricembedded.shim.ledger.KeyValue;
import dev.fabricembedded.shim.ledger.QueryResultsIterator;
import dev.fabricembedded.shim.ledger.QueryResultsIteratorWithMetadata;
import java.util.ArrayList;
import java.util.List;

/**
 * A key-value chaincode that exercises the stub's whole ledger surface, for tests and the benchmarks. Results
 * that are lists come back as UTF-8 lines in the payload.
 *
 * <ul>
 * <li>{@code put K V}, {@code get K} (payload: the value), {@code del K}</li>
 * <li>{@code fill PREFIX N}: writes {@code PREFIX00000}..{@code PREFIX(N-1)} with values {@code v0}..</li>
 * <li>{@code range START END}: every {@code key=value} in the range (more than 100 results are paged from the peer
 * as the iterator is consumed)</li>
 * <li>{@code page START END SIZE BOOKMARK}: one page; first line {@code bookmark=<next>}, then {@code key=value}</li>
 * <li>{@code index TYPE ATTR... VALUE}: writes the composite key {@code (TYPE, ATTR...)}</li>
 * <li>{@code find TYPE ATTR...}: every key starting with the partial composite key, as
 * {@code attr/attr/...=value}</li>
 * <li>{@code event NAME PAYLOAD}: sets the chaincode event</li>
 * <li>{@code history K}: one line per committed change, {@code txid deleted value}</li>
 * <li>{@code call CHAINCODE CHANNEL ARG...}: invokes another chaincode (empty CHANNEL = this one) and returns its
 * response unchanged</li>
 * <li>{@code whoami}: the creator's MSP id</li>
 * </ul>
 * Init accepts anything and writes nothing.
 */
public final class KeyValueChaincode implements Chaincode {

    @Override
    public Response init(final ChaincodeStub stub) {
        return Response.success();
    }

    @Override
    public Response invoke(final ChaincodeStub stub) {
        final String function = stub.getFunction();
        final List<String> p = stub.getParameters();
        if (function == null) {
            return Response.error("no function given");
        }
        try {
            return switch (function) {
                case "put" -> {
                    stub.putStringState(p.get(0), p.get(1));
                    yield Response.success();
                }
                case "get" -> Response.success(stub.getState(p.get(0)));
                case "del" -> {
                    stub.delState(p.get(0));
                    yield Response.success();
                }
                case "fill" -> fill(stub, p.get(0), Integer.parseInt(p.get(1)));
                case "range" -> range(stub, p.get(0), p.get(1));
                case "page" -> page(stub, p.get(0), p.get(1), Integer.parseInt(p.get(2)), p.get(3));
                case "index" -> {
                    final List<String> attributes = p.subList(1, p.size() - 1);
                    stub.putStringState(stub.createCompositeKey(p.get(0), attributes.toArray(String[]::new)).toString(),
                            p.get(p.size() - 1));
                    yield Response.success();
                }
                case "find" -> find(stub, p.get(0), p.subList(1, p.size()).toArray(String[]::new));
                case "event" -> {
                    stub.setEvent(p.get(0), p.get(1).getBytes(UTF_8));
                    yield Response.success();
                }
                case "history" -> history(stub, p.get(0));
                case "call" -> {
                    final List<byte[]> args = p.subList(2, p.size()).stream().map(a -> a.getBytes(UTF_8)).toList();
                    yield stub.invokeChaincode(p.get(0), args, p.get(1));
                }
                case "whoami" -> Response.success(stub.getMspId());
                default -> Response.error("unknown function " + function);
            };
        } catch (IndexOutOfBoundsException | NumberFormatException e) {
            return Response.error("bad arguments for " + function + ": " + e.getMessage());
        }
    }

    private static Response fill(final ChaincodeStub stub, final String prefix, final int count) {
        for (int i = 0; i < count; i++) {
            stub.putStringState(String.format("%s%05d", prefix, i), "v" + i);
        }
        return Response.success();
    }

    private static Response range(final ChaincodeStub stub, final String start, final String end) {
        final List<String> lines = new ArrayList<>();
        try (QueryResultsIterator<KeyValue> results = stub.getStateByRange(start, end)) {
            results.forEach(kv -> lines.add(kv.getKey() + "=" + kv.getStringValue()));
        }
        return Response.success(String.join("\n", lines));
    }

    private static Response page(final ChaincodeStub stub, final String start, final String end, final int size,
            final String bookmark) {
        final List<String> lines = new ArrayList<>();
        try (QueryResultsIteratorWithMetadata<KeyValue> page =
                     stub.getStateByRangeWithPagination(start, end, size, bookmark)) {
            lines.add("bookmark=" + page.getMetadata().getBookmark());
            page.forEach(kv -> lines.add(kv.getKey() + "=" + kv.getStringValue()));
        }
        return Response.success(String.join("\n", lines));
    }

    private static Response find(final ChaincodeStub stub, final String objectType, final String... attributes) {
        final List<String> lines = new ArrayList<>();
        try (QueryResultsIterator<KeyValue> results = stub.getStateByPartialCompositeKey(objectType, attributes)) {
            for (final KeyValue kv : results) {
                final CompositeKey key = stub.splitCompositeKey(kv.getKey());
                lines.add(String.join("/", key.getAttributes()) + "=" + kv.getStringValue());
            }
        }
        return Response.success(String.join("\n", lines));
    }

    private static Response history(final ChaincodeStub stub, final String key) {
        final List<String> lines = new ArrayList<>();
        try (QueryResultsIterator<KeyModification> changes = stub.getHistoryForKey(key)) {
            changes.forEach(m -> lines.add(m.getTxId() + " " + m.isDeleted() + " " + m.getStringValue()));
        }
        return Response.success(String.join("\n", lines));
    }
}
