package leaks;

import java.util.ArrayList;
import java.util.List;

/** An application-wide event bus: whoever registers stays reachable from here until unregistered. */
public final class EventBus {
    private static final List<Listener> LISTENERS = new ArrayList<>();

    /** Receives events. */
    public interface Listener {
        void onEvent(String event);
    }

    private EventBus() {
    }

    public static void register(Listener listener) {
        LISTENERS.add(listener);
    }

    public static void unregister(Listener listener) {
        LISTENERS.remove(listener);
    }

    public static void publish(String event) {
        for (Listener l : List.copyOf(LISTENERS)) {
            l.onEvent(event);
        }
    }
}
