package io.posunbind.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.posunbind.http.UnbindHttpApi;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/** The case commands over HTTP in a Spring MVC application that sets posunbind.web.enabled=true. */
class PosUnbindWebAutoConfigurationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;

    private WebApplicationContextRunner webApplication() {
        return new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PosUnbindAutoConfiguration.class,
                        PosUnbindWebAutoConfiguration.class))
                .withPropertyValues("posunbind.store.directory=" + folder.resolve("data"),
                        "posunbind.providers.sandbox.backend=fresh", "posunbind.worker.enabled=false",
                        "posunbind.web.enabled=true");
    }

    @Test
    void aCaseOpenedOverHttpIsFoundUnderItsLocation() {
        webApplication().run(context -> {
            MockMvc http = MockMvcBuilders.webAppContextSetup(context).build();

            MockHttpServletResponse opened = http.perform(post("/posunbind/cases")
                    .contentType("application/json").content(requestJson())).andReturn().getResponse();

            assertEquals(201, opened.getStatus(), opened.getContentAsString());
            JsonNode snapshot = JSON.readTree(opened.getContentAsByteArray());
            String id = snapshot.get("id").asText();
            assertEquals("cases/" + id, opened.getHeader("Location"));
            MockHttpServletResponse found = http.perform(get("/posunbind/cases/" + id)).andReturn().getResponse();
            assertEquals(200, found.getStatus());
            assertEquals(snapshot.get("state"), JSON.readTree(found.getContentAsByteArray()).get("state"));
        });
    }

    @Test
    void anUnknownCaseIsAProblemDocumentWithOurCodeInTheRequestsLanguage() {
        webApplication().run(context -> {
            MockMvc http = MockMvcBuilders.webAppContextSetup(context).build();

            MockHttpServletResponse answer = http.perform(get("/posunbind/cases/no-such-case")
                    .header("Accept-Language", "zh-CN")).andReturn().getResponse();

            assertEquals(404, answer.getStatus());
            assertTrue(answer.getContentType().startsWith("application/problem+json"), answer.getContentType());
            JsonNode problem = JSON.readTree(answer.getContentAsByteArray());
            assertTrue(problem.get("code").asText().startsWith("UNB-"), problem.toString());
            assertTrue(problem.toString().codePoints().anyMatch(c -> Character.UnicodeScript.of(c)
                    == Character.UnicodeScript.HAN), "answered in Chinese: " + problem);
        });
    }

    @Test
    void aBodyOverTheConfiguredLimitIsRefusedWith413() {
        webApplication().withPropertyValues("posunbind.web.max-body-bytes=100").run(context -> {
            MockMvc http = MockMvcBuilders.webAppContextSetup(context).build();

            MockHttpServletResponse answer = http.perform(post("/posunbind/cases")
                    .contentType("application/json").content(requestJson())).andReturn().getResponse();

            assertEquals(413, answer.getStatus());
        });
    }

    @Test
    void aFleetFileLargerThanTheOrdinaryLimitIsTakenUpToTheBatchLimit() {
        // Every row names a provider this application lacks, so each is refused by number: the last row's
        // number in the answer shows the file was read whole, not cut at the ordinary limit.
        StringBuilder csv = new StringBuilder("provider,merchant_number,terminal_serial,reason,bindings\n");
        int rows = 0;
        while (csv.length() <= 300) {
            rows++;
            csv.append("nowhere,M00000000").append(rows % 10).append(",SN0000000").append(rows % 10)
                    .append(",DEVICE_FAULTY,DEVICE\n");
        }
        String lastRow = "\"row\":" + rows + ",";
        webApplication().withPropertyValues("posunbind.web.max-body-bytes=100",
                "posunbind.web.max-batch-body-bytes=100000").run(context -> {
            MockMvc http = MockMvcBuilders.webAppContextSetup(context).build();

            MockHttpServletResponse answer = http.perform(post("/posunbind/batches?batchId=fleet-1&actorId=ops-1&actorRole=OPERATOR")
                    .contentType("text/csv").content(csv.toString())).andReturn().getResponse();

            String problems = answer.getContentAsString(StandardCharsets.UTF_8);
            assertEquals(422, answer.getStatus(), problems);
            assertTrue(problems.contains(lastRow), "read whole and judged by its rows: " + problems);
        });
        webApplication().withPropertyValues("posunbind.web.max-batch-body-bytes=200").run(context -> {
            MockMvc http = MockMvcBuilders.webAppContextSetup(context).build();

            MockHttpServletResponse answer = http.perform(post("/posunbind/batches?batchId=fleet-1&actorId=ops-1&actorRole=OPERATOR")
                    .contentType("text/csv").content(csv.toString())).andReturn().getResponse();

            assertEquals(413, answer.getStatus());
        });
    }

    @Test
    void theOpenApiDescriptionIsServedBesideTheRoutesUnderTheConfiguredBasePath() {
        webApplication().withPropertyValues("posunbind.web.base-path=/back-office/unbind/").run(context -> {
            MockMvc http = MockMvcBuilders.webAppContextSetup(context).build();

            MockHttpServletResponse description = http.perform(get("/back-office/unbind/openapi.yaml"))
                    .andReturn().getResponse();

            assertEquals(200, description.getStatus());
            assertTrue(description.getContentType().startsWith("application/yaml"));
            assertEquals(UnbindHttpApi.openApiYaml(), description.getContentAsString(
                    StandardCharsets.UTF_8));
            assertEquals(404, http.perform(get("/posunbind/openapi.yaml")).andReturn().getResponse().getStatus());
        });
    }

    @Test
    void aServiceOfItsOwnServesTheRoutesAtTheRoot() {
        webApplication().withPropertyValues("posunbind.web.base-path=/").run(context -> {
            MockMvc http = MockMvcBuilders.webAppContextSetup(context).build();

            MockHttpServletResponse opened = http.perform(post("/cases")
                    .contentType("application/json").content(requestJson())).andReturn().getResponse();

            assertEquals(201, opened.getStatus(), opened.getContentAsString());
            assertEquals(200, http.perform(get("/openapi.yaml")).andReturn().getResponse().getStatus());
        });
    }

    @Test
    void withoutThePropertyOrOutsideAWebApplicationNoEndpointIsServed() {
        webApplication().withPropertyValues("posunbind.web.enabled=false").run(context ->
                assertTrue(context.getBeansOfType(UnbindHttpHandler.class).isEmpty()));
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PosUnbindAutoConfiguration.class,
                        PosUnbindWebAutoConfiguration.class))
                .withPropertyValues("posunbind.store.directory=" + folder.resolve("plain"),
                        "posunbind.worker.enabled=false", "posunbind.web.enabled=true")
                .run(context -> {
                    assertNull(context.getStartupFailure());
                    assertTrue(context.getBeansOfType(UnbindHttpHandler.class).isEmpty());
                });
    }

    static String requestJson() throws IOException {
        try (InputStream in = PosUnbindWebAutoConfigurationTest.class
                .getResourceAsStream("sandbox-device-unbind.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
