/** The planner: which steps a case needs, in which order. Internal: not exported. */
package io.posunbind.internal.plan;
