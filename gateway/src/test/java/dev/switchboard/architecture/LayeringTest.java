package dev.switchboard.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.Arrays;
import java.util.Map;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.PackageMatcher;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * The call flows one way: start-up → the MCP surface and the HTTP edge → tenancy → workspace, with the catalog,
 * configuration, observability, lifecycle, the replica bus and the MCP library's workarounds below them. The sandbox
 * meets the gateway only at the contract (its models and the catalog read from it, and catalog/EmbeddedSandbox, which
 * start-up finds as a bean); nothing imports the start-up package.
 *
 * <p>
 * The Maven modules hold the same boundaries: the contract module (catalog, contract) imports neither of the others,
 * the sandbox imports only the contract module, and no gateway class imports the sandbox (the gateway cannot even
 * compile against it: the sandbox is a run-time dependency). Each package lives in its module.
 */
@AnalyzeClasses(packages = "dev.switchboard", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    @ArchTest
    static final ArchRule callsFlowOneWay = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Startup").definedBy("dev.switchboard.startup..")
            .layer("Mcp").definedBy("dev.switchboard.mcp..")
            .layer("Edge").definedBy("dev.switchboard.edge..")
            .layer("Tenancy").definedBy("dev.switchboard.tenancy..")
            .layer("Workspace").definedBy("dev.switchboard.workspace..")
            .layer("Lifecycle").definedBy("dev.switchboard.lifecycle..")
            .layer("Cluster").definedBy("dev.switchboard.cluster..")
            .layer("Catalog").definedBy("dev.switchboard.catalog..")
            .layer("Config").definedBy("dev.switchboard.config..")
            .layer("Observability").definedBy("dev.switchboard.observability..")
            .layer("Workarounds").definedBy("dev.switchboard.workarounds..")
            .layer("Contract").definedBy("dev.switchboard.contract..")
            .layer("Sandbox").definedBy("dev.switchboard.sandbox..")
            .whereLayer("Startup").mayNotBeAccessedByAnyLayer()
            .whereLayer("Mcp").mayOnlyBeAccessedByLayers("Startup")
            .whereLayer("Edge").mayOnlyBeAccessedByLayers("Startup", "Mcp")
            .whereLayer("Tenancy").mayOnlyBeAccessedByLayers("Startup", "Mcp", "Edge")
            .whereLayer("Workspace").mayOnlyBeAccessedByLayers("Startup", "Mcp", "Tenancy")
            .whereLayer("Lifecycle").mayOnlyBeAccessedByLayers("Startup", "Mcp", "Edge")
            .whereLayer("Cluster").mayOnlyBeAccessedByLayers("Startup", "Mcp", "Edge")
            .whereLayer("Observability").mayOnlyBeAccessedByLayers("Startup", "Mcp", "Edge", "Tenancy", "Workspace",
                    "Lifecycle")
            .whereLayer("Config").mayOnlyBeAccessedByLayers("Startup", "Mcp", "Edge", "Tenancy", "Workspace", "Lifecycle",
                    "Cluster")
            .whereLayer("Workarounds").mayOnlyBeAccessedByLayers("Startup", "Mcp", "Edge")
            .whereLayer("Catalog").mayOnlyBeAccessedByLayers("Startup", "Mcp", "Edge", "Tenancy", "Workspace", "Sandbox")
            .whereLayer("Contract").mayOnlyBeAccessedByLayers("Mcp", "Tenancy", "Workspace", "Sandbox")
            .whereLayer("Sandbox").mayNotBeAccessedByAnyLayer();

    @ArchTest
    static final ArchRule noCyclesBetweenPackages = slices().matching("dev.switchboard.(*)..").should().beFreeOfCycles();

    /** The packages of each Maven module. */
    static final String[] GATEWAY = { "dev.switchboard.startup..", "dev.switchboard.mcp..", "dev.switchboard.edge..",
            "dev.switchboard.tenancy..", "dev.switchboard.workspace..", "dev.switchboard.lifecycle..",
            "dev.switchboard.cluster..", "dev.switchboard.config..", "dev.switchboard.observability..",
            "dev.switchboard.workarounds.." };
    static final String[] SANDBOX = { "dev.switchboard.sandbox.." };
    static final String[] CONTRACT = { "dev.switchboard.catalog..", "dev.switchboard.contract.." };

    @ArchTest
    static final ArchRule modulesDependOnlyOnTheContract = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("gateway module").definedBy(GATEWAY)
            .layer("sandbox module").definedBy(SANDBOX)
            .layer("contract module").definedBy(CONTRACT)
            .whereLayer("gateway module").mayNotBeAccessedByAnyLayer()
            .whereLayer("sandbox module").mayNotBeAccessedByAnyLayer()
            .whereLayer("contract module").mayOnlyBeAccessedByLayers("gateway module", "sandbox module");

    @ArchTest
    static final ArchRule gatewayNeverImportsTheSandbox = classes().that().resideInAnyPackage(GATEWAY)
            .should().onlyDependOnClassesThat().resideOutsideOfPackages(SANDBOX)
            .because("the gateway reaches the sandbox through catalog/EmbeddedSandbox and over HTTP only");

    @ArchTest
    static final ArchRule sandboxImportsOnlyTheContract = classes().that().resideInAnyPackage(SANDBOX)
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.switchboard..")
                    .or(resideInAnyPackage(SANDBOX)).or(resideInAnyPackage(CONTRACT)))
            .because("the sandbox implements the contract and knows nothing of the gateway");

    @ArchTest
    static final ArchRule eachPackageLivesInItsModule = classes().that().resideInAPackage("dev.switchboard..")
            .should(liveInTheirModule());

    /**
     * A class of the gateway's packages is compiled in gateway/, of the sandbox's in sandbox/, of the catalog and the
     * generated code in contract/ (the module's classes directory, or its jar in the reactor or the local repository).
     */
    private static ArchCondition<JavaClass> liveInTheirModule() {
        Map<String, String[]> modules = Map.of("gateway", GATEWAY, "sandbox", SANDBOX, "contract", CONTRACT);
        return new ArchCondition<>("live in the module of their package") {
            @Override
            public void check(JavaClass javaClass, ConditionEvents events) {
                String module = modules.entrySet().stream()
                        .filter(entry -> Arrays.stream(entry.getValue())
                                .anyMatch(pattern -> PackageMatcher.of(pattern).matches(javaClass.getPackageName())))
                        .map(Map.Entry::getKey).findFirst().orElse(null);
                String location = javaClass.getSource().map(source -> source.getUri().toString()).orElse("unknown");
                boolean inModule = module != null && (location.contains("/" + module + "/target/classes/")
                        || location.contains("switchboard-" + module + "-"));
                events.add(new SimpleConditionEvent(javaClass, inModule, module == null
                        ? javaClass.getName() + " is in no module's packages: add its package to one module here"
                        : javaClass.getName() + " belongs to the " + module + " module but comes from " + location));
            }
        };
    }
}
