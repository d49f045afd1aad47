package dev.switchboard.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The call flows one way: start-up → the MCP surface and the HTTP edge → tenancy → workspace, with the catalog,
 * configuration, observability, lifecycle and the replica bus below them. The sandbox meets the gateway only at the
 * contract (its models and the catalog read from it); nothing imports the start-up package.
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
            .layer("Contract").definedBy("dev.switchboard.contract..")
            .layer("Sandbox").definedBy("dev.switchboard.sandbox..")
            .whereLayer("Startup").mayNotBeAccessedByAnyLayer()
            .whereLayer("Mcp").mayOnlyBeAccessedByLayers("Startup")
            .whereLayer("Edge").mayOnlyBeAccessedByLayers("Startup")
            .whereLayer("Tenancy").mayOnlyBeAccessedByLayers("Startup", "Mcp")
            .whereLayer("Workspace").mayOnlyBeAccessedByLayers("Startup", "Mcp", "Tenancy")
            .whereLayer("Lifecycle").mayOnlyBeAccessedByLayers("Startup", "Mcp", "Edge")
            .whereLayer("Cluster").mayOnlyBeAccessedByLayers("Startup", "Mcp", "Edge")
            .whereLayer("Observability").mayOnlyBeAccessedByLayers("Startup", "Mcp", "Edge", "Tenancy", "Workspace",
                    "Lifecycle")
            .whereLayer("Config").mayOnlyBeAccessedByLayers("Startup", "Mcp", "Edge", "Tenancy", "Workspace", "Lifecycle",
                    "Cluster")
            .whereLayer("Catalog").mayOnlyBeAccessedByLayers("Startup", "Mcp", "Tenancy", "Workspace", "Sandbox")
            .whereLayer("Contract").mayOnlyBeAccessedByLayers("Mcp", "Tenancy", "Workspace", "Sandbox")
            .whereLayer("Sandbox").mayOnlyBeAccessedByLayers("Startup");

    @ArchTest
    static final ArchRule noCyclesBetweenPackages = slices().matching("dev.switchboard.(*)..").should().beFreeOfCycles();
}
