package dev.switchboard.mcp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.switchboard.config.GatewayConfig;
import dev.switchboard.edge.TaskSupport;
import io.quarkiverse.mcp.server.AudioContent;
import io.quarkiverse.mcp.server.BlobResourceContents;
import io.quarkiverse.mcp.server.CompletionResponse;
import io.quarkiverse.mcp.server.Content;
import io.quarkiverse.mcp.server.EmbeddedResource;
import io.quarkiverse.mcp.server.ImageContent;
import io.quarkiverse.mcp.server.PromptCompletionManager;
import io.quarkiverse.mcp.server.PromptManager;
import io.quarkiverse.mcp.server.PromptMessage;
import io.quarkiverse.mcp.server.PromptResponse;
import io.quarkiverse.mcp.server.ResourceManager;
import io.quarkiverse.mcp.server.ResourceResponse;
import io.quarkiverse.mcp.server.ResourceTemplateManager;
import io.quarkiverse.mcp.server.TextContent;
import io.quarkiverse.mcp.server.TextResourceContents;
import io.quarkiverse.mcp.server.ToolManager;
import io.quarkiverse.mcp.server.ToolResponse;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * The official MCP conformance suite's fixtures, served only with MCP_CONFORMANCE_FIXTURES=true: the {@code test_*}
 * tools, prompts and {@code test://} resources its scenarios call, with the contents those scenarios check. They exist
 * so that the suite can run in full against this gateway; they touch no workspace and need no key, so they are never
 * registered otherwise.
 */
@Singleton
class ConformanceFixtures {

    private static final Logger LOG = Logger.getLogger(ConformanceFixtures.class);

    /** A 1×1 PNG. */
    private static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    private final GatewayConfig config;
    private final ToolManager tools;
    private final PromptManager prompts;
    private final PromptCompletionManager promptCompletions;
    private final ResourceManager resources;
    private final ResourceTemplateManager templates;

    private final TaskSupport taskSupport;

    ConformanceFixtures(GatewayConfig config, ToolManager tools, PromptManager prompts,
            PromptCompletionManager promptCompletions, ResourceManager resources, ResourceTemplateManager templates,
            TaskSupport taskSupport) {
        this.taskSupport = taskSupport;
        this.config = config;
        this.tools = tools;
        this.prompts = prompts;
        this.promptCompletions = promptCompletions;
        this.resources = resources;
        this.templates = templates;
    }

    /** @return the names of the fixture tools registered (none unless the setting is on) */
    Set<String> register() {
        if (!config.conformanceFixtures()) {
            return Set.of();
        }
        LOG.warn("MCP_CONFORMANCE_FIXTURES=true: the conformance suite's test tools, prompts and resources are served, "
                + "without a key. Never set it in production.");
        List<String> names = new ArrayList<>();
        names.add(tool("test_simple_text", "Returns simple text.",
                List.of(new TextContent("This is a simple text response for testing."))));
        names.add(tool("test_image_content", "Returns an image.", List.of(new ImageContent(PNG, "image/png"))));
        names.add(tool("test_audio_content", "Returns audio.", List.of(new AudioContent(wav(), "audio/wav"))));
        names.add(tool("test_embedded_resource", "Returns an embedded resource.", List.of(embedded())));
        names.add(tool("test_multiple_content_types", "Returns text, an image and a resource.",
                List.of(new TextContent("Multiple content types test:"), new ImageContent(PNG, "image/png"), embedded())));
        tools.newTool("test_error_handling").setDescription("Always fails, as a tool error.")
                .setInputSchema(emptyObject())
                .setHandler(arguments -> ToolResponse.error("This tool intentionally returns an error for testing"))
                .register();
        names.add("test_error_handling");
        tools.newTool("test_tool_with_progress").setDescription("Reports progress three times, then answers.")
                .setInputSchema(emptyObject())
                .setAsyncHandler(arguments -> {
                    Uni<Void> reported = Uni.createFrom().voidItem();
                    if (arguments.progress().token().isPresent()) {
                        for (int step = 0; step <= 100; step += 50) {
                            int done = step;
                            reported = reported.chain(() -> arguments.progress().notificationBuilder().setProgress(done)
                                    .setTotal(100).setMessage("Step " + (done / 50 + 1) + " of 3").build().send())
                                    .onItem().delayIt().by(Duration.ofMillis(20));
                        }
                    }
                    return reported.map(ignored -> ToolResponse.success("Progress test completed"));
                })
                .register();
        names.add("test_tool_with_progress");
        tools.newTool("test_tool_with_logging").setDescription("Sends three log messages, then answers.")
                .setInputSchema(emptyObject())
                .setHandler(arguments -> {
                    arguments.log().info("Tool execution started");
                    arguments.log().info("Tool processing data");
                    arguments.log().info("Tool execution completed");
                    return ToolResponse.success("Logging test completed");
                })
                .register();
        names.add("test_tool_with_logging");
        tools.newTool("test_sampling").setDescription("Asks the client's model to answer a prompt.")
                .setInputSchema(new JsonObject().put("type", "object").put("properties", new JsonObject()
                        .put("prompt", new JsonObject().put("type", "string"))).put("required", new io.vertx.core.json.JsonArray().add("prompt")))
                .setAsyncHandler(arguments -> arguments.sampling().requestBuilder()
                        .addMessage(io.quarkiverse.mcp.server.SamplingMessage.withUserRole(String.valueOf(arguments.args().get("prompt"))))
                        .setMaxTokens(100).build().send()
                        .map(answer -> ToolResponse.success("LLM response: " + (answer.content() instanceof TextContent text
                                ? text.text() : String.valueOf(answer.content())))))
                .register();
        names.add("test_sampling");
        tools.newTool("test_elicitation").setDescription("Asks the user for a username and an email.")
                .setInputSchema(new JsonObject().put("type", "object").put("properties", new JsonObject()
                        .put("message", new JsonObject().put("type", "string"))).put("required", new io.vertx.core.json.JsonArray().add("message")))
                .setAsyncHandler(arguments -> arguments.elicitation().requestBuilder()
                        .setMessage(String.valueOf(arguments.args().get("message")))
                        .addSchemaProperty("username", new io.quarkiverse.mcp.server.ElicitationRequest.StringSchema(true))
                        .addSchemaProperty("email", new io.quarkiverse.mcp.server.ElicitationRequest.StringSchema(true))
                        .build().send()
                        .map(answer -> ToolResponse.success("User response: action=" + answer.action() + ", content="
                                + content(answer))))
                .register();
        names.add("test_elicitation");
        names.add(eliciting("test_elicitation_sep1034_defaults", "Asks with a default value for each primitive type.",
                new JsonObject()
                        .put("name", new JsonObject().put("type", "string").put("default", "John Doe"))
                        .put("age", new JsonObject().put("type", "integer").put("default", 30))
                        .put("score", new JsonObject().put("type", "number").put("default", 95.5))
                        .put("status", new JsonObject().put("type", "string")
                                .put("enum", new io.vertx.core.json.JsonArray().add("active").add("inactive").add("pending"))
                                .put("default", "active"))
                        .put("verified", new JsonObject().put("type", "boolean").put("default", true))));
        names.add(eliciting("test_elicitation_sep1330_enums", "Asks with each kind of enum.", new JsonObject()
                .put("untitledSingle", new JsonObject().put("type", "string").put("enum", strings("option1", "option2", "option3")))
                .put("titledSingle", new JsonObject().put("type", "string").put("oneOf", titled(
                        "value1", "First Option", "value2", "Second Option", "value3", "Third Option")))
                .put("legacyEnum", new JsonObject().put("type", "string").put("enum", strings("opt1", "opt2", "opt3"))
                        .put("enumNames", strings("Option One", "Option Two", "Option Three")))
                .put("untitledMulti", new JsonObject().put("type", "array").put("items", new JsonObject().put("type", "string")
                        .put("enum", strings("option1", "option2", "option3"))))
                .put("titledMulti", new JsonObject().put("type", "array").put("items", new JsonObject().put("anyOf", titled(
                        "value1", "First Choice", "value2", "Second Choice", "value3", "Third Choice"))))));
        names.addAll(inputRequiredTools());

        prompts.newPrompt("test_simple_prompt").setDescription("A prompt without arguments.")
                .setHandler(arguments -> PromptResponse.withMessages(
                        PromptMessage.withUserRole("This is a simple prompt for testing.")))
                .register();
        prompts.newPrompt("test_prompt_with_arguments").setDescription("A prompt with two arguments.")
                .addArgument("arg1", "First test argument", true)
                .addArgument("arg2", "Second test argument", true)
                .setHandler(arguments -> PromptResponse.withMessages(PromptMessage.withUserRole("Prompt with arguments: arg1='"
                        + arguments.args().get("arg1") + "', arg2='" + arguments.args().get("arg2") + "'")))
                .register();
        promptCompletions.newCompletion("test_prompt_with_arguments").setArgumentName("arg1")
                .setHandler(arguments -> CompletionResponse.create(List.of("paris", "park", "party")))
                .register();
        prompts.newPrompt("test_prompt_with_embedded_resource").setDescription("A prompt that embeds a resource.")
                .addArgument("resourceUri", "URI of the resource to embed", true)
                .setHandler(arguments -> PromptResponse.withMessages(
                        PromptMessage.withUserRole(new EmbeddedResource(new TextResourceContents(
                                arguments.args().get("resourceUri"), "Embedded resource content for testing.", "text/plain"))),
                        PromptMessage.withUserRole("Please process the embedded resource above.")))
                .register();
        prompts.newPrompt("test_prompt_with_image").setDescription("A prompt with an image.")
                .setHandler(arguments -> PromptResponse.withMessages(
                        PromptMessage.withUserRole(new ImageContent(PNG, "image/png")),
                        PromptMessage.withUserRole("Please analyze the image above.")))
                .register();

        resources.newResource("static-text").setUri("test://static-text").setMimeType("text/plain")
                .setDescription("A static text resource.")
                .setHandler(arguments -> new ResourceResponse(List.of(new TextResourceContents("test://static-text",
                        "This is the content of the static text resource.", "text/plain"))))
                .register();
        prompts.newPrompt("test_input_required_result_prompt").setDescription("A prompt that asks the client for context.")
                .setHandler(arguments -> {
                    InputRound round = InputRound.of(arguments.meta());
                    if (!round.answered("user_context")) {
                        return InputRound.askForPrompt(new JsonObject().put("user_context", InputRound.elicitation(
                                "What context should the prompt use?", "context", "string")), new JsonObject());
                    }
                    return PromptResponse.withMessages(PromptMessage.withUserRole("Use this context: "
                            + content(round.answer("user_context")).getValue("context")));
                })
                .register();
        resources.newResource("watched-resource").setUri("test://watched-resource").setMimeType("text/plain")
                .setDescription("A resource a client may subscribe to.")
                .setHandler(arguments -> new ResourceResponse(List.of(new TextResourceContents("test://watched-resource",
                        "Watched resource content.", "text/plain"))))
                .register();
        resources.newResource("static-binary").setUri("test://static-binary").setMimeType("image/png")
                .setDescription("A static binary resource.")
                .setHandler(arguments -> new ResourceResponse(List.of(new BlobResourceContents("test://static-binary",
                        PNG, "image/png"))))
                .register();
        templates.newResourceTemplate("template").setUriTemplate("test://template/{id}/data").setMimeType("application/json")
                .setDescription("A resource template with one parameter.")
                .setHandler(arguments -> {
                    String id = arguments.args().get("id");
                    String uri = "test://template/" + id + "/data";
                    return new ResourceResponse(List.of(new TextResourceContents(uri,
                            new JsonObject().put("id", id).put("templateTest", true).put("data", "Data for ID: " + id).encode(),
                            "application/json")));
                })
                .register();
        return Set.copyOf(names);
    }

    /** The multi round-trip fixtures (SEP-2322): each asks, then answers once the client has answered. */
    private List<String> inputRequiredTools() {
        List<String> names = new ArrayList<>();
        names.add(asking("test_input_required_result_elicitation", round -> round.answered("user_name")
                ? done("Hello, " + content(round.answer("user_name")).getValue("name") + "!")
                : InputRound.ask(new JsonObject().put("user_name", InputRound.elicitation("What is your name?", "name", "string")),
                        new JsonObject())));
        names.add(asking("test_input_required_result_sampling", round -> round.answered("capital_question")
                ? done("The client's model answered: " + sampled(round.answer("capital_question")))
                : InputRound.ask(new JsonObject().put("capital_question", InputRound.sampling("What is the capital of France?", 100)),
                        new JsonObject())));
        names.add(asking("test_input_required_result_list_roots", round -> round.answered("client_roots")
                ? done("The client's roots: " + round.answer("client_roots").getValue("roots"))
                : InputRound.ask(new JsonObject().put("client_roots", InputRound.roots()), new JsonObject())));
        names.add(asking("test_input_required_result_request_state", round -> round.answered("confirm")
                && "confirm".equals(round.state().getString("step"))
                        ? done("state-ok: the request state came back as issued")
                        : InputRound.ask(new JsonObject().put("confirm", InputRound.elicitation("Please confirm", "ok", "boolean")),
                                new JsonObject().put("step", "confirm"))));
        names.add(asking("test_input_required_result_multiple_inputs", round -> round.answered("user_name")
                && round.answered("greeting") && round.answered("client_roots")
                        ? done("All three answers received.")
                        : InputRound.ask(new JsonObject()
                                .put("user_name", InputRound.elicitation("What is your name?", "name", "string"))
                                .put("greeting", InputRound.sampling("Generate a greeting", 50))
                                .put("client_roots", InputRound.roots()), new JsonObject().put("step", "all"))));
        names.add(asking("test_input_required_result_multi_round", round -> {
            int reached = round.state().getInteger("round", 0);
            if (reached == 2 && round.answered("step2")) {
                return done("Done: " + round.state().getString("name") + " likes "
                        + content(round.answer("step2")).getValue("color") + ".");
            }
            if (reached == 1 && round.answered("step1")) {
                return InputRound.ask(new JsonObject().put("step2", InputRound.elicitation("Step 2: What is your favorite color?",
                        "color", "string")), new JsonObject().put("round", 2)
                                .put("name", String.valueOf(content(round.answer("step1")).getValue("name"))));
            }
            return InputRound.ask(new JsonObject().put("step1", InputRound.elicitation("Step 1: What is your name?", "name",
                    "string")), new JsonObject().put("round", 1));
        }));
        names.add(asking("test_input_required_result_tampered_state", round -> round.answered("confirm")
                ? done("The request state was intact.")
                : InputRound.ask(new JsonObject().put("confirm", InputRound.elicitation("Please confirm", "ok", "boolean")),
                        new JsonObject().put("step", "confirm"))));
        names.add(asking("test_input_required_result_capabilities", round -> {
            JsonObject requests = new JsonObject();
            if (round.clientCan("elicitation") && !round.answered("user_name")) {
                requests.put("user_name", InputRound.elicitation("What is your name?", "name", "string"));
            }
            if (round.clientCan("sampling") && !round.answered("greeting")) {
                requests.put("greeting", InputRound.sampling("Generate a greeting", 50));
            }
            if (round.clientCan("roots") && !round.answered("client_roots")) {
                requests.put("client_roots", InputRound.roots());
            }
            return requests.isEmpty() ? done("Nothing more to ask of this client.") : InputRound.ask(requests, new JsonObject());
        }));
        names.add(asking("test_missing_capability", round -> round.clientCan("sampling")
                ? done("The client can sample.") : InputRound.requires("sampling")));
        names.add(asking("test_streaming_elicitation", round -> round.answered("user_name")
                ? done("Hello, " + content(round.answer("user_name")).getValue("name") + "!")
                : InputRound.ask(new JsonObject().put("user_name", InputRound.elicitation("What is your name?", "name", "string")),
                        new JsonObject())));
        tools.newTool("test_logging_tool").setDescription("Logs, but only for a request that asked for a log level.")
                .setInputSchema(emptyObject())
                .setHandler(arguments -> {
                    if (InputRound.of(arguments.meta()).logLevel() != null) {
                        arguments.log().info("Logging tool ran");
                    }
                    return done("Logged only if asked.");
                })
                .register();
        names.add("test_logging_tool");
        names.addAll(taskTools());
        return names;
    }

    /** The tasks extension's fixtures: which run as tasks, and how each ends. */
    private List<String> taskTools() {
        List<String> names = new ArrayList<>();
        tools.newTool("greet").setDescription("Greets, at once (never a task).")
                .setInputSchema(stringArguments("name"))
                .setHandler(arguments -> done("Hello, " + arguments.args().get("name") + "!")).register();
        names.add("greet");
        names.add(task("slow_compute", TaskSupport.Mode.OPTIONAL, stringArguments("label")
                .put("properties", stringArguments("label").getJsonObject("properties").put("seconds",
                        new JsonObject().put("type", "number"))), (round, args) -> {
                    double seconds = args.get("seconds") instanceof Number n ? n.doubleValue() : 0;
                    if (round.taskOffered() && seconds > 0) {
                        return Uni.createFrom().item(InputRound.runAsTask());
                    }
                    Uni<ToolResponse> computed = Uni.createFrom().item(done("Computed " + args.get("label") + " in " + seconds + " s."));
                    return seconds > 0 ? computed.onItem().delayIt().by(Duration.ofMillis((long) (seconds * 1000))) : computed;
                }));
        names.add(task("failing_job", TaskSupport.Mode.REQUIRED, emptyObject(), (round, args) -> round.taskOffered()
                ? Uni.createFrom().item(InputRound.runAsTask())
                : Uni.createFrom().item(ToolResponse.error("The job failed, as this fixture always does."))
                        .onItem().delayIt().by(Duration.ofSeconds(1))));
        names.add(task("protocol_error_job", TaskSupport.Mode.OPTIONAL, emptyObject(), (round, args) -> round.taskOffered()
                ? Uni.createFrom().item(InputRound.runAsTask())
                : Uni.createFrom().failure(new IllegalStateException("this fixture fails as a protocol error"))));
        names.add(task("confirm_delete", TaskSupport.Mode.OPTIONAL, stringArguments("filename"), (round, args) -> {
            if (round.taskOffered()) {
                return Uni.createFrom().item(InputRound.runAsTask());
            }
            if (!round.answered("confirm")) {
                return Uni.createFrom().item(InputRound.ask(new JsonObject().put("confirm", InputRound.elicitation(
                        "Delete " + args.get("filename") + "?", "confirm", "boolean")), new JsonObject()));
            }
            return Uni.createFrom().item(done("accept".equals(round.answer("confirm").getValue("action"))
                    ? "Deleted " + args.get("filename") + "." : "Kept " + args.get("filename") + "."));
        }));
        names.add(task("multi_input", TaskSupport.Mode.OPTIONAL, emptyObject(), (round, args) -> {
            if (round.taskOffered()) {
                return Uni.createFrom().item(InputRound.runAsTask());
            }
            if (!round.answered("name") || !round.answered("confirm")) {
                return Uni.createFrom().item(InputRound.ask(new JsonObject()
                        .put("name", InputRound.elicitation("What is your name?", "name", "string"))
                        .put("confirm", InputRound.elicitation("Go ahead?", "confirm", "boolean")), new JsonObject()));
            }
            return Uni.createFrom().item(done("Thanks, " + content(round.answer("name")).getValue("name") + "."));
        }));
        names.add(task("test_tool_with_task", TaskSupport.Mode.REQUIRED, emptyObject(), (round, args) -> {
            if (!round.answered("user_name")) {
                // the question is asked before the task exists; the answer makes it one
                return Uni.createFrom().item(InputRound.ask(new JsonObject().put("user_name",
                        InputRound.elicitation("What is your name?", "name", "string")), new JsonObject()));
            }
            if (round.taskOffered()) {
                return Uni.createFrom().item(InputRound.runAsTask());
            }
            return Uni.createFrom().item(done("Hello, " + content(round.answer("user_name")).getValue("name") + "!"));
        }));
        return names;
    }

    private String task(String name, TaskSupport.Mode mode, JsonObject schema,
            java.util.function.BiFunction<InputRound, java.util.Map<String, Object>, Uni<ToolResponse>> body) {
        tools.newTool(name).setDescription("A tasks-extension fixture.").setInputSchema(schema)
                .setAsyncHandler(arguments -> body.apply(InputRound.of(arguments.meta()), arguments.args())).register();
        taskSupport.declare(name, mode);
        return name;
    }

    private static JsonObject stringArguments(String name) {
        return new JsonObject().put("type", "object").put("properties", new JsonObject().put(name,
                new JsonObject().put("type", "string")));
    }

    private String asking(String name, java.util.function.Function<InputRound, ToolResponse> body) {
        tools.newTool(name).setDescription("Asks the client for input, then answers (multi round-trip).")
                .setInputSchema(emptyObject()).setHandler(arguments -> body.apply(InputRound.of(arguments.meta()))).register();
        return name;
    }

    private static ToolResponse done(String text) {
        return ToolResponse.success(text);
    }

    /** The content of an elicitation answer ({action, content}). */
    private static JsonObject content(JsonObject answer) {
        return answer.getValue("content") instanceof JsonObject content ? content : new JsonObject();
    }

    private static String sampled(JsonObject answer) {
        return answer.getValue("content") instanceof JsonObject content ? String.valueOf(content.getValue("text"))
                : String.valueOf(answer);
    }

    private String tool(String name, String description, List<? extends Content> content) {
        tools.newTool(name).setDescription(description).setInputSchema(emptyObject())
                .setHandler(arguments -> new ToolResponse(false, content)).register();
        return name;
    }

    private static EmbeddedResource embedded() {
        return new EmbeddedResource(new TextResourceContents("test://embedded-resource",
                "This is an embedded resource content.", "text/plain"));
    }

    private static JsonObject emptyObject() {
        return new JsonObject().put("type", "object").put("properties", new JsonObject());
    }

    /** A short silent WAV (8 kHz, 8-bit mono, 8 samples). */
    private static String wav() {
        byte[] samples = new byte[8];
        java.util.Arrays.fill(samples, (byte) 0x80);
        java.nio.ByteBuffer wav = java.nio.ByteBuffer.allocate(44 + samples.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes()).putInt(36 + samples.length).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(8000).putInt(8000).putShort((short) 1).putShort((short) 8)
                .put("data".getBytes()).putInt(samples.length).put(samples);
        return Base64.getEncoder().encodeToString(wav.array());
    }

    /**
     * A fixture tool asking the client (elicitation/create, handshake era) with these schema properties as they are:
     * the library's schema types have no defaults and no titled enums, but take any schema that writes its own JSON.
     */
    private String eliciting(String name, String description, JsonObject properties) {
        tools.newTool(name).setDescription(description).setInputSchema(new JsonObject().put("type", "object"))
                .setAsyncHandler(arguments -> {
                    var question = arguments.elicitation().requestBuilder().setMessage(description);
                    properties.forEach(property -> question.addSchemaProperty(property.getKey(),
                            new ClientQuestion.AsWritten((JsonObject) property.getValue(), false)));
                    return question.build().send().map(answer -> ToolResponse.success("Elicitation completed: action="
                            + answer.action().toString().toLowerCase(java.util.Locale.ROOT) + ", content=" + content(answer)));
                })
                .register();
        return name;
    }

    private static String content(io.quarkiverse.mcp.server.ElicitationResponse answer) {
        return answer.content() == null ? "{}" : new JsonObject(answer.content().asMap()).encode();
    }

    private static io.vertx.core.json.JsonArray strings(String... values) {
        return new io.vertx.core.json.JsonArray(List.of(values));
    }

    /** const/title pairs, for oneOf (single select) and anyOf (multi-select). */
    private static io.vertx.core.json.JsonArray titled(String... constAndTitle) {
        io.vertx.core.json.JsonArray options = new io.vertx.core.json.JsonArray();
        for (int i = 0; i < constAndTitle.length; i += 2) {
            options.add(new JsonObject().put("const", constAndTitle[i]).put("title", constAndTitle[i + 1]));
        }
        return options;
    }
}
