package leaks;

/** A screen that listens to the bus while open, and forgets to unregister when closed: the bug. */
public final class LeakyScreen implements EventBus.Listener {
    private final StringBuilder log = new StringBuilder();

    public LeakyScreen() {
        EventBus.register(this);
    }

    @Override
    public void onEvent(String event) {
        log.append(event).append('\n');
    }

    public void close() {
        log.setLength(0);   // tidies up, but stays registered
    }
}
