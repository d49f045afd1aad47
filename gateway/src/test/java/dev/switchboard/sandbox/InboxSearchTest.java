package dev.switchboard.sandbox;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.switchboard.support.Gateway;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * Inbox search reads a query the way the mailbox's server would: Gmail's operators on Gmail mailboxes, words and OR
 * on the IMAP one, and a clear 422 for what a mailbox cannot do, never an answer to another question. The expected
 * threads follow from the seed data (sandbox specification): sales@acme.test has 40 threads, the first seven about
 * invoices and receipts, every fourth one unread, a few starred or archived.
 */
@QuarkusTest
class InboxSearchTest {

    private static final String SALES = "/sandbox/v1/organizations/org_acme/inbox/accounts/sales@acme.test";
    private static final String SUPPORT = "/sandbox/v1/organizations/org_acme/inbox/accounts/support@acme.test";

    @BeforeEach
    void reset() {
        Gateway.resetSandbox();
    }

    private static RequestSpecification alice() {
        return given().header("Authorization", "Bearer sbx_alice").contentType(ContentType.JSON);
    }

    private static List<String> search(String mailbox, String query) {
        return alice().queryParam("query", query).queryParam("limit", 100).get(mailbox + "/threads/search").then()
                .statusCode(200).extract().jsonPath().getList("threads.id");
    }

    private static List<String> ids(String numbers) {
        return numbers.isBlank() ? List.of()
                : Arrays.stream(numbers.trim().split("\\s+")).map(n -> "th_acme_sales_" + n).toList();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "from:lucerne | 005",
            "FROM:Lucerne | 005",
            "label:INBOX invoice | 001 003 005 007",
            "invoice -receipt | 001 003 005 007",
            "invoice OR receipt | 001 002 003 004 005 006 007",
            "label:invoices | 002",
            "label:Label_invoice | 002",
            "subject:invoice from:northwind | 001 007",
            "subject:\"March invoice\" | 005",
            "\"attached invoice\" | 001",
            "(from:lucerne OR from:fabrikam) -is:unread | 003",
            "{from:lucerne from:fabrikam} | 003 005",
            "is:starred | 006 017 028 039",
            "in:inbox is:starred | 006 017 028",
            "-in:inbox | 013 026 039",
            "is:unread label:leads | 009 013 017 021 025 029 033 037",
            "Thursday 10:00 | 011 021 031",
            "after:2025/11/20 from:northwind-supplies | 001",
            "\"has:attachment\" | ''",
    })
    void gmailMailboxesUnderstandGmailSearch(String query, String expected) {
        assertThat(search(SALES, query)).containsExactlyInAnyOrderElementsOf(ids(expected));
    }

    @Test
    void isUnreadAndTheUnreadOnlyParameterAgree() {
        List<String> unread = alice().queryParam("unreadOnly", true).queryParam("limit", 100).get(SALES + "/threads/search")
                .then().statusCode(200).extract().jsonPath().getList("threads.id");
        assertThat(unread).hasSize(10);
        assertThat(search(SALES, "is:unread")).containsExactlyInAnyOrderElementsOf(unread);
        assertThat(search(SALES, "-is:read")).containsExactlyInAnyOrderElementsOf(unread);
    }

    @Test
    void theThreadsListReadsItsQueryTheSameWay() {
        alice().queryParam("query", "is:starred").queryParam("limit", 100).get(SALES + "/threads").then().statusCode(200)
                .body("threads.id", equalTo(List.of("th_acme_sales_006", "th_acme_sales_017", "th_acme_sales_028",
                        "th_acme_sales_039")));
        alice().queryParam("query", "has:attachment").get(SALES + "/threads").then().statusCode(422)
                .body("details.fields[0].field", equalTo("query"));
    }

    @Test
    void timeOperatorsCountFromNow() {
        String sent = alice().body(Map.of("to", List.of("lead@prospect.example"), "subject", "Fresh lead", "body", "Hello there."))
                .post(SALES + "/messages").then().statusCode(201).extract().path("threadId");
        assertThat(search(SALES, "newer_than:1h")).containsExactly(sent);
        assertThat(search(SALES, "newer_than:2d from:me")).containsExactly(sent);
        assertThat(search(SALES, "older_than:1h")).hasSize(40).doesNotContain(sent);
        String today = LocalDate.now(ZoneOffset.UTC).toString().replace('-', '/');
        assertThat(search(SALES, "after:" + today)).containsExactly(sent);
        assertThat(search(SALES, "before:" + today)).doesNotContain(sent);
    }

    @Test
    void trashedThreadsAppearOnlyWhenAskedFor() {
        alice().body(Map.of("action", "trash")).post(SALES + "/threads/th_acme_sales_003/actions").then().statusCode(200);
        assertThat(search(SALES, "from:fabrikam")).isEmpty();
        assertThat(search(SALES, "from:fabrikam in:trash")).containsExactly("th_acme_sales_003");
        assertThat(search(SALES, "in:anywhere from:fabrikam")).containsExactly("th_acme_sales_003");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "has:attachment | has:",
            "foo:bar | foo:",
            "is:fuzzy | unread",
            "in:archive | anywhere",
            "label:nope | Label_invoice",
            "newer_than:7w | d (days)",
            "after:yesterday | 2025/11/01",
            "invoice OR | OR",
            "(invoice | (",
            "from:(a b) | from:a OR from:b",
    })
    void whatGmailSearchCannotReadIsRefusedNamingIt(String query, String named) {
        alice().queryParam("query", query).get(SALES + "/threads/search").then().statusCode(422)
                .body("code", equalTo("validation_failed")).body("details.fields[0].field", equalTo("query"))
                .body("message", containsString(named));
    }

    @Test
    void theImapMailboxSearchesWordsAndOrAndRefusesTheRest() {
        assertThat(search(SUPPORT, "invoice OR receipt")).isNotEmpty();
        assertThat(search(SUPPORT, "\"Northwind Supplies\"")).isNotEmpty();
        alice().queryParam("query", "from:fabrikam").get(SUPPORT + "/threads/search").then().statusCode(422)
                .body("details.fields[0].field", equalTo("query"))
                .body("message", containsString("IMAP")).body("message", containsString("from:"))
                .body("message", containsString("from, to, subject and unreadOnly parameters"));
        alice().queryParam("query", "invoice -receipt").get(SUPPORT + "/threads/search").then().statusCode(422)
                .body("message", containsString("-"));
        alice().queryParam("query", "label:INBOX").get(SUPPORT + "/threads").then().statusCode(422)
                .body("message", containsString("label:"));
        // the structured parameters work on every mailbox
        alice().queryParam("from", "contoso").get(SUPPORT + "/threads/search").then().statusCode(200)
                .body("threads", hasSize(1)).body("threads[0].from", containsString("contoso"));
        alice().queryParam("query", "invoice").get(SUPPORT + "/threads").then().statusCode(200)
                .body("threads.subject", hasItem(containsString("Invoice")));
    }
}
