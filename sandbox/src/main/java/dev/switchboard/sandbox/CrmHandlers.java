package dev.switchboard.sandbox;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import dev.switchboard.contract.model.Opportunity;
import dev.switchboard.contract.model.OpportunityCreate;
import dev.switchboard.contract.model.OpportunityUpdate;
import dev.switchboard.contract.model.Pipeline;
import dev.switchboard.contract.model.PipelineStage;

/** Pipelines and opportunities. */
final class CrmHandlers extends Handlers {

    CrmHandlers(Jobs jobs, Clock clock) {
        super(jobs, clock);
    }

    @Override
    void register(Map<String, OperationHandler> handlers) {
        handlers.put("crm_pipelines_list", request -> items(List.copyOf(request.org().pipelines.values())));
        handlers.put("crm_opportunities_list", request -> {
            String pipelineId = request.stringQuery("pipelineId", null);
            String stageId = request.stringQuery("stageId", null);
            String ownerId = request.stringQuery("ownerId", null);
            String status = request.stringQuery("status", null);
            double min = request.numberQuery("minValue").orElse(Double.NEGATIVE_INFINITY);
            double max = request.numberQuery("maxValue").orElse(Double.POSITIVE_INFINITY);
            if (min > max) {
                throw SandboxException.invalid("minValue", "'minValue' must not be above 'maxValue'.");
            }
            return page(newestFirst(request.org().opportunities.values(), Opportunity::getCreatedAt, Opportunity::getId).stream()
                    .filter(o -> pipelineId == null || pipelineId.equals(o.getPipelineId()))
                    .filter(o -> stageId == null || stageId.equals(o.getStageId()))
                    .filter(o -> ownerId == null || ownerId.equals(o.getOwnerId()))
                    .filter(o -> status == null || o.getStatus().value().equals(status))
                    .filter(o -> o.getValue().doubleValue() >= min && o.getValue().doubleValue() <= max).toList(), request);
        });
        handlers.put("crm_opportunities_get", request -> opportunity(request));
        handlers.put("crm_opportunities_create", request -> {
            OrgState org = request.org();
            OpportunityCreate input = request.body(OpportunityCreate.class);
            Pipeline pipeline = org.pipelines.get(input.getPipelineId());
            if (pipeline == null) {
                throw SandboxException.invalid("pipelineId", "Pipeline " + input.getPipelineId() + " does not exist; pipelines are "
                        + String.join(", ", org.pipelines.keySet()) + ".", List.copyOf(org.pipelines.keySet()));
            }
            checkStage(pipeline, input.getStageId());
            checkContact(org, input.getContactId());
            Opportunity opportunity = new Opportunity().id(org.nextId("opp_")).name(input.getName())
                    .pipelineId(pipeline.getId()).stageId(input.getStageId()).value(input.getValue())
                    .currency(input.getCurrency() == null ? "USD" : input.getCurrency()).status(Opportunity.StatusEnum.OPEN)
                    .ownerId(input.getOwnerId()).contactId(input.getContactId()).expectedCloseDate(input.getExpectedCloseDate())
                    .createdAt(now()).updatedAt(now());
            org.opportunities.put(opportunity.getId(), opportunity);
            return opportunity;
        });
        handlers.put("crm_opportunities_update", request -> {
            OrgState org = request.org();
            Opportunity opportunity = opportunity(request);
            OpportunityUpdate input = request.body(OpportunityUpdate.class);
            if (input.getStageId() != null) {
                checkStage(org.pipelines.get(opportunity.getPipelineId()), input.getStageId());
                opportunity.stageId(input.getStageId());
            }
            checkContact(org, input.getContactId());
            if (input.getName() != null) {
                opportunity.name(input.getName());
            }
            if (input.getValue() != null) {
                opportunity.value(input.getValue());
            }
            if (input.getStatus() != null) {
                opportunity.status(Opportunity.StatusEnum.fromString(input.getStatus().value()));
            }
            if (input.getOwnerId() != null) {
                opportunity.ownerId(input.getOwnerId());
            }
            if (input.getContactId() != null) {
                opportunity.contactId(input.getContactId());
            }
            if (input.getExpectedCloseDate() != null) {
                opportunity.expectedCloseDate(input.getExpectedCloseDate());
            }
            return opportunity.updatedAt(now());
        });
        handlers.put("crm_opportunities_delete", request -> {
            Opportunity opportunity = opportunity(request);
            request.org().opportunities.remove(opportunity.getId());
            return deleted(opportunity.getId());
        });
    }

    private static Opportunity opportunity(SandboxRequest request) {
        return require(request.org().opportunities, request.path("opportunityId"), "Opportunity");
    }

    private static void checkStage(Pipeline pipeline, String stageId) {
        List<String> stages = pipeline.getStages().stream().map(PipelineStage::getId).toList();
        if (!stages.contains(stageId)) {
            throw SandboxException.invalid("stageId", "Stage " + stageId + " is not a stage of pipeline " + pipeline.getId()
                    + " (" + pipeline.getName() + "); its stages are " + String.join(", ", stages) + ".", stages);
        }
    }

    private static void checkContact(OrgState org, String contactId) {
        if (contactId != null && !org.contacts.containsKey(contactId)) {
            throw SandboxException.invalid("contactId", "Contact " + contactId + " does not exist.");
        }
    }

}
