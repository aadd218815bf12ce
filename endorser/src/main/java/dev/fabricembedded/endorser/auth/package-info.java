/**
 * Auth filters: checks run on every proposal before the endorser (Fabric's {@code core/handlers/auth/filter}).
 * {@link dev.fabricembedded.endorser.auth.ExpirationCheck} refuses creators whose certificate has expired, the one
 * expiry check on Fabric's endorsement path.
 *
 * <p>Filters hold no per-request state and are called concurrently from the client threads that call
 * {@code Endorser.processProposal}; {@code ExpirationCheck}'s expiry cache is a concurrent map.
 */
package dev.fabricembedded.endorser.auth;
