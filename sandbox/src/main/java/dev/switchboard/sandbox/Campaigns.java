package dev.switchboard.sandbox;

import java.math.BigDecimal;
import java.math.RoundingMode;

import dev.switchboard.contract.model.Campaign;
import dev.switchboard.contract.model.CampaignStats;
import dev.switchboard.contract.model.Segment;

/** Rules of campaigns that hold wherever a campaign is touched: segment membership and delivery figures. */
final class Campaigns {

    private Campaigns() {
    }

    /** Contacts carrying every tag of the segment. */
    static int members(OrgState org, Segment segment) {
        return (int) org.contacts.values().stream().filter(c -> c.getTags().containsAll(segment.getTags())).count();
    }

    /** The campaign's statistics, all zero until it is sent. */
    static CampaignStats stats(OrgState org, Campaign campaign) {
        return org.campaignStats.computeIfAbsent(campaign.getId(), id -> new CampaignStats().campaignId(id).recipients(0)
                .delivered(0).opened(0).clicked(0).bounced(0).unsubscribed(0).openRate(BigDecimal.ZERO)
                .clickRate(BigDecimal.ZERO));
    }

    /** Fills in deterministic delivery figures for a send that reached this many recipients. */
    static void deliver(CampaignStats stats, int recipients) {
        int bounced = recipients / 50;
        int delivered = recipients - bounced;
        int opened = delivered * 42 / 100;
        int clicked = delivered * 11 / 100;
        stats.recipients(recipients).delivered(delivered).bounced(bounced).opened(opened).clicked(clicked)
                .unsubscribed(delivered / 200)
                .openRate(rate(opened, delivered)).clickRate(rate(clicked, delivered));
    }

    private static BigDecimal rate(int part, int whole) {
        return whole == 0 ? BigDecimal.ZERO : BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 3, RoundingMode.HALF_UP);
    }
}
