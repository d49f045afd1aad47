package dev.switchboard.sandbox;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.switchboard.contract.model.TrackingClient;
import dev.switchboard.contract.model.TrackingClientCreate;

/** Website analytics over the seeded traffic, and tracking clients. */
final class AnalyticsHandlers extends Handlers {

    static final int MAX_RANGE_DAYS = 90;
    private static final String[][] PAGES = { { "/", "30" }, { "/pricing", "14" }, { "/product", "11" }, { "/blog", "9" },
            { "/blog/outreach-playbook", "7" }, { "/customers", "6" }, { "/contact", "5" }, { "/docs", "5" },
            { "/careers", "4" }, { "/blog/cold-email-benchmarks", "4" }, { "/integrations", "3" }, { "/security", "2" } };
    private static final String[][] REFERRERS = { { "google.com", "38" }, { "linkedin.com", "17" }, { "news.ycombinator.com", "9" },
            { "bing.com", "8" }, { "twitter.com", "7" }, { "duckduckgo.com", "6" }, { "reddit.com", "5" }, { "producthunt.com", "3" } };

    AnalyticsHandlers(Jobs jobs, Clock clock) {
        super(jobs, clock);
    }

    @Override
    void register(Map<String, OperationHandler> handlers) {
        handlers.put("analytics_summary", request -> {
            List<OrgState.TrafficDay> days = range(request);
            String period = request.stringQuery("period", "daily");
            Map<LocalDate, int[]> buckets = new LinkedHashMap<>();
            for (OrgState.TrafficDay day : days) {
                LocalDate start = switch (period) {
                    case "weekly" -> day.day().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                    case "monthly" -> day.day().withDayOfMonth(1);
                    default -> day.day();
                };
                int[] sums = buckets.computeIfAbsent(start, k -> new int[3]);
                sums[0] += day.visitors();
                sums[1] += day.sessions();
                sums[2] += day.pageviews();
            }
            List<Map<String, Object>> list = new ArrayList<>();
            buckets.forEach((start, sums) -> {
                Map<String, Object> bucket = new LinkedHashMap<>();
                bucket.put("start", start);
                bucket.put("visitors", sums[0]);
                bucket.put("sessions", sums[1]);
                bucket.put("pageviews", sums[2]);
                list.add(bucket);
            });
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("period", period);
            summary.put("from", from(request, days));
            summary.put("to", to(request, days));
            summary.put("buckets", list);
            return summary;
        });
        handlers.put("analytics_overview", request -> {
            List<OrgState.TrafficDay> days = range(request);
            int visitors = days.stream().mapToInt(OrgState.TrafficDay::visitors).sum();
            int sessions = days.stream().mapToInt(OrgState.TrafficDay::sessions).sum();
            double bounce = sessions == 0 ? 0 : days.stream().mapToDouble(d -> d.bounceRate() * d.sessions()).sum() / sessions;
            double duration = sessions == 0 ? 0 : days.stream().mapToDouble(d -> d.avgSessionSeconds() * d.sessions()).sum() / sessions;
            Map<String, Object> overview = new LinkedHashMap<>();
            overview.put("from", from(request, days));
            overview.put("to", to(request, days));
            overview.put("visitors", visitors);
            overview.put("sessions", sessions);
            overview.put("pageviews", days.stream().mapToInt(OrgState.TrafficDay::pageviews).sum());
            overview.put("bounceRate", Math.round(bounce * 1000) / 1000.0);
            overview.put("avgSessionDurationSeconds", Math.round(duration * 10) / 10.0);
            return overview;
        });
        handlers.put("analytics_top_pages", request -> {
            List<OrgState.TrafficDay> days = range(request);
            int pageviews = days.stream().mapToInt(OrgState.TrafficDay::pageviews).sum();
            int visitors = days.stream().mapToInt(OrgState.TrafficDay::visitors).sum();
            List<Map<String, Object>> items = new ArrayList<>();
            for (String[] page : PAGES) {
                int share = Integer.parseInt(page[1]);
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("path", page[0]);
                item.put("pageviews", pageviews * share / 100);
                item.put("uniques", visitors * share / 100);
                item.put("avgVisibleSeconds", 20.0 + share * 2.5);
                items.add(item);
            }
            return items(items.subList(0, Math.min(items.size(), request.intQuery("limit", 10))));
        });
        handlers.put("analytics_top_referrers", request -> {
            List<OrgState.TrafficDay> days = range(request);
            int visitors = days.stream().mapToInt(OrgState.TrafficDay::visitors).sum() / 3;
            int sessions = days.stream().mapToInt(OrgState.TrafficDay::sessions).sum() / 3;
            List<Map<String, Object>> items = new ArrayList<>();
            for (String[] referrer : REFERRERS) {
                int share = Integer.parseInt(referrer[1]);
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("host", referrer[0]);
                item.put("visitors", visitors * share / 100);
                item.put("sessions", sessions * share / 100);
                items.add(item);
            }
            return items(items.subList(0, Math.min(items.size(), request.intQuery("limit", 10))));
        });
        handlers.put("tracking_clients_list", request -> page(List.copyOf(request.org().trackingClients.values()), request));
        handlers.put("tracking_clients_create", request -> {
            OrgState org = request.org();
            TrackingClientCreate input = request.body(TrackingClientCreate.class);
            if (org.trackingClients.values().stream().anyMatch(c -> c.getDomain().equals(input.getDomain()))) {
                throw SandboxException.conflict("A tracking client for " + input.getDomain() + " already exists.");
            }
            String id = org.nextId("tc_");
            boolean withSecret = Boolean.TRUE.equals(input.getWithSecret());
            TrackingClient client = new TrackingClient().id(id).name(input.getName()).domain(input.getDomain())
                    .siteKey("site_" + id.substring(3)).hasSecret(withSecret).createdAt(now());
            org.trackingClients.put(id, client);
            Map<String, Object> created = new LinkedHashMap<>();
            created.put("client", client);
            if (withSecret) {
                // shown once and not kept: the sandbox, like the real service, stores no secret it could show again
                created.put("secret", "tcs_" + UUID.randomUUID().toString().replace("-", ""));
            }
            return created;
        });
        handlers.put("tracking_clients_delete", request -> {
            TrackingClient client = require(request.org().trackingClients, request.path("clientId"), "Tracking client");
            request.org().trackingClients.remove(client.getId());
            return deleted(client.getId());
        });
    }

