package dev.switchboard.sandbox;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import dev.switchboard.contract.model.Contact;
import dev.switchboard.contract.model.Enrollment;
import dev.switchboard.contract.model.EnrollmentAdd;
import dev.switchboard.contract.model.Workflow;
import dev.switchboard.contract.model.WorkflowCreate;
import dev.switchboard.contract.model.WorkflowRun;
import dev.switchboard.contract.model.WorkflowStep;
import dev.switchboard.contract.model.WorkflowUpdate;

/** Workflows, their runs and enrollments. */
final class WorkflowHandlers extends Handlers {

    WorkflowHandlers(Jobs jobs, Clock clock) {
        super(jobs, clock);
    }

    @Override
    void register(Map<String, OperationHandler> handlers) {
        handlers.put("workflows_list", request -> {
            String status = request.stringQuery("status", null);
            return page(newestFirst(request.org().workflows.values(), Workflow::getCreatedAt, Workflow::getId).stream()
                    .map(w -> withCount(request.org(), w))
                    .filter(w -> status == null || w.getStatus().value().equals(status)).toList(), request);
        });
        handlers.put("workflows_get", request -> withCount(request.org(), workflow(request)));
        handlers.put("workflows_create", request -> {
            OrgState org = request.org();
            WorkflowCreate input = request.body(WorkflowCreate.class);
            List<WorkflowStep> steps = checkedSteps(org, input.getSteps());
            Workflow workflow = new Workflow().id(org.nextId("wf_")).name(input.getName()).description(input.getDescription())
                    .trigger(Workflow.TriggerEnum.fromString(input.getTrigger() == null ? "manual" : input.getTrigger().value()))
                    .status(Workflow.StatusEnum.fromString(input.getStatus() == null ? "draft" : input.getStatus().value()))
                    .steps(steps).enrollmentCount(0).createdAt(now()).updatedAt(now());
            org.workflows.put(workflow.getId(), workflow);
            return workflow;
        });
        handlers.put("workflows_update", request -> {
            OrgState org = request.org();
            Workflow workflow = workflow(request);
            WorkflowUpdate input = request.body(WorkflowUpdate.class);
            if (input.getSteps() != null) {
                workflow.steps(checkedSteps(org, input.getSteps()));
            }
            if (input.getName() != null) {
                workflow.name(input.getName());
            }
            if (input.getDescription() != null) {
                workflow.description(input.getDescription());
            }
            if (input.getTrigger() != null) {
                workflow.trigger(Workflow.TriggerEnum.fromString(input.getTrigger().value()));
            }
            if (input.getStatus() != null) {
                workflow.status(Workflow.StatusEnum.fromString(input.getStatus().value()));
            }
            return withCount(org, workflow.updatedAt(now()));
        });
        handlers.put("workflows_delete", request -> {
            Workflow workflow = workflow(request);
            request.org().workflows.remove(workflow.getId());
            request.org().enrollments.remove(workflow.getId());
            return deleted(workflow.getId());
        });
        handlers.put("workflows_run", this::run);
        handlers.put("workflows_enrollments_list", request -> {
            Workflow workflow = workflow(request);
            return page(new ArrayList<>(request.org().enrollments.getOrDefault(workflow.getId(), Map.of()).values()), request);
        });
        handlers.put("workflows_enrollments_add", request -> {
            OrgState org = request.org();
            Workflow workflow = workflow(request);
            Map<String, Enrollment> enrolled = org.enrollments.computeIfAbsent(workflow.getId(), k -> new LinkedHashMap<>());
            List<String> added = new ArrayList<>();
            List<String> already = new ArrayList<>();
            List<String> notFound = new ArrayList<>();
            for (String contactId : request.body(EnrollmentAdd.class).getContactIds()) {
                if (!org.contacts.containsKey(contactId)) {
                    notFound.add(contactId);
                } else if (enrolled.containsKey(contactId)) {
                    already.add(contactId);
                } else {
                    enrolled.put(contactId, new Enrollment().workflowId(workflow.getId()).contactId(contactId)
                            .status(Enrollment.StatusEnum.ACTIVE).enrolledAt(now()));
                    added.add(contactId);
                }
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("added", added);
            result.put("alreadyEnrolled", already);
            result.put("notFound", notFound);
            return result;
        });
        handlers.put("workflows_enrollments_remove", request -> {
            Workflow workflow = workflow(request);
            String contactId = request.path("contactId");
            if (request.org().enrollments.getOrDefault(workflow.getId(), new LinkedHashMap<>()).remove(contactId) == null) {
                throw SandboxException.notFound("Enrollment of contact", contactId);
            }
            return deleted(contactId);
        });
    }

    private static Workflow workflow(SandboxRequest request) {
        return require(request.org().workflows, request.path("workflowId"), "Workflow");
    }

    private static Workflow withCount(OrgState org, Workflow workflow) {
        return workflow.enrollmentCount(org.enrollments.getOrDefault(workflow.getId(), Map.of()).size());
    }

    /** Step settings must carry what the step needs. */
    private static List<WorkflowStep> checkedSteps(OrgState org, List<WorkflowStep> steps) {
        if (steps == null) {
            return new ArrayList<>();
        }
        for (int i = 0; i < steps.size(); i++) {
            WorkflowStep step = steps.get(i);
            Map<String, Object> config = step.getConfig() == null ? Map.of() : step.getConfig();
            String field = "steps." + i + ".config";
            List<String> needed = switch (step.getType()) {
                case SEND_EMAIL -> List.of("subject", "body");
                case SEND_SMS -> List.of("body");
                case WAIT -> List.of("hours");
                case ADD_TAG, REMOVE_TAG -> List.of("tag");
                case CALL -> List.of("agentId");
                default -> List.of();
            };
            for (String key : needed) {
                if (!config.containsKey(key)) {
                    throw SandboxException.invalid(field + "." + key, "A " + step.getType().value() + " step needs "
                            + String.join(" and ", needed) + " in its config.", needed);
                }
            }
            if (step.getType() == WorkflowStep.TypeEnum.CALL && !org.agents.containsKey(String.valueOf(config.get("agentId")))) {
                throw SandboxException.invalid(field + ".agentId", "Agent " + config.get("agentId") + " does not exist.");
            }
            if (step.getConfig() == null) {
                step.config(new LinkedHashMap<>());
            }
        }
        return new ArrayList<>(steps);
    }

    private Object run(SandboxRequest request) {
        OrgState org = request.org();
        Workflow workflow = workflow(request);
        if (workflow.getStatus() != Workflow.StatusEnum.ACTIVE) {
            throw SandboxException.conflict("Workflow " + workflow.getId() + " is " + workflow.getStatus().value()
                    + "; activate it with workflows_update (status active) before running it.");
        }
        WorkflowRun input = request.body(WorkflowRun.class);
        boolean dryRun = Boolean.TRUE.equals(input.getDryRun());
        List<String> contactIds = input.getContactIds() != null ? new ArrayList<>(input.getContactIds())
                : new ArrayList<>(org.enrollments.getOrDefault(workflow.getId(), Map.of()).keySet());
        List<String> unknown = contactIds.stream().filter(id -> !org.contacts.containsKey(id)).toList();
        if (!unknown.isEmpty()) {
            throw SandboxException.invalid("contactIds", "These contacts do not exist: " + String.join(", ", unknown) + ".");
        }
        String runId = org.nextId("wfr_");
        int[] executed = new int[2];
        List<Jobs.Step> steps = new ArrayList<>();
        int batch = Math.max(1, (contactIds.size() + 3) / 4);
        for (int start = 0; start < Math.max(1, contactIds.size()); start += batch) {
            List<String> slice = contactIds.subList(Math.min(start, contactIds.size()), Math.min(contactIds.size(), start + batch));
            int done = Math.min(contactIds.size(), start + batch);
            steps.add(new Jobs.Step("Ran " + workflow.getName() + " for " + done + " of " + contactIds.size() + " contacts",
                    done, o -> {
                        for (String contactId : slice) {
                            Contact contact = o.contacts.get(contactId);
                            if (contact == null) {
                                continue;
                            }
                            for (WorkflowStep step : workflow.getSteps()) {
                                executed[1]++;
                                if (dryRun) {
                                    continue;
                                }
                                String tag = String.valueOf(step.getConfig().get("tag"));
                                LinkedHashSet<String> tags = new LinkedHashSet<>(contact.getTags());
                                if (step.getType() == WorkflowStep.TypeEnum.ADD_TAG && tags.add(tag)) {
                                    contact.tags(new ArrayList<>(tags)).updatedAt(now());
                                } else if (step.getType() == WorkflowStep.TypeEnum.REMOVE_TAG && tags.remove(tag)) {
                                    contact.tags(new ArrayList<>(tags)).updatedAt(now());
                                }
                            }
                            executed[0]++;
                        }
                    }));
        }
        return jobs.start(org, "workflows_run", contactIds.size(), steps, o -> {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("runId", runId);
            result.put("workflowId", workflow.getId());
            result.put("contactsProcessed", executed[0]);
            result.put("stepsExecuted", executed[1]);
            result.put("dryRun", dryRun);
            return result;
        }, null);
    }
}
