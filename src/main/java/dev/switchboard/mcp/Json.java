package dev.switchboard.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;

/** A plain mapper for the gateway's own small documents (cursors, schemas). */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }
}
