package dev.switchboard.sandbox;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.switchboard.contract.model.Campaign;
import dev.switchboard.contract.model.InsightCustomCreate;
import dev.switchboard.contract.model.InsightEvidence;
import dev.switchboard.contract.model.InsightReport;
import dev.switchboard.contract.model.Opportunity;

/** Insight reports and the runs that generate them from the organization's current data. */
final class InsightHandlers extends Handlers {

    InsightHandlers(Jobs jobs, Clock clock) {
        super(jobs, clock);
    }

    @Override
    void register(Map<String, OperationHandler> handlers) {
        handlers.put("insights_list", request -> page(newestFirst(request.org().reports.values(), InsightReport::getCreatedAt,
                InsightReport::getId).stream().map(InsightHandlers::withoutEvidence).toList(), request));
        handlers.put("insights_report_get", request -> require(request.org().reports, request.path("reportId"), "Insight report"));
        handlers.put("insights_run_all", request -> {
            List<OrgState.InsightDefinition> active = request.org().insightDefinitions.values().stream()
                    .filter(OrgState.InsightDefinition::active).toList();
            List<String> reportIds = new ArrayList<>();
            List<Jobs.Step> steps = new ArrayList<>();
            steps.add(new Jobs.Step("Collecting data", 0.5));
            for (int i = 0; i < active.size(); i++) {
                OrgState.InsightDefinition definition = active.get(i);
                steps.add(new Jobs.Step("Generated " + definition.name(), i + 1,
                        org -> reportIds.add(generate(org, definition).getId())));
            }
            return jobs.start(request.org(), "insights_run_all", active.size(), steps, org -> {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("definitionsRun", active.size());
                result.put("reportIds", reportIds);
                return result;
            }, null);
        });
        handlers.put("insights_run", request -> {
            OrgState.InsightDefinition definition = require(request.org().insightDefinitions, request.path("definitionId"),
                    "Insight definition");
            return runOne(request.org(), "insights_run", definition);
        });
        handlers.put("insights_create_custom", request -> {
            OrgState org = request.org();
            InsightCustomCreate input = request.body(InsightCustomCreate.class);
            OrgState.InsightDefinition definition = new OrgState.InsightDefinition(org.nextId("idef_"), input.getName(),
                    input.getPrompt(), true);
            org.insightDefinitions.put(definition.id(), definition);
            return runOne(org, "insights_create_custom", definition);
        });
    }

    private Object runOne(OrgState org, String type, OrgState.InsightDefinition definition) {
        String[] reportId = new String[1];
        List<Jobs.Step> steps = List.of(
                new Jobs.Step("Collecting data", 1),
                new Jobs.Step("Analysing", 2),
                new Jobs.Step("Writing the report", 3, o -> reportId[0] = generate(o, definition).getId()));
        return jobs.start(org, type, 3, steps, o -> {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("definitionId", definition.id());
            result.put("reportId", reportId[0]);
            return result;
        }, null);
    }

    private static InsightReport withoutEvidence(InsightReport full) {
        return new InsightReport().id(full.getId()).definitionId(full.getDefinitionId()).title(full.getTitle())
                .summary(full.getSummary()).status(full.getStatus()).evidenceCount(full.getEvidenceCount())
                .createdAt(full.getCreatedAt());
    }

    /** A report computed from the organization's data as it is now. */
    private InsightReport generate(OrgState org, OrgState.InsightDefinition definition) {
        List<Opportunity> open = org.opportunities.values().stream()
                .filter(o -> o.getStatus() == Opportunity.StatusEnum.OPEN).toList();
        double pipelineValue = open.stream().mapToDouble(o -> o.getValue().doubleValue()).sum();
        List<Campaign> sent = org.campaigns.values().stream().filter(c -> c.getStatus() == Campaign.StatusEnum.SENT).toList();
        double openRate = sent.stream().mapToDouble(c -> Campaigns.stats(org, c).getOpenRate().doubleValue()).average().orElse(0);
        long unread = org.mailboxes.values().stream().flatMap(m -> m.threads().values().stream())
                .filter(t -> Boolean.TRUE.equals(t.getUnread())).count();
        List<InsightEvidence> evidence = List.of(
                new InsightEvidence().label("Open opportunities").value(String.valueOf(open.size())).source("crm"),
                new InsightEvidence().label("Open pipeline value").value(String.format("%.2f", pipelineValue)).source("crm"),
                new InsightEvidence().label("Average campaign open rate").value(String.format("%.1f%%", openRate * 100)).source("campaigns"),
                new InsightEvidence().label("Contacts").value(String.valueOf(org.contacts.size())).source("contacts"),
                new InsightEvidence().label("Unread inbox threads").value(String.valueOf(unread)).source("inbox"));
        InsightReport report = new InsightReport().id(org.nextId("rep_")).definitionId(definition.id()).title(definition.name())
                .summary(definition.name() + ": " + open.size() + " open opportunities worth "
                        + String.format("%.0f", pipelineValue) + ", " + unread + " unread threads waiting, campaigns opened at "
                        + String.format("%.1f%%", openRate * 100) + ".")
                .status(InsightReport.StatusEnum.READY).evidence(evidence).evidenceCount(evidence.size()).createdAt(now());
        org.reports.put(report.getId(), report);
        return report;
    }
}
