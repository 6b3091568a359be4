/**
 * A tamper-evident, signed audit trail of who did what, as PCI DSS requirement 10 asks, and the offline
 * verification of its evidence.
 *
 * <ul>
 *   <li>{@link io.posunbind.audit.AuditTrail} appends {@link io.posunbind.audit.AuditRecord}s built from
 *       {@link io.posunbind.audit.AuditEntry} drafts. Records form a SHA-256 hash chain; every N records
 *       or T elapsed a {@link io.posunbind.audit.Checkpoint} (sequence and chain head) is signed with
 *       Ed25519.</li>
 *   <li>{@link io.posunbind.audit.AuditStore} keeps records and checkpoints:
 *       {@link io.posunbind.audit.InMemoryAuditStore} for tests, {@link io.posunbind.audit.JdbcAuditStore}
 *       on H2 or PostgreSQL.</li>
 *   <li>{@link io.posunbind.audit.AuditKeyProvider} supplies the signing key and the public keys;
 *       {@link io.posunbind.audit.FileAuditKeyProvider} keeps them as PEM files and rotates them.</li>
 *   <li>{@link io.posunbind.audit.EvidenceBundle} is a case's evidence as JSON, and
 *       {@link io.posunbind.audit.AuditVerifier} checks a bundle or a whole log with public keys alone,
 *       reporting each {@link io.posunbind.audit.VerificationProblem} by position.</li>
 * </ul>
 *
 * <p>All cryptography is BouncyCastle's lightweight API (SHA-256, Ed25519); no JCE provider is registered.
 *
 * <p>Null is not a value in this package: parameters and return values are non-null unless typed
 * {@link java.util.Optional}. Text fields that do not apply are empty strings.
 */
package io.posunbind.audit;
