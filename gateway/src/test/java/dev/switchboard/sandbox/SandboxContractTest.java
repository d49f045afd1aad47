package dev.switchboard.sandbox;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.switchboard.support.Gateway;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * The sandbox implements the Workspace API contract: every answer is checked against the contract's response
 * schemas (sandbox.validate-responses is on in tests, a mismatch answers 500), so a 2xx here also means "conforms".
 */
@QuarkusTest
class SandboxContractTest {

    private static final String ACME = "/sandbox/v1/organizations/org_acme";

    @BeforeEach
    void reset() {
        Gateway.resetSandbox();
    }

    @AfterEach
    void noFaults() {
        Gateway.clearFaults();
    }

    private static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    // ------------------------------------------------------------------ keys and organizations

    @ParameterizedTest
    @CsvSource({ "sbx_alice,user,org_acme", "sbx_bob,user,org_globex", "sbx_agency,user,org_acme",
            "sbx_legacy_initech,legacy,org_initech" })
    void whoamiDescribesEachKeyKind(String key, String kind, String defaultOrganization) {
        as(key).get("/sandbox/v1/auth/whoami").then().statusCode(200).body("kind", equalTo(kind))
                .body("defaultOrganizationId", equalTo(defaultOrganization));
        as("sbx_master").get("/sandbox/v1/auth/whoami").then().statusCode(200).body("kind", equalTo("master"))
                .body("agencyIds", hasItem("agency_northwind"));
    }

    @Test
    void unknownRevokedAndMissingKeysAreRefused() {
        as("sbx_revoked").get("/sandbox/v1/auth/whoami").then().statusCode(401).body("code", equalTo("unauthorized"))
                .body("message", containsString("invalid or expired API key"));
        as("sbx_nobody").get(ACME + "/contacts").then().statusCode(401);
        given().get(ACME + "/contacts").then().statusCode(401).body("message", containsString("Authorization: Bearer"));
    }

    /** Every key reaches exactly its organizations: 200 inside, 403 outside. */
    @ParameterizedTest
    @CsvSource({
            "sbx_alice,org_acme,200", "sbx_alice,org_globex,200", "sbx_alice,org_initech,403",
            "sbx_bob,org_acme,403", "sbx_bob,org_globex,200", "sbx_bob,org_initech,403",
            "sbx_agency,org_acme,200", "sbx_agency,org_globex,200", "sbx_agency,org_initech,403",
            "sbx_legacy_initech,org_acme,403", "sbx_legacy_initech,org_globex,403", "sbx_legacy_initech,org_initech,200",
            "sbx_master,org_acme,200", "sbx_master,org_globex,200", "sbx_master,org_initech,200" })
    void accessRulesOfEveryKeyKind(String key, String organization, int status) {
        as(key).get("/sandbox/v1/organizations/" + organization).then().statusCode(status);
        as(key).get("/sandbox/v1/organizations/" + organization + "/contacts?limit=1").then().statusCode(status);
        as(key).body(Map.of("email", "probe@example.com")).post("/sandbox/v1/organizations/" + organization + "/contacts")
                .then().statusCode(status == 200 ? 201 : status);
    }

    @Test
    void organizationsAreListedOldestFirstAndOtherOrganizationsResourcesAreNotFound() {
        as("sbx_master").get("/sandbox/v1/organizations").then().statusCode(200)
                .body("items.id", equalTo(List.of("org_acme", "org_globex", "org_initech")));
        as("sbx_alice").get("/sandbox/v1/organizations").then().body("items.id", equalTo(List.of("org_acme", "org_globex")));
        as("sbx_master").get("/sandbox/v1/organizations/org_globex/contacts/ct_acme_0001").then().statusCode(404)
                .body("code", equalTo("not_found"));
        as("sbx_master").get("/sandbox/v1/organizations/org_nowhere").then().statusCode(404);
    }

