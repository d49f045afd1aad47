package dev.switchboard.sandbox;

import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

import dev.switchboard.contract.model.Contact;
import dev.switchboard.contract.model.ContactBulkDelete;
import dev.switchboard.contract.model.ContactCreate;
import dev.switchboard.contract.model.ContactField;
import dev.switchboard.contract.model.ContactFieldCreate;
import dev.switchboard.contract.model.ContactFieldUpdate;
import dev.switchboard.contract.model.ContactImport;
import dev.switchboard.contract.model.ContactUpdate;
import dev.switchboard.contract.model.Deduplicate;
import dev.switchboard.contract.model.DuplicateResolve;

/** Contacts, custom fields, imports and duplicates. */
final class ContactHandlers extends Handlers {

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final Pattern PHONE = Pattern.compile("^\\+[1-9][0-9]{6,14}$");
    private static final int IMPORT_STEPS = 5;

    ContactHandlers(Jobs jobs, Clock clock) {
        super(jobs, clock);
    }

    @Override
    void register(Map<String, OperationHandler> handlers) {
        handlers.put("contacts_list", this::list);
        handlers.put("contacts_get", request -> request.org().contact(request.path("contactId")));
        handlers.put("contacts_create", request -> {
            ContactCreate input = request.body(ContactCreate.class);
            OrgState org = request.org();
            Map<String, Object> customFields = checkedCustomFields(org, input.getCustomFields());
            Contact contact = new Contact().id(org.nextId("ct_")).email(input.getEmail()).phone(input.getPhone())
                    .firstName(input.getFirstName()).lastName(input.getLastName()).company(input.getCompany())
                    .tags(input.getTags() == null ? List.of() : new ArrayList<>(input.getTags()))
                    .customFields(customFields).createdAt(now()).updatedAt(now());
            org.contacts.put(contact.getId(), contact);
            return contact;
        });
        handlers.put("contacts_update", request -> {
            OrgState org = request.org();
            Contact contact = org.contact(request.path("contactId"));
            ContactUpdate input = request.body(ContactUpdate.class);
            Map<String, Object> customFields = checkedCustomFields(org, input.getCustomFields());
            if (input.getEmail() != null) {
                contact.email(input.getEmail());
            }
            if (input.getPhone() != null) {
                contact.phone(input.getPhone());
            }
            if (input.getFirstName() != null) {
                contact.firstName(input.getFirstName());
            }
            if (input.getLastName() != null) {
                contact.lastName(input.getLastName());
            }
            if (input.getCompany() != null) {
                contact.company(input.getCompany());
            }
            if (input.getTags() != null) {
                contact.tags(new ArrayList<>(input.getTags()));
            }
            if (!customFields.isEmpty()) {
                Map<String, Object> merged = new LinkedHashMap<>(contact.getCustomFields());
                merged.putAll(customFields);
                contact.customFields(merged);
            }
            return contact.updatedAt(now());
        });
        handlers.put("contacts_delete", request -> {
            OrgState org = request.org();
            Contact contact = org.contact(request.path("contactId"));
            remove(org, contact.getId());
            return deleted(contact.getId());
        });
        handlers.put("contacts_bulk_delete", request -> {
            OrgState org = request.org();
            List<String> notFound = new ArrayList<>();
            int removed = 0;
            for (String id : request.body(ContactBulkDelete.class).getIds()) {
                if (org.contacts.containsKey(id)) {
                    remove(org, id);
                    removed++;
                } else {
                    notFound.add(id);
                }
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("deleted", removed);
            result.put("notFound", notFound);
            return result;
        });
        handlers.put("contacts_import", this::startImport);
        handlers.put("contact_fields_list", request -> items(List.copyOf(request.org().contactFields.values())));
        handlers.put("contact_fields_create", request -> {
            OrgState org = request.org();
            ContactFieldCreate input = request.body(ContactFieldCreate.class);
            if (org.contactFields.containsKey(input.getKey())) {
                throw SandboxException.conflict("A custom field with key " + input.getKey() + " already exists.");
            }
            boolean select = input.getType() == ContactFieldCreate.TypeEnum.SELECT;
            if (select && (input.getOptions() == null || input.getOptions().isEmpty())) {
                throw SandboxException.invalid("options", "'options' is required for a select field: list its allowed values.");
            }
            if (!select && input.getOptions() != null) {
                throw SandboxException.invalid("options", "'options' is only allowed for select fields.");
            }
            ContactField field = new ContactField().key(input.getKey()).label(input.getLabel())
                    .type(ContactField.TypeEnum.fromString(input.getType().value()))
                    .options(input.getOptions() == null ? null : new ArrayList<>(input.getOptions())).createdAt(now());
            org.contactFields.put(field.getKey(), field);
            return field;
        });
        handlers.put("contact_fields_update", request -> {
            OrgState org = request.org();
            ContactField field = require(org.contactFields, request.path("fieldKey"), "Custom field");
            ContactFieldUpdate input = request.body(ContactFieldUpdate.class);
            if (input.getOptions() != null && field.getType() != ContactField.TypeEnum.SELECT) {
                throw SandboxException.invalid("options", "'options' can only change on select fields; "
                        + field.getKey() + " is a " + field.getType().value() + " field.");
            }
            if (input.getNewKey() != null && !input.getNewKey().equals(field.getKey())) {
                String oldKey = field.getKey();
                if (org.contactFields.containsKey(input.getNewKey())) {
                    throw SandboxException.conflict("A custom field with key " + input.getNewKey() + " already exists.");
                }
                Map<String, ContactField> renamed = new LinkedHashMap<>();
                org.contactFields.forEach((key, value) -> renamed.put(key.equals(oldKey) ? input.getNewKey() : key, value));
                org.contactFields.clear();
                org.contactFields.putAll(renamed);
                field.key(input.getNewKey());
                for (Contact contact : org.contacts.values()) {
                    if (contact.getCustomFields().containsKey(oldKey)) {
                        Map<String, Object> values = new LinkedHashMap<>(contact.getCustomFields());
                        values.put(input.getNewKey(), values.remove(oldKey));
                        contact.customFields(values);
                    }
                }
            }
            if (input.getLabel() != null) {
                field.label(input.getLabel());
            }
            if (input.getOptions() != null) {
                field.options(new ArrayList<>(input.getOptions()));
            }
            return field;
        });
        handlers.put("contact_fields_delete", request -> {
            OrgState org = request.org();
            ContactField field = require(org.contactFields, request.path("fieldKey"), "Custom field");
            org.contactFields.remove(field.getKey());
            int stripped = 0;
            for (Contact contact : org.contacts.values()) {
                if (contact.getCustomFields().containsKey(field.getKey())) {
                    Map<String, Object> values = new LinkedHashMap<>(contact.getCustomFields());
                    values.remove(field.getKey());
                    contact.customFields(values);
                    stripped++;
                }
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("key", field.getKey());
            result.put("deleted", true);
            result.put("strippedValues", stripped);
            return result;
        });
        handlers.put("contacts_duplicates_list", request -> {
            List<Map<String, Object>> groups = new ArrayList<>();
            duplicateGroups(request.org()).forEach((email, contacts) -> {
                Map<String, Object> group = new LinkedHashMap<>();
                group.put("id", groupId(contacts));
                group.put("email", email);
                group.put("contacts", contacts);
                groups.add(group);
            });
            return page(groups, request);
        });
        handlers.put("contacts_duplicates_resolve", request -> {
            OrgState org = request.org();
            String groupId = request.path("groupId");
            List<Contact> group = duplicateGroups(org).values().stream().filter(g -> groupId(g).equals(groupId))
                    .findFirst().orElseThrow(() -> SandboxException.notFound("Duplicate group", groupId));
            DuplicateResolve input = request.body(DuplicateResolve.class);
            Contact keeper = group.stream().filter(c -> c.getId().equals(input.getKeeperId())).findFirst()
                    .orElseThrow(() -> SandboxException.invalid("keeperId", "'keeperId' must be one of the group's contacts: "
                            + String.join(", ", group.stream().map(Contact::getId).toList()) + ".",
                            group.stream().map(Contact::getId).toList()));
            boolean merge = input.getStrategy() != DuplicateResolve.StrategyEnum.DELETE;
            List<String> removed = resolve(org, keeper, group, merge);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("groupId", groupId);
            result.put("keeper", keeper);
            result.put("removedIds", removed);
            return result;
        });
        handlers.put("contacts_deduplicate", this::startDeduplicate);
    }

    private Object list(SandboxRequest request) {
        String query = request.stringQuery("query", null);
        List<String> tags = request.listQuery("tag");
        String email = request.stringQuery("email", null);
        String company = request.stringQuery("company", null);
        List<String[]> fieldFilters = request.listQuery("field").stream().map(f -> f.split(":", 2)).toList();
        List<Contact> matches = request.org().contacts.values().stream()
                .filter(c -> query == null || matchesQuery(c, query))
                .filter(c -> c.getTags().containsAll(tags))
                .filter(c -> email == null || email.equalsIgnoreCase(c.getEmail()))
                .filter(c -> company == null || company.equalsIgnoreCase(c.getCompany()))
                .filter(c -> fieldFilters.stream().allMatch(f -> Objects.equals(
                        String.valueOf(c.getCustomFields().get(f[0])).toLowerCase(Locale.ROOT), f[1].toLowerCase(Locale.ROOT))))
                .sorted(order(request.stringQuery("sort", "-createdAt")))
                .toList();
        return page(matches, request);
    }

    private static boolean matchesQuery(Contact contact, String query) {
        for (String word : query.trim().split("\\s+")) {
            if (!(containsIgnoreCase(contact.getFirstName(), word) || containsIgnoreCase(contact.getLastName(), word)
                    || containsIgnoreCase(contact.getEmail(), word) || containsIgnoreCase(contact.getCompany(), word))) {
                return false;
            }
        }
        return true;
    }

    private static Comparator<Contact> order(String sort) {
        boolean descending = sort.startsWith("-");
        Function<Contact, String> key = switch (sort.replace("-", "")) {
            case "lastName" -> c -> Objects.toString(c.getLastName(), "");
            case "email" -> c -> Objects.toString(c.getEmail(), "");
            default -> c -> c.getCreatedAt().toString();
        };
        Comparator<Contact> comparator = Comparator.comparing(key, String.CASE_INSENSITIVE_ORDER).thenComparing(Contact::getId);
        return descending ? comparator.reversed() : comparator;
    }

    private static void remove(OrgState org, String contactId) {
        org.contacts.remove(contactId);
        org.enrollments.values().forEach(enrolled -> enrolled.remove(contactId));
    }

    /** Checks custom field values against the field definitions; 422 names the field at fault. */
    static Map<String, Object> checkedCustomFields(OrgState org, Map<String, Object> values) {
        Map<String, Object> checked = new LinkedHashMap<>();
        if (values == null) {
            return checked;
        }
        List<String> known = List.copyOf(org.contactFields.keySet());
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            String field = "customFields." + entry.getKey();
            ContactField definition = org.contactFields.get(entry.getKey());
            if (definition == null) {
                throw SandboxException.invalid(field, "'" + field + "' is not a custom field of this organization; "
                        + "known keys: " + String.join(", ", known) + ".", known);
            }
            Object value = entry.getValue();
            boolean valid = switch (definition.getType()) {
                case NUMBER -> value instanceof Number;
                case BOOLEAN -> value instanceof Boolean;
                case DATE -> value instanceof String s && isDate(s);
                case SELECT -> value instanceof String s && definition.getOptions().contains(s);
                default -> value instanceof String;
            };
            if (!valid) {
                String expected = switch (definition.getType()) {
                    case NUMBER -> "a number";
                    case BOOLEAN -> "true or false";
                    case DATE -> "a date such as 2026-01-31";
                    case SELECT -> "one of: " + String.join(", ", definition.getOptions());
                    default -> "text";
                };
                throw SandboxException.invalid(field, "'" + field + "' must be " + expected + ".",
                        definition.getType() == ContactField.TypeEnum.SELECT ? definition.getOptions() : List.of());
            }
            checked.put(entry.getKey(), value);
        }
        return checked;
    }

    private static boolean isDate(String value) {
        try {
            LocalDate.parse(value);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ duplicates

    /** Contacts sharing an email, by email; each group oldest first. */
    static Map<String, List<Contact>> duplicateGroups(OrgState org) {
        Map<String, List<Contact>> byEmail = new TreeMap<>();
        for (Contact contact : org.contacts.values()) {
            if (contact.getEmail() != null) {
                byEmail.computeIfAbsent(contact.getEmail().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(contact);
            }
        }
        byEmail.values().removeIf(group -> group.size() < 2);
        byEmail.values().forEach(group -> group.sort(Comparator.comparing(Contact::getCreatedAt).thenComparing(Contact::getId)));
        return byEmail;
    }

    static String groupId(List<Contact> group) {
        return "dup_" + group.get(0).getId();
    }

    private List<String> resolve(OrgState org, Contact keeper, List<Contact> group, boolean merge) {
        List<String> removed = new ArrayList<>();
        for (Contact other : group) {
            if (other == keeper) {
                continue;
            }
            if (merge) {
                if (keeper.getPhone() == null) {
                    keeper.phone(other.getPhone());
                }
                if (keeper.getFirstName() == null) {
                    keeper.firstName(other.getFirstName());
                }
                if (keeper.getLastName() == null) {
                    keeper.lastName(other.getLastName());
                }
                if (keeper.getCompany() == null) {
                    keeper.company(other.getCompany());
                }
                LinkedHashSet<String> tags = new LinkedHashSet<>(keeper.getTags());
                tags.addAll(other.getTags());
                keeper.tags(new ArrayList<>(tags));
                Map<String, Object> fields = new LinkedHashMap<>(other.getCustomFields());
                fields.putAll(keeper.getCustomFields());
                keeper.customFields(fields);
            }
            remove(org, other.getId());
            removed.add(other.getId());
        }
        keeper.updatedAt(now());
        return removed;
    }

    private Object startDeduplicate(SandboxRequest request) {
        Deduplicate input = request.body(Deduplicate.class);
        boolean merge = input.getStrategy() != Deduplicate.StrategyEnum.DELETE;
        Deduplicate.KeeperEnum policy = input.getKeeper() == null ? Deduplicate.KeeperEnum.OLDEST : input.getKeeper();
        int[] resolved = new int[2];
        List<Jobs.Step> steps = List.of(
                new Jobs.Step("Finding duplicate groups", 1),
                new Jobs.Step("Choosing keepers", 2),
                new Jobs.Step("Merging duplicates", 3, org -> {
                    for (List<Contact> group : duplicateGroups(org).values()) {
                        Contact keeper = switch (policy) {
                            case NEWEST -> group.get(group.size() - 1);
                            case MOST_COMPLETE -> group.stream().max(Comparator.comparingInt(ContactHandlers::completeness)).orElseThrow();
                            default -> group.get(0);
                        };
                        resolved[1] += resolve(org, keeper, group, merge).size();
                        resolved[0]++;
                    }
                }),
                new Jobs.Step("Done", 4));
        return jobs.start(request.org(), "contacts_deduplicate", 4, steps, org -> {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("groupsResolved", resolved[0]);
            result.put("contactsRemoved", resolved[1]);
            result.put("strategy", merge ? "merge" : "delete");
            return result;
        }, null);
    }

    private static int completeness(Contact contact) {
        int score = contact.getTags().size() + contact.getCustomFields().size();
        for (Object value : new Object[] { contact.getPhone(), contact.getFirstName(), contact.getLastName(), contact.getCompany() }) {
            score += value == null ? 0 : 1;
        }
        return score;
    }

    // ------------------------------------------------------------------ import

    private Object startImport(SandboxRequest request) {
        ContactImport input = request.body(ContactImport.class);
        boolean hasRows = input.getRows() != null;
        boolean hasCsv = input.getCsv() != null;
        if (hasRows == hasCsv) {
            throw SandboxException.invalid(hasRows ? "csv" : "rows", "Give either 'rows' or 'csv', not "
                    + (hasRows ? "both" : "neither") + ".", List.of("rows", "csv"));
        }
        List<Map<String, Object>> rows = hasRows
                ? input.getRows().stream().map(r -> SandboxJson.MAPPER.<Map<String, Object>> convertValue(r,
                        new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {
                        })).toList()
                : parseCsv(input.getCsv());
        String dedupe = input.getDedupe() == null ? "skip" : input.getDedupe().value();
        Map<String, Object> tally = new LinkedHashMap<>();
        tally.put("created", 0);
        tally.put("updated", 0);
        tally.put("skipped", 0);
        tally.put("failed", 0);
        List<Map<String, Object>> errors = new ArrayList<>();
        List<Jobs.Step> steps = new ArrayList<>();
        int batch = Math.max(1, (rows.size() + IMPORT_STEPS - 1) / IMPORT_STEPS);
        for (int start = 0; start < rows.size(); start += batch) {
            int from = start;
            int to = Math.min(rows.size(), start + batch);
            steps.add(new Jobs.Step("Imported rows " + (from + 1) + " to " + to + " of " + rows.size(), to,
                    org -> importRows(org, rows, from, to, dedupe, tally, errors)));
        }
        if (steps.isEmpty()) {
            steps.add(new Jobs.Step("Nothing to import", 0));
        }
        return jobs.start(request.org(), "contacts_import", rows.size(), steps, org -> {
            Map<String, Object> result = new LinkedHashMap<>(tally);
            result.put("errors", errors.subList(0, Math.min(50, errors.size())));
            return result;
        }, null);
    }

    private void importRows(OrgState org, List<Map<String, Object>> rows, int from, int to, String dedupe,
            Map<String, Object> tally, List<Map<String, Object>> errors) {
        // one pass over the contacts per step, not one per row: a step stays short however large the organization
        Map<String, Contact> byEmail = new java.util.HashMap<>();
        for (Contact contact : org.contacts.values()) {
            if (contact.getEmail() != null) {
                byEmail.putIfAbsent(contact.getEmail().toLowerCase(Locale.ROOT), contact);
            }
        }
        for (int i = from; i < to; i++) {
            Map<String, Object> row = rows.get(i);
            String email = (String) row.get("email");
            String phone = (String) row.get("phone");
            String problem = email == null && phone == null ? "needs an email or a phone"
                    : email != null && !EMAIL.matcher(email).matches() ? "email " + email + " is not a valid address"
                    : phone != null && !PHONE.matcher(phone).matches() ? "phone " + phone + " is not in E.164 form"
                    : null;
            if (problem != null) {
                tally.merge("failed", 1, (a, b) -> (int) a + (int) b);
                errors.add(Map.of("row", i + 1, "message", "Row " + (i + 1) + " " + problem + "."));
                continue;
            }
            Contact existing = email == null ? null : byEmail.get(email.toLowerCase(Locale.ROOT));
            if (existing != null && dedupe.equals("skip")) {
                tally.merge("skipped", 1, (a, b) -> (int) a + (int) b);
                continue;
            }
            Contact target = existing != null && dedupe.equals("update") ? existing
                    : new Contact().id(org.nextId("ct_")).email(email).tags(new ArrayList<>()).customFields(new LinkedHashMap<>())
                            .createdAt(now());
            if (phone != null) {
                target.phone(phone);
            }
            if (row.get("firstName") != null) {
                target.firstName((String) row.get("firstName"));
            }
            if (row.get("lastName") != null) {
                target.lastName((String) row.get("lastName"));
            }
            if (row.get("company") != null) {
                target.company((String) row.get("company"));
            }
            if (row.get("tags") instanceof List<?> tags) {
                LinkedHashSet<String> merged = new LinkedHashSet<>(target.getTags());
                tags.forEach(t -> merged.add(String.valueOf(t)));
                target.tags(new ArrayList<>(merged));
            }
            target.updatedAt(now());
            if (target == existing) {
                tally.merge("updated", 1, (a, b) -> (int) a + (int) b);
            } else {
                org.contacts.put(target.getId(), target);
                if (email != null) {
                    byEmail.putIfAbsent(email.toLowerCase(Locale.ROOT), target);
                }
                tally.merge("created", 1, (a, b) -> (int) a + (int) b);
            }
        }
    }

    private static List<Map<String, Object>> parseCsv(String csv) {
        List<String> lines = csv.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            throw SandboxException.invalid("csv", "'csv' has no header line.");
        }
        List<String> header = List.of(lines.get(0).split(",", -1)).stream().map(String::trim).toList();
        List<String> allowed = List.of("email", "phone", "firstName", "lastName", "company", "tags");
        for (String column : header) {
            if (!allowed.contains(column)) {
                throw SandboxException.invalid("csv", "'csv' has an unknown column " + column + "; columns are "
                        + String.join(", ", allowed) + ".", allowed);
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size() && i < cells.length; i++) {
                String cell = cells[i].trim();
                if (cell.isEmpty()) {
                    continue;
                }
                row.put(header.get(i), header.get(i).equals("tags") ? List.of(cell.split(";")) : cell);
            }
            rows.add(row);
        }
        return rows;
    }
}
