package dev.heaplens.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's leak, the classic one: sessions registered in a static map and a listener list that
 * nobody cleans up. Each session is held from both, so no single collection retains it: the class
 * holding both statics does, and that is the suspect heaplens names (about 1.1 KB a session).
 */
final class DemoWorkload {
    /** The leak's anchor: a static registry that is never cleared. */
    static final Map<String, Session> SESSIONS = new HashMap<>();
    static final List<Runnable> LISTENERS = new ArrayList<>();

    private DemoWorkload() {
    }

    /** A user session with a payload of 1 KB. */
    static final class Session {
        final String id;
        final byte[] payload;
        final long createdAt;

        Session(String id, int payloadBytes) {
            this.id = id;
            this.payload = new byte[payloadBytes];
            this.createdAt = System.nanoTime();
        }
    }

    static void leak(int count) {
        SESSIONS.clear(); // a second demo in the same JVM shows its own count, not the sum
        LISTENERS.clear();
        for (int i = 0; i < count; i++) {
            Session s = new Session("session-" + i, 1024);
            SESSIONS.put(s.id, s);
            LISTENERS.add(() -> s.payload[0]++);
        }
    }
}
