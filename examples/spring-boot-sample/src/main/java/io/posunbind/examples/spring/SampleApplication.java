package io.posunbind.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A back-office service that unbinds merchants' POS terminals: Spring Boot, Spring MVC and posunbind's starter.
 * It has no posunbind code of its own: the starter builds the unbinder, runs the worker and serves the case
 * commands under {@code /posunbind} (see {@code application.properties}).
 */
@SpringBootApplication
public class SampleApplication {

    /** Starts the service. */
    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
