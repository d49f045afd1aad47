package dev.switchboard.mcp;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.inject.Singleton;

import io.quarkiverse.mcp.server.PromptManager;
import io.quarkiverse.mcp.server.PromptMessage;
import io.quarkiverse.mcp.server.PromptResponse;

/**
 * The reference documents' workflows as prompts a client's prompt picker offers: the three inbox blueprints (invoices,
 * leads, a daily digest) and the organization check-in. Each names the tools as this gateway exposes them (prefix and
 * naming style applied when the prompt is read), and asks the model for nothing the tools do not do.
 */
@Singleton
class WorkspacePrompts {

    /** A prompt: its name, title, description, optional arguments and its text from the arguments. */
    private record Spec(String name, String title, String description, List<Argument> arguments,
            Function<Map<String, String>, String> text) {
    }

    private record Argument(String name, String description) {
    }

    private static final List<Spec> PROMPTS = List.of(
            new Spec("organization_check_in", "Check the organization",
                    "Confirm which organization the tools act on before doing anything, and switch if it is not the one meant.",
                    List.of(new Argument("organization", "The organization the user means (name or id), if known")),
                    args -> "Before any other call, call organizations_current and tell me which organization the tools act "
                            + "on now and why." + (present(args, "organization") ? " I mean the organization "
                                    + args.get("organization") + "." : "")
                            + " If it is not the one I mean, call organizations_list, then organizations_switch with the id of "
                            + "the right one, and confirm the switch with organizations_current. Do nothing else until the "
                            + "organization is the right one."),
            new Spec("invoice_processor", "Process invoices",
                    "Find invoices and receipts in a mailbox and list vendor, amount and due date for each.",
                    List.of(new Argument("query", "What to search for (default: invoice OR receipt)"),
                            new Argument("accountId", "The mailbox to search (default: the organization's first)")),
                    args -> "Call inbox_accounts_list to find the mailbox" + (present(args, "accountId") ? " (use accountId "
                            + args.get("accountId") + ")" : "") + ". Then call inbox_threads_search with query \""
                            + (present(args, "query") ? args.get("query") : "invoice OR receipt") + "\"; while the answer has "
                            + "a nextCursor, call again with that cursor and the same query. For each thread, call "
                            + "inbox_thread_get and read the vendor, the amount with its currency, the invoice number and the "
                            + "due date. Answer with one table row per invoice, and list the threads you could not read."),
            new Spec("lead_capture", "Capture leads",
                    "Turn new inquiries in a mailbox into contacts, without creating duplicates.",
                    List.of(new Argument("query", "What marks an inquiry (default: pricing OR demo OR quote)")),
                    args -> "Call inbox_threads_search with query \"" + (present(args, "query") ? args.get("query")
                            : "pricing OR demo OR quote") + "\". For each sender, call contacts_list with the sender's email "
                            + "as the search; only if no contact has it, call contacts_create with the email, the name and "
                            + "the company you can read from the thread, and an idempotencyKey made of the thread id, so that "
                            + "running this again creates nothing twice. Answer with the contacts created and the ones that "
                            + "existed already."),
            new Spec("daily_digest", "Daily inbox digest",
                    "Summarize the mailbox's recent threads by label, with what needs an answer first.",
                    List.of(new Argument("accountId", "The mailbox to summarize (default: the organization's first)")),
                    args -> "Call inbox_labels_list, then inbox_threads_list" + (present(args, "accountId") ? " with accountId "
                            + args.get("accountId") : "") + " for the threads of the last day. Group them by label, and for "
                            + "each give the sender, the subject and one line on what it asks. Put first the threads that "
                            + "wait for an answer from us."));

    private final PromptManager prompts;
    private final ToolNames names;

    WorkspacePrompts(PromptManager prompts, ToolNames names) {
        this.prompts = prompts;
        this.names = names;
    }

    /** Registers the prompts; called once the tool names are known. */
    void register() {
        for (Spec spec : PROMPTS) {
            PromptManager.PromptDefinition definition = prompts.newPrompt(spec.name()).setTitle(spec.title())
                    .setDescription(spec.description());
            for (Argument argument : spec.arguments()) {
                // every argument is optional: each has a default the text names
                definition.addArgument(argument.name(), argument.description(), false);
            }
            definition.setHandler(arguments -> PromptResponse.withMessages(
                    PromptMessage.withUserRole(names.rewrite(spec.text().apply(arguments.args()))))).register();
        }
    }

    private static boolean present(Map<String, String> arguments, String name) {
        String value = arguments.get(name);
        return value != null && !value.isBlank();
    }
}
