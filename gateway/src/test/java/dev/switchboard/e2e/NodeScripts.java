package dev.switchboard.e2e;

import java.net.URL;

import dev.switchboard.support.NodeScript;

/**
 * Kept for e2e classes written against it: every method hands over to {@link NodeScript}, the one runner of the Node
 * scripts (control token, the contract's tool set, a timeout that kills the script's children, logs in
 * target/node-e2e/).
 */
final class NodeScripts {

    private NodeScripts() {
    }

    /** {@link NodeScript#runAndAssert}: runs {@code node <script> <base> <extra…>} and asserts that every check passed. */
    static String runAndAssert(URL base, String script, int timeoutSeconds, String... extra) throws Exception {
        return NodeScript.runAndAssert(base, script, timeoutSeconds, extra);
    }

    /** {@link NodeScript#ensureInstalled}. */
    static void ensureInstalled() throws Exception {
        NodeScript.ensureInstalled();
    }
}