    // ------------------------------------------------------------------ every read answers and conforms

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/agents|items", "/agents/ag_acme_0001|id", "/agents/ag_acme_0001/tools|items", "/agents/ag_acme_0001/files|items",
            "/contacts?limit=100|items", "/contacts/ct_acme_0001|id", "/contact-fields|items", "/contacts/duplicates|items",
            "/conversations|items", "/contacts/ct_acme_0002/conversations|items", "/calls/call_acme_0001|id",
            "/transcripts|items", "/transcripts/tr_acme_0001|segments", "/transcripts/tr_acme_0001/download?format=json|content",
            "/workflows|items", "/workflows/wf_acme_0001|steps", "/workflows/wf_acme_0001/enrollments|items",
            "/campaigns|items", "/campaigns/cmp_acme_0003|id", "/campaigns/cmp_acme_0003/stats|delivered",
            "/campaign-senders|items", "/segments|items", "/pipelines|items", "/opportunities?limit=100|items",
            "/opportunities/opp_acme_0001|id", "/tools|items", "/tools/tl_acme_0001/config|settings",
            "/tools/tl_acme_0001/logs|items", "/inbox/accounts|accounts", "/inbox/accounts/sales@acme.test/threads|threads",
            "/inbox/accounts/sales@acme.test/threads/search?query=invoice|threads",
            "/inbox/accounts/sales@acme.test/threads/filter?folder=starred|threads",
            "/inbox/accounts/sales@acme.test/threads/th_acme_sales_001|messages",
            "/inbox/accounts/sales@acme.test/labels?includeCounts=true|labels",
            "/inbox/accounts/sales@acme.test/contacts|contacts", "/inbox/accounts/sales@acme.test/profile|historyId",
            "/analytics/summary?period=monthly|buckets", "/analytics/overview|visitors", "/analytics/top-pages|items",
            "/analytics/top-referrers|items", "/tracking-clients|items", "/insights|items", "/insights/rep_acme_0001|evidence" })
    void everyReadAnswers(String path, String field) {
        as("sbx_alice").get(ACME + path).then().statusCode(200).body(field, notNullValue());
    }

    @Test
    void seedVolumesAreThoseTheReadmeDocuments() {
        as("sbx_alice").get(ACME + "/contacts?limit=100").then().body("items", hasSize(100));
        assertThat(countAll(ACME + "/contacts")).isEqualTo(250);
        as("sbx_alice").get(ACME + "/contacts/duplicates").then().body("items.size()", greaterThanOrEqualTo(3));
        as("sbx_alice").get(ACME + "/contact-fields").then().body("items", hasSize(5));
        assertThat(countAll(ACME + "/inbox/accounts/sales@acme.test/threads", "threads")).isEqualTo(40);
        as("sbx_alice").get(ACME + "/inbox/accounts/sales@acme.test/threads/search?query=invoice OR receipt&limit=100")
                .then().body("threads.size()", greaterThanOrEqualTo(6));
        as("sbx_alice").get(ACME + "/inbox/accounts/sales@acme.test/threads/search?unreadOnly=true&limit=100")
                .then().body("threads", hasSize(10));
        as("sbx_alice").get(ACME + "/agents").then().body("items", hasSize(3));
        as("sbx_alice").get(ACME + "/campaigns").then().body("items.status",
                org.hamcrest.Matchers.containsInAnyOrder("draft", "scheduled", "sent", "sending"));
        as("sbx_alice").get(ACME + "/pipelines").then().body("items", hasSize(2));
        assertThat(countAll(ACME + "/opportunities")).isEqualTo(30);
        assertThat(countAll(ACME + "/transcripts")).isEqualTo(12);
        as("sbx_alice").get(ACME + "/insights").then().body("items", hasSize(5));
        as("sbx_alice").get(ACME + "/analytics/summary?period=daily&from=" + java.time.LocalDate.now().minusDays(90)
                + "&to=" + java.time.LocalDate.now().minusDays(1)).then().statusCode(200).body("buckets", hasSize(90));
        as("sbx_legacy_initech").get("/sandbox/v1/organizations/org_initech/inbox/accounts").then().body("accounts", hasSize(0));
    }

    private static int countAll(String path) {
        return countAll(path, "items");
    }

    /** Every element of a paginated list, following nextCursor; listField names the answer's array. */
    private static int countAll(String path, String listField) {
        int total = 0;
        String cursor = null;
        do {
            ValidatableResponse page = as("sbx_alice").queryParam("limit", 100)
                    .queryParams(cursor == null ? Map.of() : Map.of("cursor", cursor)).get(path).then().statusCode(200);
            total += page.extract().jsonPath().getList(listField).size();
            cursor = page.extract().path("nextCursor");
        } while (cursor != null);
        return total;
    }

    // ------------------------------------------------------------------ writes change state; errors name the field

    @Test
    void contactsLifecycle() {
        String id = as("sbx_alice").body(Map.of("email", "new.person@example.com", "firstName", "New", "tags", List.of("lead"),
                "customFields", Map.of("lifecycle", "lead", "score", 40))).post(ACME + "/contacts")
                .then().statusCode(201).body("email", equalTo("new.person@example.com")).extract().path("id");
        as("sbx_alice").body(Map.of("company", "Initrode", "customFields", Map.of("vip", true)))
                .patch(ACME + "/contacts/" + id).then().statusCode(200).body("company", equalTo("Initrode"))
                .body("customFields.score", equalTo(40)).body("customFields.vip", equalTo(true));
        as("sbx_alice").get(ACME + "/contacts?email=new.person@example.com").then().body("items.id", equalTo(List.of(id)));
        as("sbx_alice").delete(ACME + "/contacts/" + id).then().statusCode(200).body("deleted", equalTo(true));
        as("sbx_alice").get(ACME + "/contacts/" + id).then().statusCode(404);
    }

    @Test
    void validationErrorsNameTheField() {
        as("sbx_alice").body(Map.of("firstName", "Nobody")).post(ACME + "/contacts").then().statusCode(422)
                .body("code", equalTo("validation_failed")).body("message", containsString("email, phone"));
        as("sbx_alice").body(Map.of("email", "a@b.example", "customFields", Map.of("lifecycle", "alien")))
                .post(ACME + "/contacts").then().statusCode(422)
                .body("details.fields[0].field", equalTo("customFields.lifecycle"))
                .body("details.fields[0].allowed", hasItem("customer"));
        as("sbx_alice").get(ACME + "/contacts?limit=0").then().statusCode(422).body("details.fields[0].field", equalTo("limit"));
        as("sbx_alice").get(ACME + "/contacts?limit=many").then().statusCode(422).body("message", containsString("whole number"));
        as("sbx_alice").body("{not json").post(ACME + "/contacts").then().statusCode(400).body("code", equalTo("invalid_request"));
        as("sbx_alice").get(ACME + "/contacts?cursor=garbage").then().statusCode(422).body("details.fields[0].field", equalTo("cursor"));
        as("sbx_alice").get(ACME + "/contacts/not-an-id").then().statusCode(404);
    }

    @Test
    void inboxSendAppearsInItsThreadAndLabelsStick() {
        String thread = ACME + "/inbox/accounts/sales@acme.test/threads/th_acme_sales_002";
        int before = as("sbx_alice").get(thread).then().extract().jsonPath().getList("messages").size();
        as("sbx_alice").body(Map.of("to", List.of("receipts@cloudhost.example"), "body", "Thanks, received.",
                "threadId", "th_acme_sales_002")).post(ACME + "/inbox/accounts/sales@acme.test/messages")
                .then().statusCode(201).body("subject", containsString("Re:"));
        as("sbx_alice").get(thread).then().body("messages", hasSize(before + 1)).body("labelIds", hasItem("SENT"));
        as("sbx_alice").body(Map.of("addLabelIds", List.of("Label_invoice"), "removeLabelIds", List.of("UNREAD")))
                .post(thread + "/labels").then().statusCode(200).body("labelIds", hasItem("Label_invoice"))
                .body("unread", equalTo(false));
        as("sbx_alice").body(Map.of("addLabelIds", List.of("Label_nope"))).post(thread + "/labels").then().statusCode(422)
                .body("message", containsString("Label_invoice")).body("details.labels", hasItem("INBOX"));
        as("sbx_alice").body(Map.of("action", "archive")).post(thread + "/actions").then().statusCode(200)
                .body("archived", equalTo(true)).body("labelIds", not(hasItem("INBOX")));
    }

    @Test
    void imapMailboxesRefuseGmailFeaturesAndMailboxlessOrganizationsSayWhy() {
        as("sbx_alice").get(ACME + "/inbox/accounts/support@acme.test/labels").then().statusCode(422)
                .body("code", equalTo("unsupported_mailbox")).body("message", containsString("sales@acme.test"));
        as("sbx_alice").get(ACME + "/inbox/accounts/nobody@acme.test/threads").then().statusCode(404)
                .body("details.mailboxes", hasItem("support@acme.test"));
        as("sbx_legacy_initech").get("/sandbox/v1/organizations/org_initech/inbox/accounts/x@initech.test/threads")
                .then().statusCode(404).body("message", containsString("no mailbox"));
    }

    @Test
    void crmCampaignsWorkflowsAndToolsEnforceTheirRules() {
        as("sbx_alice").body(Map.of("name", "Deal", "pipelineId", "pl_acme_0001", "stageId", "stg_acme_0005", "value", 1000))
                .post(ACME + "/opportunities").then().statusCode(422).body("details.fields[0].field", equalTo("stageId"));
        as("sbx_alice").post(ACME + "/campaigns/cmp_acme_0003/sends").then().statusCode(409)
                .body("message", containsString("only draft and scheduled"));
        as("sbx_alice").post(ACME + "/workflows/wf_acme_0003/runs").then().statusCode(409).body("message", containsString("activate"));
        as("sbx_alice").body(Map.of("input", Map.of("orderNumber", "12"))).post(ACME + "/tools/tl_acme_0001/runs")
                .then().statusCode(422).body("details.fields[0].field", equalTo("input.orderNumber"));
        as("sbx_alice").body(Map.of("input", Map.of("orderNumber", "ORD-12345"))).post(ACME + "/tools/tl_acme_0001/runs")
                .then().statusCode(200).body("status", equalTo("succeeded"));
        as("sbx_alice").get(ACME + "/tools/tl_acme_0001/config").then().body("settings.apiKey", equalTo("********"));
        as("sbx_alice").body(Map.of("agentId", "ag_acme_0003", "phone", "+14155550100")).post(ACME + "/calls").then()
                .statusCode(409).body("message", containsString("paused"));
    }

    @Test
    void agentFilesTakeBase64Once() {
        String files = ACME + "/agents/ag_acme_0001/files";
        as("sbx_alice").body(Map.of("name", "hello.txt", "mediaType", "text/plain", "contentBase64", "aGVsbG8="))
                .post(files).then().statusCode(201).body("sizeBytes", equalTo(5)).body("name", equalTo("hello.txt"));
        // base64 of the text "aGVsbG8=" is an 8-byte file, not "hello" decoded twice
        as("sbx_alice").body(Map.of("name", "encoded.txt", "mediaType", "text/plain", "contentBase64", "YUdWc2JHOD0="))
                .post(files).then().statusCode(201).body("sizeBytes", equalTo(8));
        as("sbx_alice").body(Map.of("name", "bad.txt", "mediaType", "text/plain", "contentBase64", "not base64!"))
                .post(files).then().statusCode(422).body("details.fields[0].field", equalTo("contentBase64"))
                .body("message", containsString("aGVsbG8="));
    }

    /** A JSON number in scientific notation, such as 7.4E+4, anywhere in a body. */
    private static final java.util.regex.Pattern EXPONENT = java.util.regex.Pattern.compile("[:\\[,]\\s*-?[0-9.]+[eE][+-]?[0-9]+");

    @Test
    void moneyAndCountsArePlainDecimals() {
        String opportunities = as("sbx_alice").get(ACME + "/opportunities?limit=100").then().statusCode(200).extract().asString();
        assertThat(opportunities).doesNotContainPattern(EXPONENT).containsPattern("\"value\":[0-9]+000[,}]");
        for (String path : List.of("/analytics/overview", "/analytics/summary", "/campaigns/cmp_acme_0003/stats",
                "/pipelines", "/insights/rep_acme_0001")) {
            assertThat(as("sbx_alice").get(ACME + path).then().statusCode(200).extract().asString()).as(path)
                    .doesNotContainPattern(EXPONENT);
        }
        StringBuilder csv = new StringBuilder("email\n");
        for (int i = 0; i < 1000; i++) {
            csv.append("plain").append(i).append("@numbers.example\n");
        }
        String job = as("sbx_alice").body(Map.of("csv", csv.toString())).post(ACME + "/contacts/imports").then().statusCode(202)
                .extract().path("id");
        await().atMost(Duration.ofMinutes(1)).until(() -> "succeeded".equals(
                as("sbx_alice").get(ACME + "/jobs/" + job).then().extract().path("status")));
        assertThat(as("sbx_alice").get(ACME + "/jobs/" + job).then().extract().asString())
                .doesNotContainPattern(EXPONENT).contains("\"total\":1000").contains("\"progress\":1000");
    }

    // ------------------------------------------------------------------ idempotency

    @Test
    void idempotencyKeyReplaysTheFirstAnswerAndRefusesAnotherBody() {
        Map<String, Object> body = Map.of("to", "+14155550199", "body", "Hello once");
        String first = as("sbx_alice").header("Idempotency-Key", "test-key-0001").body(body).post(ACME + "/messages/sms")
                .then().statusCode(201).extract().asString();
        String again = as("sbx_alice").header("Idempotency-Key", "test-key-0001").body(body).post(ACME + "/messages/sms")
                .then().statusCode(201).header("Idempotent-Replayed", "true").extract().asString();
        assertThat(again).isEqualTo(first);
        as("sbx_alice").header("Idempotency-Key", "test-key-0001").body(Map.of("to", "+14155550199", "body", "Other"))
                .post(ACME + "/messages/sms").then().statusCode(409).body("code", equalTo("idempotency_key_reused"));
        // the message exists once
        String conversation = io.restassured.path.json.JsonPath.from(first).getString("conversationId");
        as("sbx_alice").get(ACME + "/conversations?limit=100").then()
                .body("items.find { it.id == '" + conversation + "' }.messageCount", equalTo(1));
        // another key of the same person is another scope
        as("sbx_master").header("Idempotency-Key", "test-key-0001").body(body).post(ACME + "/messages/sms")
                .then().statusCode(201).header("Idempotent-Replayed", org.hamcrest.Matchers.nullValue());
        as("sbx_alice").header("Idempotency-Key", "bad key!").body(body).post(ACME + "/messages/sms").then().statusCode(422)
                .body("details.fields[0].field", equalTo("Idempotency-Key"));
    }

    // ------------------------------------------------------------------ jobs

    @Test
    void aJobProgressesToItsResultAndChangesState() {
        String job = as("sbx_alice").post(ACME + "/campaigns/cmp_acme_0001/sends").then().statusCode(202)
                .body("status", equalTo("queued")).extract().path("id");
        List<Double> progress = new ArrayList<>();
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50)).until(() -> {
            ValidatableResponse state = as("sbx_alice").get(ACME + "/jobs/" + job).then().statusCode(200);
            progress.add(state.extract().<Number> path("progress").doubleValue());
            return state.extract().path("status").equals("succeeded");
        });
        assertThat(progress).isSorted().contains(4.0);
        as("sbx_alice").get(ACME + "/jobs/" + job).then().body("result.campaignId", equalTo("cmp_acme_0001"))
                .body("result.recipients", greaterThanOrEqualTo(1));
        as("sbx_alice").get(ACME + "/campaigns/cmp_acme_0001").then().body("status", equalTo("sent"));
        as("sbx_alice").get(ACME + "/campaigns/cmp_acme_0001/stats").then().body("delivered", greaterThanOrEqualTo(1));
        as("sbx_alice").delete(ACME + "/jobs/" + job).then().statusCode(409);
    }

    @Test
    void aCancelledJobStopsAndSaysSo() {
        String job = as("sbx_alice").body(Map.of("agentId", "ag_acme_0001", "contactId", "ct_acme_0001"))
                .post(ACME + "/calls").then().statusCode(202).extract().path("id");
        as("sbx_alice").delete(ACME + "/jobs/" + job).then().statusCode(200).body("status", equalTo("cancelled"));
        as("sbx_alice").get(ACME + "/calls/call_acme_0013").then().body("status", equalTo("cancelled"));
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofMinutes(1)).untilAsserted(() ->
                as("sbx_alice").get(ACME + "/jobs/" + job).then().body("status", equalTo("cancelled")));
    }

    // ------------------------------------------------------------------ concurrency

    @Test
    void fiftyConcurrentWritersLoseNothing() throws Exception {
        int before = countAll(ACME + "/contacts");
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<Future<String>> created = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int n = i;
                created.add(pool.submit(() -> as("sbx_alice").body(Map.of("email", "writer" + n + "@example.com"))
                        .post(ACME + "/contacts").then().statusCode(201).extract().<String> path("id")));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> future : created) {
                ids.add(future.get());
            }
            assertThat(ids).doesNotHaveDuplicates();
            // and 50 concurrent enrollments into one workflow all land
            List<Future<Integer>> enrolled = new ArrayList<>();
            for (String id : ids) {
                enrolled.add(pool.submit(() -> as("sbx_alice").body(Map.of("contactIds", List.of(id)))
                        .post(ACME + "/workflows/wf_acme_0002/enrollments").then().statusCode(200)
                        .extract().jsonPath().getList("added").size()));
            }
            for (Future<Integer> future : enrolled) {
                assertThat(future.get()).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(countAll(ACME + "/contacts")).isEqualTo(before + 50);
        as("sbx_alice").get(ACME + "/workflows/wf_acme_0002").then().body("enrollmentCount", equalTo(56));
    }

    // ------------------------------------------------------------------ fault injection

    @Test
    void faultsCanBeSwitchedOnAndOffAtRunTime() {
        Gateway.fault(Map.of("operation", "agents_list", "probability", 1.0, "status", 503, "retryAfterSeconds", 2));
        as("sbx_alice").get(ACME + "/agents").then().statusCode(503).header("Retry-After", "2");
        as("sbx_alice").get(ACME + "/contacts?limit=1").then().statusCode(200);
        Gateway.clearFaults();
        as("sbx_alice").get(ACME + "/agents").then().statusCode(200);

        Gateway.fault(Map.of("operation", "agents_list", "probability", 1.0, "latencyMs", 400));
        long started = System.nanoTime();
        as("sbx_alice").get(ACME + "/agents").then().statusCode(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        Gateway.clearFaults();

        // the JDK's client retries an idempotent GET once when its connection drops: both attempts are dropped
        Gateway.fault(Map.of("operation", "agents_list", "probability", 1.0, "drop", true, "times", 2));
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port + ACME + "/agents"))
                .header("Authorization", "Bearer sbx_alice").build();
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()));
        Gateway.clearFaults();
        as("sbx_alice").get(ACME + "/agents").then().statusCode(200);
        Gateway.control().contentType(ContentType.JSON).body(Map.of("operation", "no_such_operation", "status", 500))
                .post("/sandbox/_control/faults").then().statusCode(422);
    }

    @Test
    void aFaultAfterTheActLeavesTheChangeMade() {
        Gateway.fault(Map.of("operation", "contacts_create", "probability", 1.0, "status", 502, "phase", "AFTER", "times", 1));
        as("sbx_alice").body(Map.of("email", "after.fault@example.com")).post(ACME + "/contacts").then().statusCode(502);
        as("sbx_alice").get(ACME + "/contacts?email=after.fault@example.com").then().body("items", hasSize(1));
    }
}
