package dev.switchboard.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.switchboard.catalog.Operation;
import dev.switchboard.catalog.OperationCatalog;

/**
 * The tools the gateway registers, derived from the built-in contract as the gateway derives them: no test writes a
 * count, so that adding an operation to the contract (curated or not) breaks no test that is not about it. The Node
 * scripts get the same figures through {@link #environment()}.
 */
public final class ToolSet {

    /** The gateway's own tools, registered whatever the contract holds. */
    public static final List<String> NATIVE = List.of("organizations_current", "organizations_list", "organizations_switch",
            "list_operations", "run_operation");

    private ToolSet() {
    }

    /** Every operation of the built-in contract. */
    public static List<Operation> operations() {
        return OperationCatalog.builtIn().all();
    }

    /** The operations marked {@code x-curated: true}: a tool each in the default set. */
    public static List<String> curated() {
        return operations().stream().filter(Operation::curated).map(Operation::name).toList();
    }

    /** The default tool set: the native tools and the curated operations. */
    public static List<String> defaults() {
        List<String> names = new ArrayList<>(NATIVE);
        names.addAll(curated());
        return names;
    }

    /** How many tools the gateway lists by default. */
    public static int defaultCount() {
        return NATIVE.size() + curated().size();
    }

    /** How many operations the contract has (every one is listed by list_operations and in the manifest). */
    public static int operationCount() {
        return operations().size();
    }

    /** How many tools the gateway lists with MCP_EXPOSE_ALL_OPERATIONS: every operation, and the native tools. */
    public static int allCount() {
        return NATIVE.size() + operationCount();
    }

    /**
     * The same figures for the Node scripts of src/test/node (lib.mjs reads them; by hand, without them, the scripts
     * read the gateway's /mcp/metadata instead).
     */
    public static Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("E2E_NATIVE_TOOLS", String.join(",", NATIVE));
        environment.put("E2E_CURATED_OPERATIONS", String.join(",", curated()));
        environment.put("E2E_OPERATION_COUNT", String.valueOf(operationCount()));
        return environment;
    }
}
