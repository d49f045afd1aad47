package dev.switchboard.sandbox;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.switchboard.contract.model.Agent;
import dev.switchboard.contract.model.AgentCreate;
import dev.switchboard.contract.model.AgentFile;
import dev.switchboard.contract.model.AgentTool;
import dev.switchboard.contract.model.AgentToolAttach;
import dev.switchboard.contract.model.AgentUpdate;
import dev.switchboard.contract.model.WorkspaceTool;

/** Agents, their attached tools and their knowledge files. */
final class AgentHandlers extends Handlers {

    private static final int MAX_FILE_BYTES = 1024 * 1024;

    AgentHandlers(Jobs jobs, Clock clock) {
        super(jobs, clock);
    }

    @Override
    void register(Map<String, OperationHandler> handlers) {
        handlers.put("agents_list", request -> {
            String status = request.stringQuery("status", null);
            List<Agent> agents = newestFirst(request.org().agents.values(), Agent::getCreatedAt, Agent::getId).stream()
                    .filter(a -> status == null || a.getStatus().value().equals(status)).toList();
            return page(agents, request);
        });
        handlers.put("agents_get", request -> agent(request));
        handlers.put("agents_create", request -> {
            AgentCreate input = request.body(AgentCreate.class);
            OrgState org = request.org();
            Agent agent = new Agent().id(org.nextId("ag_")).name(input.getName()).prompt(input.getPrompt())
                    .voice(Agent.VoiceEnum.fromString(input.getVoice() == null ? "alloy" : input.getVoice().value()))
                    .model(input.getModel() == null ? OrgState.DEFAULT_AGENT_MODEL : input.getModel())
                    .status(Agent.StatusEnum.ACTIVE).createdAt(now()).updatedAt(now());
            org.agents.put(agent.getId(), agent);
            return agent;
        });
        handlers.put("agents_update", request -> {
            Agent agent = agent(request);
            AgentUpdate input = request.body(AgentUpdate.class);
            if (input.getName() != null) {
                agent.name(input.getName());
            }
            if (input.getPrompt() != null) {
                agent.prompt(input.getPrompt());
            }
            if (input.getVoice() != null) {
                agent.voice(Agent.VoiceEnum.fromString(input.getVoice().value()));
            }
            if (input.getModel() != null) {
                agent.model(input.getModel());
            }
            if (input.getStatus() != null) {
                agent.status(Agent.StatusEnum.fromString(input.getStatus().value()));
            }
            return agent.updatedAt(now());
        });
        handlers.put("agents_delete", request -> {
            Agent agent = agent(request);
            OrgState org = request.org();
            org.agents.remove(agent.getId());
            org.agentTools.remove(agent.getId());
            org.agentFiles.remove(agent.getId());
            return deleted(agent.getId());
        });
        handlers.put("agents_tools_list", request -> {
            Agent agent = agent(request);
            return page(new ArrayList<>(request.org().agentTools.getOrDefault(agent.getId(), Map.of()).values()), request);
        });
        handlers.put("agents_tools_attach", request -> {
            Agent agent = agent(request);
            String toolId = request.body(AgentToolAttach.class).getToolId();
            WorkspaceTool tool = request.org().tools.get(toolId);
            if (tool == null) {
                throw SandboxException.invalid("toolId", "Workspace tool " + toolId + " does not exist; tools_list shows "
                        + "the tools: " + String.join(", ", request.org().tools.keySet()) + ".",
                        List.copyOf(request.org().tools.keySet()));
            }
            Map<String, AgentTool> attached = request.org().agentTools.computeIfAbsent(agent.getId(), k -> new LinkedHashMap<>());
            if (attached.containsKey(toolId)) {
                throw SandboxException.conflict("Tool " + toolId + " is already attached to agent " + agent.getId() + ".");
            }
            AgentTool link = new AgentTool().toolId(toolId).name(tool.getName()).attachedAt(now());
            attached.put(toolId, link);
            return link;
        });
        handlers.put("agents_tools_detach", request -> {
            Agent agent = agent(request);
            String toolId = request.path("toolId");
            Map<String, AgentTool> attached = request.org().agentTools.getOrDefault(agent.getId(), Map.of());
            if (attached.remove(toolId) == null) {
                throw SandboxException.notFound("Tool attachment", toolId);
            }
            return deleted(toolId);
        });
        handlers.put("agents_files_list", request -> {
            Agent agent = agent(request);
            return page(new ArrayList<>(request.org().agentFiles.getOrDefault(agent.getId(), Map.of()).values()), request);
        });
        handlers.put("agents_files_upload", request -> {
            Agent agent = agent(request);
            // read as text: the generated model's byte[] would decode the base64 already, and decoding it again
            // refused valid content and accepted double-encoded content
            String encoded = request.body().path("contentBase64").asText();
            byte[] content;
            try {
                content = Base64.getDecoder().decode(encoded);
            } catch (IllegalArgumentException e) {
                throw SandboxException.invalid("contentBase64", "'contentBase64' is not valid base64: use the standard "
                        + "alphabet (A-Z, a-z, 0-9, + and /) with = padding, no line breaks, as in aGVsbG8= for \"hello\".");
            }
            if (content.length > MAX_FILE_BYTES) {
                throw SandboxException.invalid("contentBase64", "The file is " + content.length
                        + " bytes; at most " + MAX_FILE_BYTES + " bytes (1 MiB) are accepted.");
            }
            OrgState org = request.org();
            AgentFile file = new AgentFile().id(org.nextId("fl_")).name(request.body().path("name").asText())
                    .mediaType(request.body().path("mediaType").asText()).sizeBytes(content.length).createdAt(now());
            org.agentFiles.computeIfAbsent(agent.getId(), k -> new LinkedHashMap<>()).put(file.getId(), file);
            return file;
        });
        handlers.put("agents_files_delete", request -> {
            Agent agent = agent(request);
            String fileId = request.path("fileId");
            if (request.org().agentFiles.getOrDefault(agent.getId(), Map.of()).remove(fileId) == null) {
                throw SandboxException.notFound("File", fileId);
            }
            return deleted(fileId);
        });
    }

    private static Agent agent(SandboxRequest request) {
        return require(request.org().agents, request.path("agentId"), "Agent");
    }
}
