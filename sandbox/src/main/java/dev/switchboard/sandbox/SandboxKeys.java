package dev.switchboard.sandbox;

import java.util.List;

/** The sandbox's demo API keys, for the start-up banner and the README. */
public final class SandboxKeys {

    /** One line per demo key: key, kind, what it reaches, its default organization. */
    public record DemoKey(String key, String kind, String access, String defaultOrganization) {
    }

    private SandboxKeys() {
    }

    public static List<DemoKey> demoKeys() {
        return Directory.DEMO_KEYS.stream().map(k -> new DemoKey(k.key(), k.kind(), k.access(), k.defaultOrganization())).toList();
    }
}
