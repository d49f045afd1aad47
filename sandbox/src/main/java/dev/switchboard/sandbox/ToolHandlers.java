package dev.switchboard.sandbox;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.catalog.SchemaValidator;
import dev.switchboard.catalog.Violation;
import dev.switchboard.contract.model.ToolLog;
import dev.switchboard.contract.model.ToolRun;
import dev.switchboard.contract.model.ToolRunRequest;
import dev.switchboard.contract.model.WorkspaceTool;
import io.vertx.core.json.JsonObject;

/** Workspace tools: run, configuration (secrets masked) and logs. */
final class ToolHandlers extends Handlers {

    static final String MASK = "********";

    ToolHandlers(Jobs jobs, Clock clock) {
        super(jobs, clock);
    }

    @Override
    void register(Map<String, OperationHandler> handlers) {
        handlers.put("tools_list", request -> page(List.copyOf(request.org().tools.values()), request));
        handlers.put("tools_run", request -> {
            OrgState org = request.org();
            WorkspaceTool tool = tool(request);
            Map<String, Object> input = request.body(ToolRunRequest.class).getInput();
            ObjectNode schema = SandboxJson.MAPPER.valueToTree(tool.getInputSchema());
            List<Violation> violations = SchemaValidator.of(schema).validate(new JsonObject(input));
            if (!violations.isEmpty()) {
                throw SandboxException.invalid(violations.stream()
                        .map(v -> new Violation("input" + (v.field().isEmpty() ? "" : "." + v.field()),
                                v.message().replace("The arguments", "'input'"), v.allowed()))
                        .toList());
            }
            Map<String, Object> output = new LinkedHashMap<>();
            output.put("tool", tool.getName());
            output.put("accepted", true);
            output.put("echo", input);
            ToolRun run = new ToolRun().id(org.nextId("run_")).toolId(tool.getId()).status(ToolRun.StatusEnum.SUCCEEDED)
                    .output(output).durationMs(120 + input.size() * 15).createdAt(now());
            org.toolSetups.get(tool.getId()).logs().add(0, new ToolLog().id(org.nextId("log_")).runId(run.getId())
                    .level(ToolLog.LevelEnum.INFO).message("Run " + run.getId() + " succeeded in " + run.getDurationMs() + " ms")
                    .createdAt(now()));
            return run;
        });
        handlers.put("tools_get_config", request -> {
            WorkspaceTool tool = tool(request);
            OrgState.ToolSetup setup = request.org().toolSetups.get(tool.getId());
            Map<String, Object> settings = new LinkedHashMap<>();
            setup.settings().forEach((key, value) -> settings.put(key, setup.secretKeys().contains(key) ? MASK : value));
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("toolId", tool.getId());
            config.put("settings", settings);
            config.put("maskedKeys", new ArrayList<>(setup.secretKeys()));
            return config;
        });
        handlers.put("tools_logs", request -> {
            WorkspaceTool tool = tool(request);
            String level = request.stringQuery("level", null);
            return page(request.org().toolSetups.get(tool.getId()).logs().stream()
                    .filter(l -> level == null || l.getLevel().value().equals(level)).toList(), request);
        });
    }

    private static WorkspaceTool tool(SandboxRequest request) {
        return require(request.org().tools, request.path("toolId"), "Workspace tool");
    }
}
