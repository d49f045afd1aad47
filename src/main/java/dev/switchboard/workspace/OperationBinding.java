package dev.switchboard.workspace;

import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import jakarta.ws.rs.HeaderParam;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.catalog.Operation;
import dev.switchboard.catalog.OperationParameter;
import io.quarkiverse.openapi.generator.annotations.GeneratedMethod;
import io.quarkiverse.openapi.generator.annotations.GeneratedParam;
import io.quarkiverse.openapi.generator.markers.OperationMarker;
import io.smallrye.mutiny.Uni;

/**
 * Ties a catalog operation to the method the generator made for it, and turns an {@link UpstreamRequest} into that
 * method's arguments. Built once per operation; refuses to start when the generated client and the contract disagree.
 */
final class OperationBinding {

    static final String GENERATED_PACKAGE = "dev.switchboard.contract.api";
    private static final String ORGANIZATION_ID = "organizationId";

    private enum Source {
        AUTHORIZATION,
        ORGANIZATION,
        IDEMPOTENCY_KEY,
        ARGUMENT,
        BODY
    }

    private record Slot(Source source, String argument, JavaType type) {
    }

    private final Operation operation;
    private final Class<?> api;
    private final Method method;
    private final List<Slot> slots;

    private OperationBinding(Operation operation, Class<?> api, Method method, List<Slot> slots) {
        this.operation = operation;
        this.api = api;
        this.method = method;
        this.slots = slots;
    }

    Class<?> api() {
        return api;
    }

    Method method() {
        return method;
    }

    /** The generated client interface of a contract tag, for example {@code crm} to {@code CrmApi}. */
    static Class<?> apiFor(String group) {
        String simpleName = Character.toUpperCase(group.charAt(0)) + group.substring(1) + "Api";
        try {
            return Class.forName(GENERATED_PACKAGE + "." + simpleName, true, OperationBinding.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("no generated client " + simpleName + " for contract tag " + group, e);
        }
    }

    static OperationBinding bind(Operation operation, ObjectMapper mapper) {
        Class<?> api = apiFor(operation.group());
        List<Method> candidates = new ArrayList<>();
        for (Method method : api.getMethods()) {
            GeneratedMethod generated = method.getAnnotation(GeneratedMethod.class);
            if (generated != null && generated.value().equals(operation.name())) {
                candidates.add(method);
            }
        }
        if (candidates.size() != 1) {
            throw new IllegalStateException("%s: expected one generated method in %s, found %d"
                    .formatted(operation.name(), api.getSimpleName(), candidates.size()));
        }
        Method method = candidates.get(0);
        OperationMarker marker = method.getAnnotation(OperationMarker.class);
        if (marker == null || !marker.method().equalsIgnoreCase(operation.method())
                || !marker.path().equals(operation.pathTemplate())) {
            throw new IllegalStateException(operation.name() + ": the generated client calls "
                    + (marker == null ? "an unknown route" : marker.method() + " " + marker.path())
                    + " but the contract says " + operation.method() + " " + operation.pathTemplate());
        }

        List<Slot> slots = new ArrayList<>();
        Set<String> bound = new TreeSet<>();
        for (Parameter parameter : method.getParameters()) {
            JavaType type = mapper.getTypeFactory().constructType(parameter.getParameterizedType());
            GeneratedParam generated = parameter.getAnnotation(GeneratedParam.class);
            HeaderParam header = parameter.getAnnotation(HeaderParam.class);
            if (generated != null) {
                String name = generated.value();
                if (name.equals(ORGANIZATION_ID)) {
                    slots.add(new Slot(Source.ORGANIZATION, name, type));
                    continue;
                }
                OperationParameter declared = operation.parameters().stream().filter(p -> p.name().equals(name)).findFirst()
                        .orElseThrow(() -> new IllegalStateException(operation.name()
                                + ": the generated client has a parameter " + name + " that the contract does not declare"));
                bound.add(name);
                slots.add(declared.argument().equals(Operation.IDEMPOTENCY_KEY_ARGUMENT)
                        ? new Slot(Source.IDEMPOTENCY_KEY, declared.argument(), type)
                        : new Slot(Source.ARGUMENT, declared.argument(), type));
            } else if (header != null && header.value().equalsIgnoreCase("Authorization")) {
                slots.add(new Slot(Source.AUTHORIZATION, null, type));
            } else if (!hasJaxRsAnnotation(parameter)) {
                if (operation.bodySchema().isEmpty()) {
                    throw new IllegalStateException(operation.name() + ": the generated client sends a body the contract does not declare");
                }
                slots.add(new Slot(Source.BODY, null, type));
            } else {
                throw new IllegalStateException(operation.name() + ": unexpected generated parameter " + parameter);
            }
        }
        Set<String> declared = operation.parameters().stream().map(OperationParameter::name)
                .collect(Collectors.toCollection(TreeSet::new));
        if (!declared.equals(bound)) {
            throw new IllegalStateException(operation.name() + ": contract parameters " + declared
                    + " but generated parameters " + bound);
        }
        if (operation.bodySchema().isPresent() && slots.stream().noneMatch(s -> s.source() == Source.BODY)) {
            throw new IllegalStateException(operation.name() + ": the contract declares a body the generated client does not send");
        }
        return new OperationBinding(operation, api, method, List.copyOf(slots));
    }

    /** Calls the generated client; the returned Uni is lazy and performs a fresh request on each subscription. */
    Uni<Object> invoke(Object client, UpstreamRequest request, ObjectMapper mapper) {
        Object[] values = new Object[slots.size()];
        for (int i = 0; i < values.length; i++) {
            Slot slot = slots.get(i);
            values[i] = switch (slot.source()) {
                case AUTHORIZATION -> request.authorization();
                case ORGANIZATION -> request.organizationId().orElseThrow(
                        () -> new IllegalArgumentException(operation.name() + " needs an organization"));
                case IDEMPOTENCY_KEY -> request.idempotencyKey().orElse(null);
                case ARGUMENT -> convert(request.arguments().get(slot.argument()), slot.type(), mapper);
                case BODY -> body(request, slot.type(), mapper);
            };
        }
        try {
            @SuppressWarnings("unchecked")
            Uni<Object> uni = (Uni<Object>) method.invoke(client, values);
            return uni;
        } catch (InvocationTargetException e) {
            return Uni.createFrom().failure(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object body(UpstreamRequest request, JavaType type, ObjectMapper mapper) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (String property : operation.bodyProperties()) {
            Object value = request.arguments().get(property);
            if (value != null) {
                body.put(property, value);
            }
        }
        if (body.isEmpty() && !operation.bodyRequired()) {
            return null;
        }
        return mapper.convertValue(body, type);
    }

    private static Object convert(Object value, JavaType type, ObjectMapper mapper) {
        return value == null ? null : mapper.convertValue(value, type);
    }

    private static boolean hasJaxRsAnnotation(Parameter parameter) {
        for (Annotation annotation : parameter.getAnnotations()) {
            if (annotation.annotationType().getPackageName().equals("jakarta.ws.rs")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return operation.name() + " -> " + api.getSimpleName() + "." + method.getName() + "(" + slots.stream()
                .map(s -> s.source().name().toLowerCase(Locale.ROOT) + (s.argument() == null ? "" : ":" + s.argument()))
                .collect(Collectors.joining(", ")) + ")";
    }
}
