import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The synthetic contract: the built-in one plus clones of a read (contacts_get) under new paths, to a given total. */
final class Contracts {

    static Path synthetic(Path contract, int totalOperations, Path directory) throws IOException {
        List<String> lines = Files.readAllLines(contract);
        int start = lines.indexOf("  /v1/organizations/{organizationId}/contacts/{contactId}:");
        if (start < 0) {
            throw new IllegalStateException("contacts_get's path not found in " + contract);
        }
        int end = start + 2;
        while (!lines.get(end).equals("    patch:") && !lines.get(end).startsWith("  /")) {
            end++;
        }
        List<String> read = lines.subList(start + 1, end); // "    get:" .. the operation's last line
        long existing = lines.stream().filter(l -> l.trim().startsWith("operationId:")).count();
        int clones = (int) Math.max(0, totalOperations - existing);
        StringBuilder extra = new StringBuilder();
        for (int i = 1; i <= clones; i++) {
            String id = String.format("bench_clone_%04d", i);
            extra.append(String.format("  /v1/organizations/{organizationId}/bench-clones/c%04d/{contactId}:%n", i));
            for (String line : read) {
                if (line.trim().equals("x-curated: true")) {
                    continue;
                }
                extra.append(line.replace("operationId: contacts_get", "operationId: " + id)).append('\n');
            }
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            text.append(lines.get(i)).append('\n');
            if (lines.get(i).equals("paths:")) {
                text.append(extra);
            }
        }
        Path file = directory.resolve("contract-" + totalOperations + "-operations.yaml");
        Files.writeString(file, text);
        return file;
    }
}
