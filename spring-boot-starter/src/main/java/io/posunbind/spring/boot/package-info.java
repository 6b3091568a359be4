/**
 * posunbind's Spring Boot auto-configuration, for Spring Boot 3.5 and 4.0: the {@code Unbinder} and its store,
 * keys, providers and worker ({@link io.posunbind.spring.boot.PosUnbindAutoConfiguration}), the HTTP endpoints
 * ({@link io.posunbind.spring.boot.PosUnbindWebAutoConfiguration}), the actuator health indicator
 * ({@link io.posunbind.spring.boot.PosUnbindHealthAutoConfiguration}) and Micrometer
 * ({@link io.posunbind.spring.boot.PosUnbindMicrometerAutoConfiguration}), set with the properties of
 * {@link io.posunbind.spring.boot.PosUnbindProperties}. Parameters and returns are non-null unless documented
 * otherwise.
 */
package io.posunbind.spring.boot;
