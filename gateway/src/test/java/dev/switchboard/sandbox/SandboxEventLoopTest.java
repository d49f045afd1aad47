package dev.switchboard.sandbox;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.support.Gateway;
import dev.switchboard.support.LogTail;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;

/**
 * The sandbox shares its process with the MCP endpoint, so it must never hold an event loop: the event loops that
 * serve MCP clients stay responsive while the sandbox imports a large batch of contacts.
 */
@QuarkusTest
class SandboxEventLoopTest {

    private static final String ACME = "/sandbox/v1/organizations/org_acme";
    /** Rows of one import: close to the contract's 2,000,000-character CSV limit. */
    private static final int ROWS = 40_000;

    @Inject
    Vertx vertx;

    @BeforeEach
    void reset() {
        Gateway.resetSandbox();
    }

    @Test
    void largeImportsLeaveTheEventLoopsFree() {
        LogTail log = LogTail.mark();
        // a timer on every event loop, each noting how late it fires: a held event loop makes its timers late
        AtomicLong worstLateMillis = new AtomicLong();
        List<Long> timers = new ArrayList<>();
        int eventLoops = 2 * Runtime.getRuntime().availableProcessors() + 4;
        for (int i = 0; i < eventLoops; i++) {
            long[] last = { System.nanoTime() };
            timers.add(vertx.setPeriodic(20, id -> {
                long now = System.nanoTime();
                long late = TimeUnit.NANOSECONDS.toMillis(now - last[0]) - 20;
                last[0] = now;
                worstLateMillis.accumulateAndGet(late, Math::max);
            }));
        }
        try {
            for (int round = 0; round < 1; round++) {
                String job = importContacts(round);
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> "succeeded".equals(
                        given().header("Authorization", "Bearer sbx_alice").get(ACME + "/jobs/" + job).then().statusCode(200)
                                .extract().path("status")));
                Integer created = given().header("Authorization", "Bearer sbx_alice").get(ACME + "/jobs/" + job).then()
                        .extract().path("result.created");
                assertThat(created).isEqualTo(ROWS);
            }
        } finally {
            timers.forEach(vertx::cancelTimer);
        }
        assertThat(log.lines()).as("Vert.x warnings about a blocked event loop")
                .noneMatch(line -> line.contains("vert.x-eventloop-thread") && line.contains("has been blocked"));
        assertThat(worstLateMillis.get()).as("how late the event loops ran a timer, in milliseconds").isLessThan(2_000);
    }

    private static String importContacts(int round) {
        StringBuilder csv = new StringBuilder("email,firstName,lastName\n");
        for (int i = 0; i < ROWS; i++) {
            csv.append("r").append(round).append('.').append(i).append("@bulk.example,Bulk,Row").append(i).append('\n');
        }
        return given().header("Authorization", "Bearer sbx_alice").contentType(ContentType.JSON)
                .body(Map.of("csv", csv.toString(), "dedupe", "skip")).post(ACME + "/contacts/imports")
                .then().statusCode(202).extract().path("id");
    }
}
