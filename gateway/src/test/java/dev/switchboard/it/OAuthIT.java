package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.switchboard.support.NodeScript;
import dev.switchboard.support.Processes;
import dev.switchboard.support.RedisServer;
import dev.switchboard.support.Resp;
import io.vertx.core.json.JsonObject;

/**
 * The gateway as an OAuth 2.1 protected resource (MCP_AUTH_MODE=both), against a real authorization server
 * (oidc-provider: PKCE, resource indicators, JWT access tokens, dynamic registration) started on a free loopback port,
 * and the TypeScript SDK's own OAuth client driven headlessly (src/test/oauth): 401 → protected resource metadata →
 * registration → authorization code with PKCE → token → tool calls on the user's organization, then a switch that another
user does not see. Tokens
 * that are expired, from another issuer, for another resource, badly signed, signed with an unknown key or unsigned are
 * refused with 401 and the challenge; a token granting reading only may not write (403). API keys keep working, and
 * the workspace never sees a client's token.
 */
class OAuthIT {

    private static final Path DIRECTORY = Path.of("src/test/oauth");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    static final Processes processes = new Processes();
    private static GatewayProcess gateway;
    private static String issuer;
    private static String resource;
    private static Path jwks;
    private static RedisServer redis;

    @BeforeAll
    static void start() throws Exception {
        NodeScript.ensureInstalled(DIRECTORY);
        int port = GatewayProcess.freePort();
        resource = "http://127.0.0.1:" + port + "/mcp";
        jwks = Path.of("target/oauth-jwks.json").toAbsolutePath();
        Files.deleteIfExists(jwks);
        ProcessBuilder builder = new ProcessBuilder("node", "auth-server.mjs").directory(DIRECTORY.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(Path.of("target/oauth-auth-server.log").toFile()));
        builder.environment().putAll(Map.of("RESOURCE", resource, "JWKS_OUT", jwks.toString(), "PORT", "0"));
        Process server = builder.start();
        processes.add(server::destroyForcibly);
        String ready = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(ready).as("the authorization server's ready line").isNotNull().contains("issuer");
        issuer = new JsonObject(ready).getString("issuer");
        // the state store is a Redis of the test's own: what the gateway keeps there is checked for tokens
        redis = processes.add(RedisServer.start());
        gateway = processes.add(GatewayProcess.start("oauth-gateway", Map.of("MCP_PORT", String.valueOf(port),
                "MCP_AUTH_MODE", "both", "MCP_OAUTH_ISSUER", issuer, "MCP_PUBLIC_URL", "http://127.0.0.1:" + port,
                "REDIS_URL", redis.url())));
    }

    @Test
    void theSdksOAuthClientSignsInAndActsOnTheUsersOrganization() throws Exception {
        String current = flow(Map.of("USER", "usr_carol", "TOOL", "organizations_current"));
        assertThat(current).contains("\"status\":401").contains("resource-metadata").contains("\"step\":\"token\"")
                .contains("org_globex"); // Carol's oldest organization
        flow(Map.of("USER", "usr_carol", "TOOL", "organizations_switch", "ARGS", "{\"organizationId\":\"org_initech\"}"));
        assertThat(flow(Map.of("USER", "usr_carol", "TOOL", "contacts_list", "ARGS", "{\"limit\":1}")))
                .as("the switch holds for the user's next sign-in").contains("org_initech");
        // another user, signed in the same way through the same service credential, is not moved by Carol's switch
        assertThat(flow(Map.of("USER", "usr_alice", "TOOL", "organizations_current"))).contains("org_acme")
                .doesNotContain("org_initech");
        assertThat(gateway.output()).as("the workspace never received a client's token")
                .doesNotContain("received a client's OAuth access token");
    }

