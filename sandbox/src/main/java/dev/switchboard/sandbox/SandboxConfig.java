package dev.switchboard.sandbox;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the embedded sandbox workspace (SANDBOX_* environment variables). */
@ConfigMapping(prefix = "sandbox")
public interface SandboxConfig {

    /** Time between two steps of a job; a job takes four to six steps. */
    @WithDefault("700")
    long jobStepMillis();

    /** Check every answer against the contract's response schema, and answer 500 when one does not match (tests). */
    @WithDefault("false")
    boolean validateResponses();

    /**
     * The token that /sandbox/_control/* requires in the X-Sandbox-Control-Token header. Unset: a random token is
     * generated at start (see {@link SandboxServer#controlToken()}).
     */
    Optional<String> controlToken();

    /** Worker threads that run sandbox requests and job steps, off the event loops that serve MCP clients. */
    @WithDefault("4")
    int workerThreads();
}
