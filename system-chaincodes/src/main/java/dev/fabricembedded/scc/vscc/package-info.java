/**
 * Validation (VSCC): the {@link dev.fabricembedded.scc.vscc.ValidationPlugin} contract and its typed result, Fabric
 * 1.4's {@link dev.fabricembedded.scc.vscc.DefaultValidation} (v1.2 rules: endorsement policy over de-duplicated
 * endorsements), the LSCC write-set rules for deploy/upgrade
 * ({@link dev.fabricembedded.scc.vscc.LsccInvocationValidator}) and the registry of plugins by name.
 *
 * <p>Threads: everything here is stateless; the committer calls it from its validation workers in parallel, and the
 * {@link dev.fabricembedded.scc.vscc.StateReader} it passes must be thread-safe.
 */
package dev.fabricembedded.scc.vscc;
