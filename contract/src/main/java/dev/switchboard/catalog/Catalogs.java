package dev.switchboard.catalog;

import java.nio.file.Path;
import java.util.Optional;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The gateway's catalog as a bean. */
@Singleton
class Catalogs {

    /**
     * The contract of MCP_CONTRACT_FILE when it is set, else the built-in one, which is then the same parsed instance
     * the embedded sandbox uses. Read by its property name, as the catalog sits below the settings.
     */
    @Produces
    @Singleton
    OperationCatalog operationCatalog(@ConfigProperty(name = "mcp.contract-file") Optional<Path> contractFile) {
        return contractFile.map(OperationCatalog::of).orElseGet(OperationCatalog::builtIn);
    }
}