    @Test
    void theMetadataNamesTheResourceAndItsAuthorizationServer() throws Exception {
        for (String path : List.of("/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource")) {
            HttpResponse<String> metadata = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.base() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metadata.statusCode()).as(path).isEqualTo(200);
            JsonObject document = new JsonObject(metadata.body());
            assertThat(document.getString("resource")).isEqualTo(resource);
            assertThat(document.getJsonArray("authorization_servers").getList()).containsExactly(issuer);
            assertThat(document.getJsonArray("scopes_supported").getList()).contains("workspace:read", "workspace:write");
        }
    }

    @Test
    void tokensThatAreNotForThisServerAreRefusedWithTheChallenge() throws Exception {
        HttpResponse<String> none = call(null, "organizations_current", new JsonObject());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate").orElse(""))
                .contains("resource_metadata=\"" + gateway.base() + "/.well-known/oauth-protected-resource/mcp\"")
                .contains("scope=\"workspace:read workspace:write\"");
        for (String kind : List.of("expired", "wrong-issuer", "wrong-audience", "unknown-kid", "bad-signature", "alg-none")) {
            HttpResponse<String> refused = call(mint(kind, "usr_alice", "workspace:read workspace:write"),
                    "organizations_current", new JsonObject());
            assertThat(refused.statusCode()).as(kind + ": " + refused.body()).isEqualTo(401);
            assertThat(refused.headers().firstValue("WWW-Authenticate").orElse("")).as(kind)
                    .contains("error=\"invalid_token\"").contains("resource_metadata=");
            assertThat(refused.body()).as(kind).doesNotContain("Exception");
        }
        assertThat(call(mint("valid", "usr_alice", "workspace:read workspace:write"), "organizations_current",
                new JsonObject()).body()).as("the minter's valid token is taken").contains("org_acme");
    }

    @Test
    void aTokenThatGrantsReadingOnlyMayNotWrite() throws Exception {
        String reader = mint("valid", "usr_alice", "workspace:read");
        assertThat(call(reader, "contacts_list", new JsonObject().put("limit", 1)).body()).contains("org_acme");
        HttpResponse<String> write = call(reader, "contacts_create", new JsonObject().put("email", "oauth-read@example.com"));
        assertThat(write.statusCode()).isEqualTo(403);
        assertThat(write.headers().firstValue("WWW-Authenticate").orElse("")).contains("error=\"insufficient_scope\"");
        assertThat(write.body()).contains("workspace:write");
        HttpResponse<String> runWrite = call(reader, "run_operation", new JsonObject().put("operation", "contacts_create")
                .put("arguments", new JsonObject().put("email", "oauth-read@example.com")));
        assertThat(runWrite.statusCode()).as("a write through run_operation").isEqualTo(403);

        // nothing of a token in the logs (the audit trail among them) or the metrics
        String signature = reader.substring(reader.lastIndexOf('.') + 1);
        assertThat(gateway.output()).doesNotContain(signature).doesNotContain(reader.substring(0, reader.indexOf('.')));
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.base() + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("mcp_").doesNotContain(signature);
        @SuppressWarnings("unchecked")
        List<Object> keys = (List<Object>) Resp.command(redis.port(), "KEYS", "*");
        assertThat(keys).as("the state store's keys").isNotEmpty()
                .allSatisfy(key -> assertThat(String.valueOf(key)).doesNotContain(signature).doesNotContain("usr_alice"));
    }

    @Test
    void apiKeysKeepWorkingBesideOAuth() throws Exception {
        HttpResponse<String> answer = HTTP.send(request(new JsonObject().put("jsonrpc", "2.0").put("id", 1)
                .put("method", "tools/call").put("params", new JsonObject().put("name", "organizations_current")
                        .put("arguments", new JsonObject()))).header("Authorization", "Bearer sbx_bob").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("org_globex");
    }

    private static String flow(Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("node", "oauth-flow.mjs", resource).directory(DIRECTORY.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process flow = builder.start();
        String output = new String(flow.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(flow.waitFor(120, TimeUnit.SECONDS)).as("the OAuth flow finished").isTrue();
        assertThat(flow.exitValue()).as("the OAuth flow (%s):%n%s", environment, output).isZero();
        return output;
    }

    private static String mint(String kind, String subject, String scope) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("node", "mint.mjs", kind).directory(DIRECTORY.toFile());
        builder.environment().putAll(Map.of("JWKS_FILE", jwks.toString(), "ISSUER", issuer, "RESOURCE", resource,
                "SUB", subject, "SCOPE", scope));
        Process mint = builder.start();
        String token = new String(mint.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(mint.waitFor(60, TimeUnit.SECONDS) && mint.exitValue() == 0).as("mint " + kind).isTrue();
        return token;
    }

    private static HttpResponse<String> call(String token, String tool, JsonObject arguments) throws Exception {
        HttpRequest.Builder request = request(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "tools/call")
                .put("params", new JsonObject().put("name", tool).put("arguments", arguments)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(JsonObject message) {
        return HttpRequest.newBuilder(URI.create(resource)).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").header("MCP-Protocol-Version", "2025-11-25")
                .POST(HttpRequest.BodyPublishers.ofString(message.encode()));
    }
}
