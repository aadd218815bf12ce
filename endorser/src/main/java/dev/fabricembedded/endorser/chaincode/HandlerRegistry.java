package dev.fabricembedded.endorser.chaincode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The chaincodes being launched and the handlers registered under their {@code name:version} (Fabric's
 * {@code HandlerRegistry}). It enforces the two registration rules: one handler per name, and in net mode only a
 * chaincode that is being launched may register.
 *
 * <p>Launch states and handlers are removed only by the launch or the handler they belong to (identity-checked), so
 * that a chaincode that ended cannot remove the state of its own relaunch. All methods are synchronized: they are
 * short, and called from the transactions' threads, the handlers' event-loop threads and the launch threads.
 */
final class HandlerRegistry {

    /** The result of {@link #launching}: the state to wait on, and whether somebody else owns the launch. */
    record Launching(LaunchState state, boolean alreadyStarted) {
    }

    private final boolean allowUnsolicitedRegistration;
    private final Map<String, Handler> handlers = new HashMap<>();
    private final Map<String, LaunchState> launching = new HashMap<>();

    HandlerRegistry(final boolean allowUnsolicitedRegistration) {
        this.allowUnsolicitedRegistration = allowUnsolicitedRegistration;
    }

    /**
     * The launch state of {@code cname}: the existing one (with {@code alreadyStarted}) when a launch is under way or
     * a handler is registered, otherwise a new one that the caller must drive to completion.
     */
    synchronized Launching launching(final String cname) {
        final LaunchState existing = launching.get(cname);
        if (existing != null) {
            return new Launching(existing, true);
        }
        final LaunchState state = new LaunchState();
        launching.put(cname, state);
        if (handlers.containsKey(cname)) {
            // registered in dev mode without a launch: nothing to start
            state.notify(null);
            return new Launching(state, true);
        }
        return new Launching(state, false);
    }

    /** The handler registered under {@code cname}, or null. */
    synchronized Handler handler(final String cname) {
        return handlers.get(cname);
    }

    /**
     * Registers a handler under its chaincode's name.
     *
     * @throws ChaincodeException {@code duplicate chaincodeID: <name>}, or
     *                            {@code peer will not accept external chaincode connection <name> (except in dev mode)}
     */
    synchronized void register(final String cname, final Handler handler) throws ChaincodeException {
        if (handlers.containsKey(cname)) {
            throw new ChaincodeException("duplicate chaincodeID: " + cname);
        }
        if (!launching.containsKey(cname) && !allowUnsolicitedRegistration) {
            throw new ChaincodeException("peer will not accept external chaincode connection " + cname
                    + " (except in dev mode)");
        }
        handlers.put(cname, handler);
    }

    /** The chaincode registered and is ready: its launch succeeded. */
    synchronized void ready(final String cname) {
        final LaunchState state = launching.get(cname);
        if (state != null) {
            state.notify(null);
        }
    }

    /** Registering {@code cname} failed: its launch, if one is under way, fails with {@code error}. */
    synchronized void failed(final String cname, final String error) {
        final LaunchState state = launching.get(cname);
        if (state != null) {
            state.notify(error);
        }
    }

    /** Removes a handler whose stream ended, with the launch state of its name (Fabric's {@code Deregister}). */
    synchronized void deregister(final String cname, final Handler handler) {
        if (handlers.remove(cname, handler)) {
            launching.remove(cname);
        }
    }

    /** Removes a failed launch, and the handler registered under it if any. */
    synchronized Handler deregisterLaunch(final String cname, final LaunchState state) {
        if (launching.remove(cname, state)) {
            return handlers.remove(cname);
        }
        return null;
    }

    /** Every registered handler. */
    synchronized List<Handler> handlers() {
        return new ArrayList<>(handlers.values());
    }
}
