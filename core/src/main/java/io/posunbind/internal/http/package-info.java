/**
 * The workings of {@code io.posunbind.http}: the route table, the status of every error code, problem
 * documents, Accept-Language and the case query. Not exported; may change in any release.
 */
package io.posunbind.internal.http;