    private List<OrgState.TrafficDay> range(SandboxRequest request) {
        List<OrgState.TrafficDay> traffic = request.org().traffic;
        LocalDate last = traffic.isEmpty() ? today() : traffic.get(traffic.size() - 1).day();
        LocalDate to = parse(request.stringQuery("to", null), "to", last);
        LocalDate from = parse(request.stringQuery("from", null), "from", to.minusDays(29));
        if (from.isAfter(to)) {
            throw SandboxException.invalid("from", "'from' (" + from + ") must not be after 'to' (" + to + ").");
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_RANGE_DAYS) {
            throw SandboxException.invalid("to", "The range from " + from + " to " + to + " is longer than "
                    + MAX_RANGE_DAYS + " days; narrow it.");
        }
        return traffic.stream().filter(d -> !d.day().isBefore(from) && !d.day().isAfter(to)).toList();
    }

    private LocalDate from(SandboxRequest request, List<OrgState.TrafficDay> days) {
        String from = request.stringQuery("from", null);
        return from != null ? LocalDate.parse(from) : days.isEmpty() ? today() : days.get(0).day();
    }

    private LocalDate to(SandboxRequest request, List<OrgState.TrafficDay> days) {
        String to = request.stringQuery("to", null);
        return to != null ? LocalDate.parse(to) : days.isEmpty() ? today() : days.get(days.size() - 1).day();
    }

    private static LocalDate parse(String value, String field, LocalDate fallback) {
        return value == null ? fallback : LocalDate.parse(value);
    }
}
