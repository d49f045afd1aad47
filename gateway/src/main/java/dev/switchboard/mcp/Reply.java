package dev.switchboard.mcp;

import java.util.Optional;

import dev.switchboard.tenancy.Identity;

/**
 * The payload of a successful tool call, before it is wrapped in the organization envelope.
 *
 * @param result the result as compact JSON (numbers as plain decimals), written once
 * @param mailbox the mailbox an inbox tool acted on
 * @param notice what the gateway changed (for example why the result was cut), for the model to read
 * @param actingOn the organization to name in the envelope when it is not the one the call was admitted for (a switch)
 */
record Reply(byte[] result, Optional<String> mailbox, boolean truncated, Optional<String> notice,
        Optional<Identity.OrganizationRef> actingOn) {

    static Reply of(byte[] result) {
        return new Reply(result, Optional.empty(), false, Optional.empty(), Optional.empty());
    }

    Reply withMailbox(String mailbox) {
        return new Reply(result, Optional.ofNullable(mailbox), truncated, notice, actingOn);
    }

    Reply actingOn(Identity.OrganizationRef organization) {
        return new Reply(result, mailbox, truncated, notice, Optional.of(organization));
    }

    Reply fitted(byte[] shorter, String why) {
        return new Reply(shorter, mailbox, true, Optional.of(why), actingOn);
    }
}
