package dev.heaplens.leaks;

import java.util.ArrayList;
import java.util.List;

/** The classic leak for the tests: listeners registered in a static list and never unregistered. */
final class ListenerRegistry {
    static final List<Object> LISTENERS = new ArrayList<>();

    private ListenerRegistry() {
    }

    static void register(Object listener) {
        LISTENERS.add(listener);
    }

    static void unregister(Object listener) {
        LISTENERS.remove(listener);
    }

    /** A listener with a payload only it holds, so its retained size is known to exceed 1,000 bytes. */
    static final class Listener {
        final byte[] state = new byte[1000];
    }
}
