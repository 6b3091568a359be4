/**
 * The case commands and the provider callbacks as JSON over HTTP, without any web framework: a host's
 * framework (Spring MVC, plain servlets, Vert.x, Quarkus, the JDK's {@code com.sun.net.httpserver}) turns
 * each request under its base path into an {@link io.posunbind.http.HttpCall}, passes it to
 * {@link io.posunbind.http.UnbindHttpApi#handle}, and writes the {@link io.posunbind.http.HttpAnswer}
 * back as it is. Every framework thus gives the same routes, statuses and RFC 9457 problem details; the
 * OpenAPI 3.1 description of the routes is the resource {@code io/posunbind/http/openapi.yaml}.
 *
 * <p>Null is not a value in this package.
 */
package io.posunbind.http;
