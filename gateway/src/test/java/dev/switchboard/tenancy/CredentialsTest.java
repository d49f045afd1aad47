package dev.switchboard.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The caller's credentials follow the header table. */
class CredentialsTest {

    @Test
    void theCredentialsCarryEveryCallerHeaderAndNeverPrintTheKey() {
        Map<String, String> sent = Map.of("Authorization", "Bearer sbx_alice ", "X-Company-ID", " org_acme",
                "x-account-id", "", "X-Acting-User", "usr_carol");
        Credentials credentials = Credentials.from(sent::get,
                Credentials.Source.HTTP_HEADERS, "127.0.0.1");
        assertThat(credentials.apiKey()).contains("sbx_alice");
        assertThat(credentials.companyId()).contains("org_acme");
        assertThat(credentials.accountId()).as("a blank header is no header").isEmpty();
        assertThat(credentials.actingUser()).contains("usr_carol");
        assertThat(credentials.toString()).doesNotContain("sbx_alice").doesNotContain("usr_carol").contains("org_acme");
    }
}
