package dev.switchboard.sandbox;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.switchboard.contract.model.Campaign;
import dev.switchboard.contract.model.CampaignCreate;
import dev.switchboard.contract.model.CampaignSender;
import dev.switchboard.contract.model.CampaignSenderCreate;
import dev.switchboard.contract.model.CampaignStats;
import dev.switchboard.contract.model.CampaignUpdate;
import dev.switchboard.contract.model.Segment;

/** Email campaigns, their sends and statistics, senders and segments. */
final class CampaignHandlers extends Handlers {

    CampaignHandlers(Jobs jobs, Clock clock) {
        super(jobs, clock);
    }

    @Override
    void register(Map<String, OperationHandler> handlers) {
        handlers.put("campaigns_list", request -> {
            String status = request.stringQuery("status", null);
            return page(newestFirst(request.org().campaigns.values(), Campaign::getCreatedAt, Campaign::getId).stream()
                    .filter(c -> status == null || c.getStatus().value().equals(status)).toList(), request);
        });
        handlers.put("campaigns_get", request -> campaign(request));
        handlers.put("campaigns_create", request -> {
            OrgState org = request.org();
            CampaignCreate input = request.body(CampaignCreate.class);
            checkReferences(org, input.getSegmentId(), input.getSenderId());
            Campaign campaign = new Campaign().id(org.nextId("cmp_")).name(input.getName()).subject(input.getSubject())
                    .body(input.getBody()).segmentId(input.getSegmentId()).senderId(input.getSenderId())
                    .scheduledAt(input.getScheduledAt())
                    .status(input.getScheduledAt() == null ? Campaign.StatusEnum.DRAFT : Campaign.StatusEnum.SCHEDULED)
                    .createdAt(now()).updatedAt(now());
            org.campaigns.put(campaign.getId(), campaign);
            return campaign;
        });
        handlers.put("campaigns_update", request -> {
            OrgState org = request.org();
            Campaign campaign = campaign(request);
            requireEditable(campaign, "changed");
            CampaignUpdate input = request.body(CampaignUpdate.class);
            checkReferences(org, input.getSegmentId(), input.getSenderId());
            if (input.getName() != null) {
                campaign.name(input.getName());
            }
            if (input.getSubject() != null) {
                campaign.subject(input.getSubject());
            }
            if (input.getBody() != null) {
                campaign.body(input.getBody());
            }
            if (input.getSegmentId() != null) {
                campaign.segmentId(input.getSegmentId());
            }
            if (input.getSenderId() != null) {
                campaign.senderId(input.getSenderId());
            }
            if (input.getScheduledAt() != null) {
                campaign.scheduledAt(input.getScheduledAt()).status(Campaign.StatusEnum.SCHEDULED);
            }
            return campaign.updatedAt(now());
        });
        handlers.put("campaigns_delete", request -> {
            Campaign campaign = campaign(request);
            if (campaign.getStatus() == Campaign.StatusEnum.SENDING) {
                throw SandboxException.conflict("Campaign " + campaign.getId() + " is sending; wait until it is sent.");
            }
            request.org().campaigns.remove(campaign.getId());
            request.org().campaignStats.remove(campaign.getId());
            return deleted(campaign.getId());
        });
        handlers.put("campaigns_send", this::send);
        handlers.put("campaigns_stats", request -> Campaigns.stats(request.org(), campaign(request)));
        handlers.put("campaign_senders_list", request -> page(List.copyOf(request.org().senders.values()), request));
        handlers.put("campaign_senders_create", request -> {
            OrgState org = request.org();
            CampaignSenderCreate input = request.body(CampaignSenderCreate.class);
            if (org.senders.values().stream().anyMatch(s -> s.getEmail().equalsIgnoreCase(input.getEmail()))) {
                throw SandboxException.conflict("A sender with address " + input.getEmail() + " already exists.");
            }
            CampaignSender sender = new CampaignSender().id(org.nextId("snd_")).name(input.getName()).email(input.getEmail())
                    .verified(false).createdAt(now());
            org.senders.put(sender.getId(), sender);
            return sender;
        });
        handlers.put("segments_list", request -> page(request.org().segments.values().stream()
                .map(segment -> segment.contactCount(Campaigns.members(request.org(), segment))).toList(), request));
    }

    private static Campaign campaign(SandboxRequest request) {
        return require(request.org().campaigns, request.path("campaignId"), "Campaign");
    }

    private static void requireEditable(Campaign campaign, String what) {
        if (campaign.getStatus() != Campaign.StatusEnum.DRAFT && campaign.getStatus() != Campaign.StatusEnum.SCHEDULED) {
            throw SandboxException.conflict("Campaign " + campaign.getId() + " is " + campaign.getStatus().value()
                    + "; only draft and scheduled campaigns can be " + what + ".");
        }
    }

    private static void checkReferences(OrgState org, String segmentId, String senderId) {
        if (segmentId != null && !org.segments.containsKey(segmentId)) {
            throw SandboxException.invalid("segmentId", "Segment " + segmentId + " does not exist; segments are "
                    + String.join(", ", org.segments.keySet()) + ".", List.copyOf(org.segments.keySet()));
        }
        if (senderId != null && !org.senders.containsKey(senderId)) {
            throw SandboxException.invalid("senderId", "Sender " + senderId + " does not exist; senders are "
                    + String.join(", ", org.senders.keySet()) + ".", List.copyOf(org.senders.keySet()));
        }
    }

    private Object send(SandboxRequest request) {
        OrgState org = request.org();
        Campaign campaign = campaign(request);
        requireEditable(campaign, "sent");
        if (campaign.getSegmentId() == null) {
            throw SandboxException.invalid("segmentId", "Campaign " + campaign.getId()
                    + " has no segment; set segmentId with campaigns_update first.");
        }
        if (campaign.getSenderId() == null) {
            throw SandboxException.invalid("senderId", "Campaign " + campaign.getId()
                    + " has no sender; set senderId with campaigns_update first.");
        }
        CampaignSender sender = org.senders.get(campaign.getSenderId());
        if (sender == null || !Boolean.TRUE.equals(sender.getVerified())) {
            throw SandboxException.invalid("senderId", "Sender " + campaign.getSenderId() + " is not verified; "
                    + "choose a verified sender from campaign_senders_list.");
        }
        Segment segment = org.segments.get(campaign.getSegmentId());
        int recipients = segment == null ? 0 : Campaigns.members(org, segment);
        Campaign.StatusEnum before = campaign.getStatus();
        campaign.status(Campaign.StatusEnum.SENDING).updatedAt(now());
        CampaignStats stats = Campaigns.stats(org, campaign);
        List<Jobs.Step> steps = List.of(
                new Jobs.Step("Rendering " + recipients + " emails", 1),
                new Jobs.Step("Sending to the first half of " + recipients + " recipients", 2,
                        o -> Campaigns.deliver(stats, recipients / 2)),
                new Jobs.Step("Sending to the second half", 3, o -> Campaigns.deliver(stats, recipients)),
                new Jobs.Step("Sent", 4, o -> campaign.status(Campaign.StatusEnum.SENT).sentAt(now()).updatedAt(now())));
        return jobs.start(org, "campaigns_send", 4, steps, o -> {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("campaignId", campaign.getId());
            result.put("recipients", stats.getRecipients());
            result.put("delivered", stats.getDelivered());
            result.put("bounced", stats.getBounced());
            return result;
        }, o -> campaign.status(stats.getRecipients() > 0 ? Campaign.StatusEnum.CANCELLED : before).updatedAt(now()));
    }
}
