/**
 * The offline verifier of audit evidence as a command: {@link io.posunbind.examples.audit.VerifyEvidence}.
 */
package io.posunbind.examples.audit;
