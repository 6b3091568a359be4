/** Provider discovery with {@link java.util.ServiceLoader}. Internal: not exported. */
package io.posunbind.internal.provider;
