package dev.switchboard.workspace;

import static dev.switchboard.support.Calls.call;
import static dev.switchboard.support.Gateway.text;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.support.Gateway;
import dev.switchboard.support.ResilienceProfile;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkiverse.mcp.server.test.McpAssured.McpStreamableTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * 300 sends under about 20 % injected failures (errors after the send happened, dropped connections, answers slower
 * than the timeout). A client that believes what it is told, and retries with the idempotency key it is given when
 * told the send may have happened, ends with every message sent exactly once.
 */
@QuarkusTest
@TestProfile(ResilienceProfile.class)
class ExactlyOnceTest {

    private static final int SENDS = 300;
    /** Clients sending at once: as many as the profile's bulkhead holds (2 running, 1 waiting), none refused by it. */
    private static final int CLIENTS = 3;
    private static final Pattern KEY = Pattern.compile("idempotencyKey \"([^\"]+)\"");

    @Inject
    CircuitBreakerMaintenance circuitBreakers;

    @AfterEach
    void noFaults() {
        Gateway.clearFaults();
    }

    @Test
    void everySendHappensExactlyOnce() throws Exception {
        Gateway.resetSandbox();
        circuitBreakers.resetAll();
        Gateway.fault(Map.of("operation", "inbox_send_message", "probability", 0.10, "status", 502, "phase", "AFTER"));
        Gateway.fault(Map.of("operation", "inbox_send_message", "probability", 0.055, "drop", true, "phase", "AFTER"));
        Gateway.fault(Map.of("operation", "inbox_send_message", "probability", 0.06, "latencyMs", 1500));

        AtomicInteger toldMayHaveHappened = new AtomicInteger();
        AtomicInteger toldNotDone = new AtomicInteger();
        Map<String, Integer> attempts = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        CompletionService<Void> finished = new ExecutorCompletionService<>(pool);
        for (int w = 0; w < CLIENTS; w++) {
            int worker = w;
            finished.submit(() -> {
                McpStreamableTestClient client = Gateway.streamable(Gateway.ALICE);
                try {
                    for (int i = worker; i < SENDS; i += CLIENTS) {
                        String subject = String.format("exactly-once %04d", i);
                        String key = null;
                        for (int attempt = 1;; attempt++) {
                            Map<String, Object> arguments = new HashMap<>(Map.of("accountId", "sales@acme.test",
                                    "to", List.of("ledger@example.com"), "subject", subject, "body", "Send " + i));
                            if (key != null) {
                                arguments.put("idempotencyKey", key);
                            }
                            ToolResponse response = call(client, "inbox_send_message", arguments);
                            attempts.put(subject, attempt);
                            if (!response.isError()) {
                                break;
                            }
                            String message = text(response);
                            Matcher matcher = KEY.matcher(message);
                            if (matcher.find()) {
                                toldMayHaveHappened.incrementAndGet();
                                key = matcher.group(1);
                            } else {
                                assertThat(message).contains("was not carried out");
                                toldNotDone.incrementAndGet();
                                Thread.sleep(300);
                            }
                            assertThat(attempt).as("attempts for %s", subject).isLessThan(20);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    client.disconnect();
                }
                return null;
            });
        }
        try {
            for (int done = 0; done < CLIENTS; done++) {
                finished.take().get(); // in the order they end: the first failure stops the others at once
            }
        } finally {
            pool.shutdownNow(); // no sends run on into the next test class
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
        Gateway.clearFaults();
        Thread.sleep(1700); // a send delayed past its timeout acts up to 1.5 s later: let it land before counting

        Map<String, Integer> sent = new HashMap<>();
        String cursor = null;
        do {
            ValidatableResponse page = given().header("Authorization", "Bearer " + Gateway.ALICE).queryParam("limit", 100)
                    .queryParam("folder", "sent").queryParams(cursor == null ? Map.of() : Map.of("cursor", cursor))
                    .get("/sandbox/v1/organizations/org_acme/inbox/accounts/sales@acme.test/threads/filter").then().statusCode(200);
            for (String subject : page.extract().jsonPath().<String> getList("threads.subject")) {
                if (subject.startsWith("exactly-once ")) {
                    sent.merge(subject, 1, Integer::sum);
                }
            }
            cursor = page.extract().path("nextCursor");
        } while (cursor != null);

        assertThat(sent).hasSize(SENDS);
        assertThat(sent.values()).as("every send exactly once").containsOnly(1);
        assertThat(toldMayHaveHappened.get()).as("faults reached the client as 'may have happened'").isPositive();
        System.out.printf("exactly-once: %d sends, %d retried after 'may have happened', %d after 'not carried out', "
                + "%d needed more than one call%n", SENDS, toldMayHaveHappened.get(), toldNotDone.get(),
                attempts.values().stream().filter(a -> a > 1).count());
    }
}
